using AstraTrade.Domain.Tournaments;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class JoinTournamentTests
{
    [Fact]
    public void Registration_opens_exactly_24_hours_before_the_start()
    {
        var scenario = Custom();

        scenario.Reject(new OpenRegistration(Opens.AddTicks(-1)), "registration-not-open");
        Assert.Equal([new RegistrationOpened(Opens)], scenario.Execute(new OpenRegistration(Opens)));
        Assert.Equal(TournamentStatus.Registration, scenario.State.Status);
        Assert.Empty(scenario.Execute(new OpenRegistration(Opens.AddHours(1))));
    }

    [Fact]
    public void Joining_before_registration_opens_is_rejected()
    {
        Custom().Reject(new JoinTournament("user-1", false, Opens.AddTicks(-1)), "registration-not-open");
    }

    [Fact]
    public void Joining_when_registration_is_due_opens_it_even_if_the_timer_has_not()
    {
        var scenario = Custom(entryFee: 25);

        var events = scenario.Execute(new JoinTournament("user-1", false, Opens));

        Assert.Equal([new RegistrationOpened(Opens), new EntryJoined("user-1", 1, 25, 100_000m, Opens)], events);
        Assert.Equal(new TournamentEntry("user-1", 1, Opens, 25), scenario.State.Entries["user-1"]);
        Assert.Equal(25, scenario.State.EntryFees);
    }

    [Fact]
    public void Entries_are_numbered_in_the_order_they_are_accepted()
    {
        var scenario = WithEntries(3, entryFee: 10, sponsor: 100);

        Assert.Equal([1, 2, 3], scenario.History.OfType<EntryJoined>().Select(e => e.EntryNumber));
        Assert.Equal(130, scenario.State.Pool);
    }

    [Fact]
    public void Joining_while_live_is_allowed_until_exactly_half_the_duration()
    {
        var scenario = Live(3);

        Assert.IsType<EntryJoined>(Assert.Single(scenario.Execute(new JoinTournament("user-4", false, HalfWay))));
        scenario.Reject(new JoinTournament("user-5", false, HalfWay.AddTicks(1)), "registration-closed");
        scenario.Reject(new JoinTournament("user-5", false, End), "registration-closed");
    }

    [Fact]
    public void Half_the_duration_follows_the_configured_percentage()
    {
        var scenario = Live(3, rules: new TournamentRules { LateJoinPercent = 25 });

        Assert.Equal(Start.AddHours(2.5), scenario.State.Terms!.JoinClosesAt);
        scenario.Reject(new JoinTournament("user-4", false, Start.AddHours(2.5).AddTicks(1)), "registration-closed");
    }

    [Fact]
    public void Joining_never_reaches_past_the_end_even_when_the_cut_off_is_the_end()
    {
        var scenario = Live(3, rules: new TournamentRules { LateJoinPercent = 100 });

        Assert.Single(scenario.Execute(new JoinTournament("user-4", false, End.AddTicks(-1))));
        scenario.Reject(new JoinTournament("user-5", false, End), "registration-closed");
    }

    [Fact]
    public void A_late_join_gets_a_full_tournament_account()
    {
        var scenario = Live(3);

        var joined = (EntryJoined)scenario.Execute(new JoinTournament("user-4", false, Start.AddHours(4)))[0];

        Assert.Equal(100_000m, joined.StartingBalance);
        Assert.Equal(4, joined.EntryNumber);
    }

    [Fact]
    public void Joining_after_the_start_before_the_timer_starts_it_starts_it_first()
    {
        var scenario = WithEntries(3);

        var events = scenario.Execute(new JoinTournament("user-4", false, Start.AddMinutes(1)));

        Assert.Equal([new TournamentStarted(3, Start.AddMinutes(1)), new EntryJoined("user-4", 4, 0, 100_000m, Start.AddMinutes(1))], events);
    }

    [Fact]
    public void Joining_after_the_start_of_a_tournament_too_small_to_start_is_rejected_as_cancelled()
    {
        var scenario = WithEntries(2);

        scenario.Reject(new JoinTournament("user-3", false, Start.AddMinutes(1)), "tournament-cancelled");
    }

    [Fact]
    public void One_entry_per_user()
    {
        var scenario = WithEntries(3);

        scenario.Reject(new JoinTournament("user-1", false, Opens.AddHours(1)), "already-joined");
        scenario.Execute(new StartTournament(Start));
        scenario.Reject(new JoinTournament("user-2", false, Start.AddHours(1)), "already-joined");
        Assert.Equal(3, scenario.State.Entries.Count);
    }

    [Fact]
    public void A_suspended_user_cannot_join()
    {
        Custom().Reject(new JoinTournament("user-1", true, Opens), "account-suspended");
    }

    [Fact]
    public void A_user_id_is_required()
    {
        Custom().Reject(new JoinTournament(" ", false, Opens), "invalid-user");
    }

    [Fact]
    public void A_full_tournament_admits_nobody_else()
    {
        var scenario = Custom(maxEntries: 3);
        for (var i = 1; i <= 3; i++)
        {
            scenario.Execute(new JoinTournament(User(i), false, Opens.AddMinutes(i)));
        }

        scenario.Reject(new JoinTournament("user-4", false, Opens.AddMinutes(4)), "tournament-full");
        scenario.Reject(new JoinTournament("user-4", false, Start.AddHours(1)), "tournament-full");
    }

    [Fact]
    public void A_cancelled_tournament_admits_nobody()
    {
        var scenario = Custom();
        scenario.Execute(new CancelTournament(Admin, "venue problem", Opens.AddMinutes(-5)));

        scenario.Reject(new JoinTournament("user-1", false, Opens), "tournament-cancelled");
    }
}
