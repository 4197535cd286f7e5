using AstraTrade.Domain.Tournaments;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class LifecycleTests
{
    [Fact]
    public void Three_entries_at_the_start_go_live()
    {
        var scenario = WithEntries(3, entryFee: 10);

        Assert.Equal([new TournamentStarted(3, Start)], scenario.Execute(new StartTournament(Start)));
        Assert.Equal(TournamentStatus.Live, scenario.State.Status);
        Assert.Equal(Start, scenario.State.StartedAt);
    }

    [Fact]
    public void Two_entries_at_the_start_cancel_the_tournament_and_refund_their_fees()
    {
        var scenario = WithEntries(2, entryFee: 10, sponsor: 300);

        var events = scenario.Execute(new StartTournament(Start));

        Assert.Equal(
            [
                new EntryFeeRefunded("user-1", 10, Start),
                new EntryFeeRefunded("user-2", 10, Start),
                new SponsorAmountReturned(300, Start),
                new TournamentCancelled(CancellationReason.NotEnoughPlayers, 2, null, null, Start),
            ],
            events);
        Assert.Equal(TournamentStatus.Cancelled, scenario.State.Status);
        Assert.Equal(CancellationReason.NotEnoughPlayers, scenario.State.Cancellation);
        Assert.Equal(scenario.State.Pool, scenario.State.ShardsReturned);
    }

    [Fact]
    public void The_minimum_players_follow_the_rules()
    {
        var scenario = WithEntries(3, rules: new TournamentRules { MinPlayers = 4 });

        Assert.IsType<TournamentCancelled>(Assert.Single(scenario.Execute(new StartTournament(Start))));
    }

    [Fact]
    public void Free_entries_leave_no_refund_events()
    {
        var scenario = WithEntries(2);

        Assert.Equal([new TournamentCancelled(CancellationReason.NotEnoughPlayers, 2, null, null, Start)], scenario.Execute(new StartTournament(Start)));
    }

    [Fact]
    public void A_tournament_nobody_registered_for_is_cancelled_at_its_start_even_if_registration_never_opened()
    {
        var scenario = Custom();

        Assert.Equal(
            [new RegistrationOpened(Start), new TournamentCancelled(CancellationReason.NotEnoughPlayers, 0, null, null, Start)],
            scenario.Execute(new StartTournament(Start)));
    }

    [Fact]
    public void Starting_before_the_start_is_rejected_and_starting_again_is_a_no_op()
    {
        var scenario = WithEntries(3);

        scenario.Reject(new StartTournament(Start.AddTicks(-1)), "tournament-not-started");
        scenario.Execute(new StartTournament(Start));
        Assert.Empty(scenario.Execute(new StartTournament(Start.AddMinutes(1))));
        Assert.Empty(scenario.Execute(new OpenRegistration(Start.AddMinutes(1))));
    }

    [Fact]
    public void Starting_a_cancelled_tournament_is_a_no_op()
    {
        var scenario = WithEntries(2);
        scenario.Execute(new StartTournament(Start));

        Assert.Empty(scenario.Execute(new StartTournament(Start.AddMinutes(1))));
        Assert.Empty(scenario.Execute(new EndTournament(End)));
        Assert.Equal(TournamentStatus.Cancelled, scenario.State.Status);
    }

    [Fact]
    public void The_end_closes_trading_and_waits_for_results()
    {
        var scenario = Live(3);

        scenario.Reject(new EndTournament(End.AddTicks(-1)), "tournament-not-ended");
        Assert.Equal([new TournamentEnded(End)], scenario.Execute(new EndTournament(End)));
        Assert.Equal(TournamentStatus.Finalizing, scenario.State.Status);
        Assert.Empty(scenario.Execute(new EndTournament(End.AddMinutes(1))));
    }

    [Fact]
    public void Advance_applies_whatever_is_due_and_never_rejects_for_timing()
    {
        var scenario = Custom();
        Assert.Empty(scenario.Execute(new AdvanceTournament(Opens.AddTicks(-1))));
        Assert.Equal([new RegistrationOpened(Opens)], scenario.Execute(new AdvanceTournament(Opens)));
        for (var i = 1; i <= 3; i++)
        {
            scenario.Execute(new JoinTournament(User(i), false, Opens.AddMinutes(i)));
        }

        Assert.Equal([new TournamentStarted(3, End), new TournamentEnded(End)], scenario.Execute(new AdvanceTournament(End)));
        Assert.Empty(scenario.Execute(new AdvanceTournament(End.AddDays(1))));
    }

    [Fact]
    public void The_status_at_a_time_projects_the_phase_changes_due_by_then()
    {
        var scenario = WithEntries(3);

        Assert.Equal(TournamentStatus.Registration, Tournament.StatusAt(scenario.State, Start.AddTicks(-1)));
        Assert.Equal(TournamentStatus.Live, Tournament.StatusAt(scenario.State, Start));
        Assert.Equal(TournamentStatus.Finalizing, Tournament.StatusAt(scenario.State, End));
        Assert.Equal(TournamentStatus.Cancelled, Tournament.StatusAt(WithEntries(2).State, Start));
        Assert.Equal(TournamentStatus.Scheduled, Tournament.StatusAt(Custom().State, Opens.AddTicks(-1)));
        Assert.Equal(TournamentStatus.NotCreated, Tournament.StatusAt(TournamentState.Initial, Start));
    }
}
