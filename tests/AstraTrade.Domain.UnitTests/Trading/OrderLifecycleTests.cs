using System.Collections.Immutable;
using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>Orders in the account: reservation, fill, release (DOMAIN.md §1 limit orders), and stop-loss/take-profit.</summary>
public class OrderLifecycleTests
{
    [Fact]
    public void Placing_reserves_collateral_plus_fee_and_the_fill_spends_exactly_that()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (placed, _) = Apply(NewPractice(), order);

        Assert.Equal(10_000m - 100.5m, placed.Balance);
        Assert.Equal(100.5m, placed.Reserved);
        Assert.Equal(10_000m, placed.EquityAt(_ => 95_000m));

        var (filled, events) = Apply(placed, Fill(order.OrderId, 95_000m));
        var opened = Assert.IsType<PositionOpened>(Assert.Single(events));
        Assert.Equal(order.OrderId, opened.PositionId);
        Assert.Equal(10_000m - 100.5m, filled.Balance);
        Assert.Equal(0m, filled.Reserved);
        Assert.Equal(100m, filled.MarginInUse);
    }

    [Fact]
    public void A_limit_long_waits_until_the_mark_reaches_its_limit_and_fills_at_the_limit()
    {
        var order = Limit(Btc, PositionSide.Long, 10, 100m, 94_000m, 95_000m);
        var (state, _) = Apply(NewPractice(), order);

        Assert.Equal("limit-not-reached", Reject(state, Fill(order.OrderId, 94_000.01m)).Code);
        var (_, events) = Apply(state, Fill(order.OrderId, 93_999m));

        // The mark crossed: the fill is the limit, unless the market fill price is better still.
        Assert.Equal(94_000m, Assert.IsType<PositionOpened>(Assert.Single(events)).Terms.EntryPrice);
        var (_, gapped) = Apply(state, Fill(order.OrderId, 90_000m));
        Assert.Equal(90_000m * 1.0001m, Assert.IsType<PositionOpened>(Assert.Single(gapped)).Terms.EntryPrice);
    }

    [Fact]
    public void A_limit_short_fills_when_the_mark_rises_to_its_limit()
    {
        var order = Limit(Eth, PositionSide.Short, 5, 40m, 3_500m, 3_400m);
        var (state, _) = Apply(NewPractice(), order);

        Assert.Equal("limit-not-reached", Reject(state, Fill(order.OrderId, 3_499m)).Code);
        var (_, events) = Apply(state, Fill(order.OrderId, 3_500m));
        Assert.Equal(3_500m, Assert.IsType<PositionOpened>(Assert.Single(events)).Terms.EntryPrice);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_limit_order_needs_a_positive_limit_price(int? limit)
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m) with { Type = OrderType.Limit, LimitPrice = limit };
        Assert.Equal("invalid-limit-price", Reject(NewPractice(), order).Code);
    }

    [Fact]
    public void Releasing_returns_the_whole_reservation_once()
    {
        var order = Limit(Btc, PositionSide.Long, 10, 100m, 90_000m, 95_000m);
        var (state, _) = Apply(NewPractice(), order);
        var (released, events) = Apply(state, new ReleaseOrder(order.OrderId, ReleaseReason.Expired, T0.AddHours(24)));

        Assert.Equal(new OrderReleased(order.OrderId, 100.5m, ReleaseReason.Expired, T0.AddHours(24)), Assert.Single(events));
        Assert.Equal(10_000m, released.Balance);
        Assert.Empty(Apply(released, new ReleaseOrder(order.OrderId, ReleaseReason.Cancelled, T0.AddHours(25))).Events);
        Assert.Equal("order-not-working", Reject(released, Fill(order.OrderId, 80_000m)).Code);
    }

    [Fact]
    public void A_filled_order_cannot_be_released_and_filling_it_again_changes_nothing()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = Place(NewPractice(), order);

        Assert.Equal("order-not-working", Reject(state, new ReleaseOrder(order.OrderId, ReleaseReason.Cancelled, T0)).Code);
        Assert.Empty(Apply(state, Fill(order.OrderId, 96_000m)).Events);
        Assert.Equal("order-not-found", Reject(state, new ReleaseOrder(Guid.NewGuid(), ReleaseReason.Cancelled, T0)).Code);
    }

    [Fact]
    public void Working_orders_count_toward_the_open_position_limit()
    {
        var state = NewPractice();
        for (var i = 0; i < Rules.MaxOpenPositions - 1; i++)
        {
            (state, _) = Place(state, Order(Btc, PositionSide.Long, 10, 10m, 95_000m));
        }

        (state, _) = Apply(state, Limit(Btc, PositionSide.Long, 10, 10m, 90_000m, 95_000m));
        Assert.Equal("too-many-open-positions", Reject(state, Order(Btc, PositionSide.Long, 10, 10m, 95_000m)).Code);
    }

    [Fact]
    public void A_reset_releases_working_orders_before_restoring_the_balance()
    {
        var order = Limit(Btc, PositionSide.Long, 10, 100m, 90_000m, 95_000m);
        var (state, _) = Apply(NewPractice(), order);
        var marks = Markets.ToImmutableDictionary(m => m.Symbol, _ => new MarkPrice(95_000m, T0));
        var (reset, events) = Apply(state, new ResetAccount(Alice.UserId, marks, T0));

        Assert.Equal(new OrderReleased(order.OrderId, 100.5m, ReleaseReason.Reset, T0), events[0]);
        Assert.Equal(0m, Assert.IsType<AccountReset>(events[^1]).Adjustment);
        Assert.Equal(10_000m, reset.Balance);
        Assert.Equal(0m, reset.Reserved);
    }

    [Fact]
    public void Protection_must_sit_on_the_right_side_of_the_price()
    {
        var longAt95k = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        Assert.Equal("invalid-protection", Reject(NewPractice(), longAt95k with { Protection = new Protection(96_000m, null) }).Code);
        Assert.Equal("invalid-protection", Reject(NewPractice(), longAt95k with { Protection = new Protection(null, 94_000m) }).Code);
        Assert.Equal("invalid-protection", Reject(NewPractice(), longAt95k with { Protection = new Protection(-1m, null) }).Code);
        Apply(NewPractice(), longAt95k with { Protection = new Protection(94_000m, 96_000m) });

        // A limit order's protection is checked around its limit, where it will open.
        var shortLimit = Limit(Btc, PositionSide.Short, 10, 100m, 97_000m, 95_000m, new Protection(96_500m, null));
        Assert.Equal("invalid-protection", Reject(NewPractice(), shortLimit).Code);
        Apply(NewPractice(), shortLimit with { Protection = new Protection(98_000m, 90_000m) });
    }

    [Fact]
    public void A_stop_loss_closes_the_position_only_once_the_mark_crosses_it()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m) with { Protection = new Protection(94_000m, 99_000m) };
        var (state, _) = Place(NewPractice(), order);
        Assert.Equal(new Protection(94_000m, 99_000m), state.OpenPositions[order.OrderId].Protection);

        Assert.Equal("protection-not-triggered", Reject(state, new TriggerProtection(order.OrderId, new MarkPrice(94_000.5m, T0), T0)).Code);
        var (_, events) = Apply(state, new TriggerProtection(order.OrderId, new MarkPrice(93_990m, T0), T0));

        var closed = Assert.IsType<PositionClosed>(Assert.Single(events));
        Assert.Equal(CloseReason.StopLoss, closed.Reason);
        Assert.Equal(93_990m * 0.9999m, closed.ExitPrice);
    }

    [Fact]
    public void A_take_profit_set_later_closes_a_short_when_the_mark_falls_to_it()
    {
        var order = Order(Eth, PositionSide.Short, 5, 40m, 3_400m);
        var (state, _) = Place(NewPractice(), order);
        (state, _) = Apply(state, new SetProtection(order.OrderId, new Protection(null, 3_300m), new MarkPrice(3_400m, T0), T0));

        var (_, events) = Apply(state, new TriggerProtection(order.OrderId, new MarkPrice(3_300m, T0), T0));
        Assert.Equal(CloseReason.TakeProfit, Assert.IsType<PositionClosed>(Assert.Single(events)).Reason);

        // Cleared protection never triggers.
        (state, _) = Apply(state, new SetProtection(order.OrderId, Protection.None, new MarkPrice(3_400m, T0), T0));
        Assert.Equal("protection-not-triggered", Reject(state, new TriggerProtection(order.OrderId, new MarkPrice(1m, T0), T0)).Code);
    }

    [Fact]
    public void Protection_on_a_closed_position_is_refused()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = Place(NewPractice(), order);
        (state, _) = Apply(state, Close(order.OrderId, 95_000m));

        Assert.Equal("position-already-closed",
            Reject(state, new SetProtection(order.OrderId, new Protection(90_000m, null), new MarkPrice(95_000m, T0), T0)).Code);
    }
}
