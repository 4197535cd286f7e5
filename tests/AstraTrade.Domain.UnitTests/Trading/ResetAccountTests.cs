using System.Collections.Immutable;
using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

public class ResetAccountTests
{
    [Fact]
    public void A_reset_closes_every_position_at_mark_and_restores_the_starting_balance()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 10, 1_000m, 95_000m);
        (state, _) = Open(state, Eth, PositionSide.Short, 5, 500m, 3_400m);

        var (after, events) = Apply(state, Reset(T0.AddMinutes(1), ("BTC-USD", 94_000m), ("ETH-USD", 3_500m)));

        Assert.Equal(2, events.OfType<PositionClosed>().Count(e => e.Reason == CloseReason.Reset));
        var reset = Assert.IsType<AccountReset>(events[^1]);
        Assert.Equal(state.Balance + events.OfType<PositionClosed>().Sum(e => e.Payout), reset.BalanceBefore);
        Assert.Equal(reset.BalanceBefore - 10_000m, reset.Adjustment);
        Assert.Equal(10_000m, after.Balance);
        Assert.Empty(after.OpenPositions);
        Assert.DoesNotContain(position.Id, after.OpenPositions.Keys);
    }

    [Fact]
    public void A_reset_is_allowed_once_per_twenty_four_hours()
    {
        var (state, _) = Apply(NewPractice(), Reset(T0));

        var error = Reject(state, Reset(T0.AddHours(24).AddTicks(-1)));
        Assert.Equal("reset-cooldown", error.Code);
        Apply(state, Reset(T0.AddHours(24)));
    }

    [Fact]
    public void A_reset_needs_fresh_prices_for_the_open_positions()
    {
        var (state, _) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);

        Assert.Equal("stale-price", Reject(state, Reset(T0)).Code);
    }

    [Fact]
    public void A_tournament_account_cannot_be_reset()
    {
        var tournament = AccountState.Unopened(AccountKind.Tournament, Rules);

        Assert.Equal(100_000m, tournament.Balance);
        Assert.Equal("reset-not-allowed", Reject(tournament, Reset(T0)).Code);
    }

    private static ResetAccount Reset(DateTimeOffset at, params (string Market, decimal Mark)[] marks) =>
        new(Alice.UserId, marks.ToImmutableDictionary(m => m.Market, m => new MarkPrice(m.Mark, at)), at);
}
