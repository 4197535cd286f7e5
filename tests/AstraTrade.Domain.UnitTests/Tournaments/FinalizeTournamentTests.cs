using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Tournaments;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class FinalizeTournamentTests
{
    [Fact]
    public void Finalizing_ends_ranks_pays_and_completes_in_one_decision()
    {
        var scenario = Live(4, entryFee: 100, sponsor: 600);

        var events = scenario.Finalize((1, 90_000m, 5), (2, 125_000m, 3), (3, 110_000m, 4), (4, 200_000m, 2));

        Assert.Equal(
            [
                new TournamentEnded(End),
                new EntryScored(1, "user-2", 2, Opens.AddMinutes(2), 125_000m, 0.25m, 3, true, End),
                new EntryScored(2, "user-3", 3, Opens.AddMinutes(3), 110_000m, 0.1m, 4, true, End),
                new EntryScored(3, "user-1", 1, Opens.AddMinutes(1), 90_000m, -0.1m, 5, true, End),
                new EntryScored(null, "user-4", 4, Opens.AddMinutes(4), 200_000m, 1m, 2, false, End),
                new PrizeAwarded("user-2", 1, 500, 1_000, End),
                new PrizeAwarded("user-3", 2, 300, 500, End),
                new PrizeAwarded("user-1", 3, 200, 250, End),
                new ChampionDeclared("user-2", "TOURNAMENT_CHAMPION", End),
                new TournamentCompleted(4, 3, 1_000, 1_000, 0, End),
            ],
            events);
        Assert.Equal(TournamentStatus.Completed, scenario.State.Status);
        Assert.Equal("user-2", scenario.State.Champion);
        Assert.Equal(1_000, scenario.State.ShardsAwarded);
    }

    [Fact]
    public void Two_closed_trades_do_not_qualify_three_do()
    {
        var scenario = Live(3);

        var scored = scenario.Finalize((1, 150_000m, 2), (2, 100_000m, 3), (3, 100_000m, 0)).OfType<EntryScored>().ToList();

        Assert.False(scored.Single(s => s.UserId == "user-1").Qualified);
        Assert.Null(scored.Single(s => s.UserId == "user-1").Rank);
        Assert.True(scored.Single(s => s.UserId == "user-2").Qualified);
        Assert.Equal(["user-2"], scenario.History.OfType<PrizeAwarded>().Select(p => p.UserId));
    }

    [Fact]
    public void Equal_returns_rank_the_earlier_entry_higher()
    {
        var scenario = Live(3);
        scenario.Execute(new JoinTournament("user-4", false, Start.AddHours(1)));

        scenario.Finalize((4, 120_000m, 3), (3, 120_000m, 3), (1, 110_000m, 3), (2, 120_000m, 3));

        Assert.Equal(["user-2", "user-3", "user-4", "user-1"], scenario.History.OfType<PrizeAwarded>().Select(p => p.UserId));
    }

    [Fact]
    public void The_winner_unlocks_tournament_champion_through_the_progression()
    {
        var scenario = Live(3);
        scenario.Finalize((1, 100_000m, 3), (2, 130_000m, 3), (3, 100_000m, 3));
        var champion = scenario.History.OfType<ChampionDeclared>().Single();

        var unlock = Tournament.ChampionUnlock(Id, champion);
        var progression = Progression.Decide(ProgressionState.Initial, unlock, GamificationRules.Default);

        Assert.Equal("user-2", champion.UserId);
        Assert.Equal(Achievements.TournamentChampion, unlock.AchievementId);
        var unlocked = progression.Events.OfType<AchievementUnlocked>().Single();
        Assert.Equal((Achievements.TournamentChampion, $"won tournament {Id}"), (unlocked.AchievementId, unlocked.Reason));
    }

    [Fact]
    public void A_retried_finalize_pays_nothing_twice_whatever_results_it_carries()
    {
        var scenario = Live(3, entryFee: 10);
        scenario.Finalize((1, 100_000m, 3), (2, 130_000m, 3), (3, 100_000m, 3));
        var before = scenario.State;

        Assert.Empty(scenario.Finalize((1, 100_000m, 3), (2, 130_000m, 3), (3, 100_000m, 3)));
        Assert.Empty(scenario.Finalize((1, 900_000m, 9), (2, 0m, 0), (3, 100_000m, 3)));
        Assert.Empty(scenario.Execute(new FinalizeTournament([], End.AddDays(3))));
        Assert.Same(before, scenario.State);
        Assert.Single(scenario.History.OfType<TournamentCompleted>());
        Assert.Equal(3, scenario.History.OfType<PrizeAwarded>().Count());
    }

    [Fact]
    public void Finalizing_before_the_end_is_rejected()
    {
        var scenario = Live(3);

        scenario.Reject(
            new FinalizeTournament([new("user-1", 1m, 3), new("user-2", 1m, 3), new("user-3", 1m, 3)], End.AddTicks(-1)),
            "tournament-not-ended");
    }

    [Fact]
    public void Finalizing_after_an_explicit_end_does_not_end_it_twice()
    {
        var scenario = Live(3);
        scenario.Execute(new EndTournament(End));

        var events = scenario.Finalize((1, 100_000m, 3), (2, 100_000m, 3), (3, 100_000m, 3));

        Assert.Single(scenario.History.OfType<TournamentEnded>());
        Assert.IsType<EntryScored>(events[0]);
    }

    [Fact]
    public void Every_entry_needs_exactly_one_result()
    {
        var scenario = Live(3);

        scenario.Reject(Results(End, ("user-1", 1m, 3), ("user-2", 1m, 3)), "invalid-results");
        scenario.Reject(new FinalizeTournament(null!, End), "invalid-results");
        scenario.Reject(Results(End, ("user-1", 1m, 3), ("user-2", 1m, 3), ("user-3", 1m, 3), ("user-4", 1m, 3)), "invalid-results");
        scenario.Reject(Results(End, ("user-1", 1m, 3), ("user-2", 1m, 3), ("user-2", 1m, 3)), "invalid-results");
        scenario.Reject(Results(End, ("user-1", 1m, 3), ("user-2", 1m, 3), ("user-3", 1m, 3), ("user-2", 2m, 3)), "invalid-results");
        scenario.Reject(Results(End, ("user-1", -1m, 3), ("user-2", 1m, 3), ("user-3", 1m, 3)), "invalid-results");
        scenario.Reject(Results(End, ("user-1", 1m, -1), ("user-2", 1m, 3), ("user-3", 1m, 3)), "invalid-results");
        Assert.NotEmpty(scenario.Execute(Results(End, ("user-3", 0m, 3), ("user-2", 1m, 3), ("user-1", 1m, 3))));
    }

    [Fact]
    public void A_tournament_that_never_started_is_cancelled_by_a_finalize_after_its_end()
    {
        var scenario = WithEntries(2, entryFee: 5);

        var events = scenario.Execute(Results(End, ("user-1", 1m, 3), ("user-2", 1m, 3)));

        Assert.Equal(CancellationReason.NotEnoughPlayers, Assert.IsType<TournamentCancelled>(events[^1]).Reason);
        Assert.Empty(events.OfType<PrizeAwarded>());
        scenario.Reject(Results(End, ("user-1", 1m, 3), ("user-2", 1m, 3)), "tournament-cancelled");
    }

    [Fact]
    public void With_nobody_qualified_nobody_wins_and_the_pool_goes_back()
    {
        var scenario = Live(3, entryFee: 10, sponsor: 70);

        var events = scenario.Finalize((1, 150_000m, 2), (2, 100_000m, 0), (3, 90_000m, 1));

        Assert.Empty(events.OfType<PrizeAwarded>());
        Assert.Empty(events.OfType<ChampionDeclared>());
        Assert.Equal(
            [
                new EntryFeeRefunded("user-1", 10, End),
                new EntryFeeRefunded("user-2", 10, End),
                new EntryFeeRefunded("user-3", 10, End),
                new SponsorAmountReturned(70, End),
                new TournamentCompleted(3, 0, 100, 0, 100, End),
            ],
            events.SkipWhile(e => e is not EntryFeeRefunded));
        Assert.Null(scenario.State.Champion);
    }

    [Fact]
    public void Standings_are_frozen_once_finalized()
    {
        var scenario = Live(3);
        scenario.Finalize((1, 100_000m, 3), (2, 130_000m, 3), (3, 100_000m, 3));

        var later = Standings.Of(scenario.State, [new("user-1", 500_000m, 10)]);

        Assert.Same(scenario.State.FinalStandings, later);
        Assert.Equal(["user-2", "user-1", "user-3"], later.Select(s => s.UserId));
        Assert.Equal([1, 2, 3], later.Select(s => s.Rank!.Value));
    }

    private static FinalizeTournament Results(DateTimeOffset now, params (string User, decimal Equity, int Trades)[] results) =>
        new([.. results.Select(r => new EntryResult(r.User, r.Equity, r.Trades))], now);
}
