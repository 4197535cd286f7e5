using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class TradingWindowTests
{
    [Fact]
    public void An_entry_trades_only_from_the_start_until_the_end()
    {
        var scenario = Live(3);

        Assert.Equal("tournament-not-live", Tournament.CheckTrading(scenario.State, "user-1", Start.AddTicks(-1))?.Code);
        Assert.Null(Tournament.CheckTrading(scenario.State, "user-1", Start));
        Assert.Null(Tournament.CheckTrading(scenario.State, "user-1", End.AddTicks(-1)));
        Assert.Equal("tournament-not-live", Tournament.CheckTrading(scenario.State, "user-1", End)?.Code);
    }

    [Fact]
    public void Only_entries_trade()
    {
        Assert.Equal("not-entered", Tournament.CheckTrading(Live(3).State, "user-4", Start.AddHours(1))?.Code);
    }

    [Fact]
    public void Trading_follows_the_clock_not_the_timers()
    {
        var registered = WithEntries(3);
        Assert.Equal(TournamentStatus.Registration, registered.State.Status);
        Assert.Null(Tournament.CheckTrading(registered.State, "user-1", Start));

        var tooSmall = WithEntries(2);
        Assert.Equal("tournament-not-live", Tournament.CheckTrading(tooSmall.State, "user-1", Start.AddMinutes(1))?.Code);
    }

    [Fact]
    public void A_cancelled_or_finished_tournament_trades_no_more()
    {
        var cancelled = Live(3);
        cancelled.Execute(new CancelTournament(Admin, "outage", Start.AddHours(1)));
        Assert.Equal("tournament-not-live", Tournament.CheckTrading(cancelled.State, "user-1", Start.AddHours(2))?.Code);

        var completed = Live(3);
        completed.Finalize((1, 1m, 3), (2, 1m, 3), (3, 1m, 3));
        Assert.Equal("tournament-not-live", Tournament.CheckTrading(completed.State, "user-1", Start.AddHours(2))?.Code);
    }

    [Fact]
    public void Closed_trades_are_user_closes_and_liquidations_within_the_window()
    {
        var terms = Custom().State.Terms!;
        IAccountEvent[] events =
        [
            new AccountOpened(AccountKind.Tournament, "user-1", 100_000m, Start.AddMinutes(-5)),
            Closed(Start.AddTicks(-1)), // before the start
            Closed(Start),
            Liquidated(Start.AddHours(1)),
            Closed(Start.AddHours(2), CloseReason.Reset),
            Closed(End.AddTicks(-1)),
            Closed(End), // the settlement at mark
            Liquidated(End.AddHours(1)),
        ];

        Assert.Equal(3, TournamentResults.ClosedTrades(events, terms));
    }

    private static readonly PositionTerms Position =
        new("BTC-USD", PositionSide.Long, 10, 100m, 1_000m, 0.01m, 100_000m, 0.5m, 0.005m, 0.0005m, Start);

    private static PositionClosed Closed(DateTimeOffset at, CloseReason reason = CloseReason.User) =>
        new(Guid.NewGuid(), Position, 100m, 100_000m, 100_000m, 0m, 0.5m, 99.5m, reason, at);

    private static PositionLiquidated Liquidated(DateTimeOffset at) =>
        new(Guid.NewGuid(), Position, 100m, 90_000m, 90_500m, -95m, 5m, at);
}
