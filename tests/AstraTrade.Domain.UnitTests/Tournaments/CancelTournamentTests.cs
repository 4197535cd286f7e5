using AstraTrade.Domain.Tournaments;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class CancelTournamentTests
{
    [Fact]
    public void An_admin_cancels_during_registration_and_every_fee_is_refunded()
    {
        var scenario = WithEntries(3, entryFee: 7, sponsor: 50);
        var at = Opens.AddHours(2);

        var events = scenario.Execute(new CancelTournament(Admin, " market outage ", at));

        Assert.Equal(
            [
                new EntryFeeRefunded("user-1", 7, at),
                new EntryFeeRefunded("user-2", 7, at),
                new EntryFeeRefunded("user-3", 7, at),
                new SponsorAmountReturned(50, at),
                new TournamentCancelled(CancellationReason.ByAdmin, 3, Admin.Id, "market outage", at),
            ],
            events);
        Assert.Equal(TournamentStatus.Cancelled, scenario.State.Status);
        Assert.Equal(71, scenario.State.ShardsReturned);
        Assert.Equal(scenario.State.Pool, scenario.State.ShardsReturned);
    }

    [Fact]
    public void An_admin_cancels_a_scheduled_tournament()
    {
        var scenario = Custom(sponsor: 50);

        Assert.Equal(2, scenario.Execute(new CancelTournament(Admin, "typo in the name", Created.AddMinutes(1))).Count);
        Assert.Equal(TournamentStatus.Cancelled, scenario.State.Status);
    }

    [Fact]
    public void An_admin_may_cancel_while_live_with_refunds_and_no_prizes()
    {
        var scenario = Live(3, entryFee: 7);
        scenario.Execute(new JoinTournament("user-4", false, Start.AddHours(1)));

        var events = scenario.Execute(new CancelTournament(Admin, "price feed outage", End.AddTicks(-1)));

        Assert.Equal(4, events.OfType<EntryFeeRefunded>().Count());
        Assert.Empty(events.OfType<PrizeAwarded>());
        Assert.Equal(28, scenario.State.ShardsReturned);
        scenario.Reject(new FinalizeTournament([], End), "tournament-cancelled");
    }

    [Fact]
    public void Once_ended_a_tournament_can_no_longer_be_cancelled()
    {
        var live = Live(3);
        live.Reject(new CancelTournament(Admin, "too late", End), "tournament-not-cancellable");

        var finalizing = Live(3);
        finalizing.Execute(new EndTournament(End));
        finalizing.Reject(new CancelTournament(Admin, "too late", End.AddMinutes(1)), "tournament-not-cancellable");

        var completed = Live(3);
        completed.Finalize((1, 100_000m, 3), (2, 100_000m, 3), (3, 100_000m, 3));
        completed.Reject(new CancelTournament(Admin, "too late", End.AddMinutes(1)), "tournament-not-cancellable");
    }

    [Fact]
    public void Only_an_admin_cancels()
    {
        var scenario = WithEntries(3);

        scenario.Reject(new CancelTournament(Player, "I lost", Opens.AddHours(1)), "not-authorized");
        scenario.Reject(new CancelTournament(Actor.Scheduler, "no reason", Opens.AddHours(1)), "not-authorized");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_cancellation_needs_a_reason(string reason)
    {
        WithEntries(3).Reject(new CancelTournament(Admin, reason, Opens.AddHours(1)), "invalid-reason");
    }

    [Fact]
    public void The_reason_is_at_most_500_characters()
    {
        WithEntries(3).Reject(new CancelTournament(Admin, new string('r', 501), Opens.AddHours(1)), "invalid-reason");
        Assert.NotEmpty(WithEntries(3).Execute(new CancelTournament(Admin, new string('r', 500), Opens.AddHours(1))));
    }

    [Fact]
    public void Cancelling_twice_refunds_once()
    {
        var scenario = WithEntries(3, entryFee: 7);
        scenario.Execute(new CancelTournament(Admin, "outage", Opens.AddHours(1)));

        Assert.Empty(scenario.Execute(new CancelTournament(Admin, "outage again", Opens.AddHours(2))));
        Assert.Equal(3, scenario.History.OfType<EntryFeeRefunded>().Count());
    }

    [Fact]
    public void Cancelling_after_a_start_that_was_due_to_cancel_keeps_the_automatic_cancellation()
    {
        var scenario = WithEntries(2, entryFee: 7);

        var events = scenario.Execute(new CancelTournament(Admin, "outage", Start.AddMinutes(1)));

        Assert.Equal(CancellationReason.NotEnoughPlayers, Assert.IsType<TournamentCancelled>(events[^1]).Reason);
        Assert.Equal(2, events.OfType<EntryFeeRefunded>().Count());
    }
}
