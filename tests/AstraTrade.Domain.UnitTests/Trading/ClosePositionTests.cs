using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

public class ClosePositionTests
{
    [Fact]
    public void A_close_books_pnl_at_the_exit_fill_and_pays_collateral_plus_pnl_minus_fee()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);
        var balanceBefore = state.Balance;

        var (after, events) = Apply(state, Close(position.Id, 96_000m, T0.AddMinutes(5)));

        var closed = Assert.IsType<PositionClosed>(Assert.Single(events));
        var q = position.Terms.Quantity;
        var exit = 96_000m * 0.9999m;
        Assert.Equal(exit, closed.ExitPrice);
        Assert.Equal(Math.Round(q * (exit - position.Terms.EntryPrice), 6, MidpointRounding.ToNegativeInfinity), closed.RealizedPnl);
        Assert.Equal(Math.Round(q * exit * 0.0005m, 6, MidpointRounding.ToPositiveInfinity), closed.CloseFee);
        Assert.Equal(100m + closed.RealizedPnl - closed.CloseFee, closed.Payout);
        Assert.Equal(balanceBefore + closed.Payout, after.Balance);
        Assert.Empty(after.OpenPositions);
        Assert.Equal(CloseReason.User, closed.Reason);
    }

    [Fact]
    public void A_short_profits_when_the_price_falls()
    {
        var (state, position) = Open(NewPractice(), Eth, PositionSide.Short, 5, 200m, 3_400m);

        var closed = Assert.IsType<PositionClosed>(Apply(state, Close(position.Id, 3_300m)).Events[0]);

        Assert.True(closed.RealizedPnl > 0);
        Assert.Equal(3_300m * 1.0001m, closed.ExitPrice);
    }

    [Fact]
    public void The_payout_is_never_negative()
    {
        // With the real table, maintenance margin exceeds fee plus spread, so a close that is not a liquidation always
        // leaves something. A market with a tiny mmr and a 1 % fee shows the floor: C + PnL − fee < 0 pays 0.
        var cheapMargin = new MarketSpec("X-USD", 100, 0.0001m, 0.01m, 10m);
        var (state, position) = Open(NewPractice(), cheapMargin, PositionSide.Long, 100, 100m, 100m);

        var closed = Assert.IsType<PositionClosed>(Apply(state, Close(position.Id, 99.5m)).Events[0]);

        Assert.True(closed.Collateral + closed.RealizedPnl - closed.CloseFee < 0);
        Assert.Equal(0m, closed.Payout);
    }

    [Fact]
    public void Closing_at_a_price_under_maintenance_margin_liquidates_instead()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 100, 100m, 95_000m);

        var events = Apply(state, Close(position.Id, position.LiquidationPrice - 1m)).Events;

        Assert.IsType<PositionLiquidated>(Assert.Single(events));
    }

    [Fact]
    public void Closing_twice_says_already_closed_and_an_unknown_id_says_not_found()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);
        (state, _) = Apply(state, Close(position.Id, 95_000m));

        Assert.Equal("position-already-closed", Reject(state, Close(position.Id, 95_000m)).Code);
        Assert.Equal("position-not-found", Reject(state, Close(Guid.NewGuid(), 95_000m)).Code);
    }

    [Fact]
    public void A_close_needs_a_fresh_price()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);

        var stale = new ClosePosition(position.Id, new MarkPrice(95_000m, T0), T0.AddSeconds(6));
        Assert.Equal("stale-price", Reject(state, stale).Code);
    }
}
