using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

public class LiquidationTests
{
    [Theory]
    [InlineData(PositionSide.Long, 10)]
    [InlineData(PositionSide.Long, 100)]
    [InlineData(PositionSide.Short, 10)]
    [InlineData(PositionSide.Short, 100)]
    public void The_liquidation_price_at_open_is_the_domain_formula(PositionSide side, int leverage)
    {
        var (_, position) = Open(NewPractice(), Btc, side, leverage, 100m, 95_000m);
        var entry = position.Terms.EntryPrice;
        var l = (decimal)leverage;

        var expected = side == PositionSide.Long
            ? entry * (1 - (1 / l)) / (1 - 0.005m)
            : entry * (1 + (1 / l)) / (1 + 0.005m);

        Assert.Equal(expected, position.LiquidationPrice, 18);
    }

    [Fact]
    public void A_position_is_liquidated_when_collateral_plus_upnl_reaches_maintenance_margin()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 50, 100m, 95_000m);
        var liq = position.LiquidationPrice;

        Assert.Equal("position-not-liquidatable", Reject(state, Liquidate(position.Id, liq + 0.01m)).Code);
        var (after, events) = Apply(state, Liquidate(position.Id, liq - 0.01m));

        var liquidated = Assert.IsType<PositionLiquidated>(Assert.Single(events));
        Assert.Equal(liq, liquidated.LiquidationPrice);
        Assert.Empty(after.OpenPositions);
        Assert.Equal(state.Balance, after.Balance); // the owner gets nothing back
    }

    [Fact]
    public void The_insurance_fund_receives_collateral_plus_pnl_at_the_liquidation_price()
    {
        var (state, position) = Open(NewPractice(), Sol, PositionSide.Short, 20, 50m, 180m);

        var liquidated = Assert.IsType<PositionLiquidated>(Apply(state, Liquidate(position.Id, 200m)).Events[0]);

        var pnl = Math.Round(-position.Terms.Quantity * (liquidated.LiquidationPrice - position.Terms.EntryPrice), 6, MidpointRounding.ToNegativeInfinity);
        Assert.Equal(pnl, liquidated.PnlAtLiquidationPrice);
        Assert.Equal(Math.Max(0, 50m + pnl), liquidated.InsuranceFundAmount);
        // At the liquidation price what is left is the maintenance margin, which is positive.
        Assert.True(liquidated.InsuranceFundAmount > 0);
    }

    [Fact]
    public void A_one_x_long_has_a_zero_liquidation_price()
    {
        var (_, position) = Open(NewPractice(), Btc, PositionSide.Long, 1, 100m, 95_000m);

        // C/q equals the entry price up to the 28-digit rounding of q, so the price is zero within that rounding.
        Assert.InRange(position.LiquidationPrice, 0m, 0.000000001m);
        Assert.False(position.IsLiquidatableAt(0.01m));
    }

    private static LiquidatePosition Liquidate(Guid id, decimal mark) => new(id, new MarkPrice(mark, T0), T0);
}
