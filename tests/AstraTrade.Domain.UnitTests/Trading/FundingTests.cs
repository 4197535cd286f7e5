using System.Collections.Immutable;
using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

public class FundingTests
{
    private static readonly DateTimeOffset Hour = T0.AddHours(1);

    [Fact]
    public void Longs_pay_and_shorts_receive_when_the_rate_is_positive()
    {
        var (state, longPosition) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);
        (state, var shortPosition) = Open(state, Btc, PositionSide.Short, 10, 100m, 95_000m);

        var (after, events) = Apply(state, Funding(("BTC-USD", 0.0001m, 95_000m)));

        var paid = events.Cast<FundingApplied>().Single(e => e.PositionId == longPosition.Id);
        var received = events.Cast<FundingApplied>().Single(e => e.PositionId == shortPosition.Id);
        var payment = longPosition.Terms.Quantity * 95_000m * 0.0001m;
        Assert.Equal(-Math.Round(payment, 6, MidpointRounding.ToPositiveInfinity), paid.CollateralChange);
        Assert.Equal(Math.Round(shortPosition.Terms.Quantity * 95_000m * 0.0001m, 6, MidpointRounding.ToNegativeInfinity), received.CollateralChange);
        Assert.Equal(100m + paid.CollateralChange, after.OpenPositions[longPosition.Id].Collateral);
        Assert.Equal(state.Balance, after.Balance); // funding moves collateral, not the balance
    }

    [Fact]
    public void The_rate_is_capped_at_a_tenth_of_a_percent_per_hour()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);

        var applied = Assert.IsType<FundingApplied>(Apply(state, Funding(("BTC-USD", 0.05m, 95_000m))).Events[0]);

        Assert.Equal(0.001m, applied.Rate);
        Assert.Equal(-Math.Round(position.Terms.Quantity * 95_000m * 0.001m, 6, MidpointRounding.ToPositiveInfinity), applied.CollateralChange);
    }

    [Fact]
    public void Funding_for_a_given_time_is_applied_once()
    {
        var (state, _) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);
        (state, _) = Apply(state, Funding(("BTC-USD", 0.0001m, 95_000m)));

        Assert.Empty(Apply(state, Funding(("BTC-USD", 0.0001m, 95_000m))).Events);
    }

    [Fact]
    public void Positions_opened_after_the_funding_time_do_not_pay_it()
    {
        var (state, _) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m, Hour.AddSeconds(1));

        Assert.Empty(Apply(state, Funding(("BTC-USD", 0.0001m, 95_000m)) with { Now = Hour.AddSeconds(2) }).Events);
    }

    [Fact]
    public void Paying_funding_moves_the_liquidation_price_closer()
    {
        var (state, position) = Open(NewPractice(), Btc, PositionSide.Long, 50, 100m, 95_000m);

        var (after, _) = Apply(state, Funding(("BTC-USD", 0.001m, 95_000m)));

        Assert.True(after.OpenPositions[position.Id].LiquidationPrice > position.LiquidationPrice);
    }

    private static ApplyFunding Funding(params (string Market, decimal Rate, decimal Mark)[] quotes) =>
        new(Hour, quotes.ToImmutableDictionary(q => q.Market, q => new FundingQuote(q.Rate, q.Mark)), Hour);
}
