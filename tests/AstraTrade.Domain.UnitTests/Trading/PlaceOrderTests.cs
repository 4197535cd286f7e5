using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

public class PlaceOrderTests
{
    [Fact]
    public void A_long_fills_at_mark_plus_half_the_spread_and_pays_collateral_plus_fee()
    {
        var (state, events) = Place(NewPractice(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m));

        var opened = Assert.IsType<PositionOpened>(events[^1]);
        Assert.Equal(95_000m * 1.0001m, opened.Terms.EntryPrice);
        Assert.Equal(1_000m, opened.Terms.Notional);
        Assert.Equal(1_000m / (95_000m * 1.0001m), opened.Terms.Quantity);
        Assert.Equal(0.5m, opened.Terms.OpenFee); // 1,000 × 0.05 %
        Assert.Equal(10_000m - 100m - 0.5m, state.Balance);
        Assert.Equal(100m, state.MarginInUse);
    }

    [Fact]
    public void A_short_fills_at_mark_minus_half_the_spread()
    {
        var (_, events) = Place(NewPractice(), Order(Eth, PositionSide.Short, 5, 40m, 3_400m));

        Assert.Equal(3_400m * 0.9999m, Assert.IsType<PositionOpened>(events[^1]).Terms.EntryPrice);
    }

    [Fact]
    public void The_first_order_opens_the_account_with_the_practice_starting_balance()
    {
        var (state, events) = Place(NewPractice(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m));

        var opened = Assert.IsType<AccountOpened>(events[0]);
        Assert.Equal(10_000m, opened.StartingBalance);
        Assert.Equal(Alice.UserId, opened.OwnerId);
        Assert.True(state.IsOpened);
        Assert.Equal(2, Place(state, Order(Btc, PositionSide.Long, 10, 100m, 95_000m)).Events.Count); // placed, filled: no second opening
    }

    [Fact]
    public void Fees_round_up_to_the_micro_dollar()
    {
        // 15 × 1 × 0.05 % = 0.0075 exactly; 10.000001 × 1 × 0.05 % = 0.0050000005 → 0.000001 more.
        var (_, events) = Place(NewPractice(), Order(Btc, PositionSide.Long, 1, 10.000001m, 95_000m));

        Assert.Equal(0.005001m, Assert.IsType<PositionOpened>(events[^1]).Terms.OpenFee);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    public void Leverage_outside_one_to_the_market_maximum_is_rejected(int leverage)
    {
        Assert.Equal("leverage-out-of-range", Reject(NewPractice(), Order(Btc, PositionSide.Long, leverage, 100m, 95_000m)).Code);
    }

    [Fact]
    public void Leverage_is_limited_by_the_lower_of_the_user_level_and_the_market()
    {
        var levelOne = Alice with { MaxLeverage = 10 };
        Assert.Equal("leverage-out-of-range", Reject(NewPractice(), Order(Btc, PositionSide.Long, 11, 100m, 95_000m, trader: levelOne)).Code);
        Place(NewPractice(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m, trader: levelOne));

        Assert.Equal("leverage-out-of-range", Reject(NewPractice(), Order(Strk, PositionSide.Long, 21, 100m, 0.45m)).Code);
        Place(NewPractice(), Order(Strk, PositionSide.Long, 20, 100m, 0.45m));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1.0000001")]
    public void Collateral_must_be_positive_with_at_most_six_decimals(string collateral)
    {
        var c = decimal.Parse(collateral, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("invalid-collateral", Reject(NewPractice(), Order(Btc, PositionSide.Long, 10, c, 95_000m)).Code);
    }

    [Fact]
    public void Notional_below_the_market_minimum_is_rejected_and_exactly_the_minimum_is_accepted()
    {
        Assert.Equal("notional-too-small", Reject(NewPractice(), Order(Btc, PositionSide.Long, 2, 4.999999m, 95_000m)).Code);
        Place(NewPractice(), Order(Btc, PositionSide.Long, 2, 5m, 95_000m));
    }

    [Fact]
    public void The_balance_must_cover_collateral_plus_the_opening_fee()
    {
        // 9,990 × 2 × 0.05 % = 9.99 fee: 9,999.99 fits in 10,000; 9,995 × 2 needs 9,995 + 9.995 = 10,004.995.
        Place(NewPractice(), Order(Btc, PositionSide.Long, 2, 9_990m, 95_000m));
        var error = Reject(NewPractice(), Order(Btc, PositionSide.Long, 2, 9_995m, 95_000m));
        Assert.Equal("insufficient-balance", error.Code);
    }

    [Fact]
    public void At_most_twenty_positions_may_be_open()
    {
        var state = NewPractice();
        for (var i = 0; i < 20; i++)
        {
            state = Open(state, Btc, PositionSide.Long, 10, 10m, 95_000m).State;
        }

        Assert.Equal("too-many-open-positions", Reject(state, Order(Btc, PositionSide.Long, 10, 10m, 95_000m)).Code);
    }

    [Fact]
    public void A_suspended_trader_cannot_place_orders()
    {
        var suspended = Alice with { Suspended = true };
        Assert.Equal("account-suspended", Reject(NewPractice(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m, trader: suspended)).Code);
    }

    [Fact]
    public void A_halted_market_cannot_be_traded()
    {
        Assert.Equal("market-halted", Reject(NewPractice(), Order(Btc with { Halted = true }, PositionSide.Long, 10, 100m, 95_000m)).Code);
    }

    [Fact]
    public void A_mark_price_older_than_five_seconds_is_stale()
    {
        var atLimit = Order(Btc, PositionSide.Long, 10, 100m, 95_000m) with { Now = T0.AddSeconds(5) };
        Apply(NewPractice(), atLimit);

        var stale = Order(Btc, PositionSide.Long, 10, 100m, 95_000m) with { Now = T0.AddSeconds(5).AddTicks(1) };
        Assert.Equal("stale-price", Reject(NewPractice(), stale).Code);
        Assert.Equal("stale-price", Reject(NewPractice(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m) with { Mark = null }).Code);
    }

    [Fact]
    public void The_same_idempotency_key_and_order_returns_the_first_result_without_new_events()
    {
        var first = Order(Btc, PositionSide.Long, 10, 100m, 95_000m, key: "k-1");
        var (state, _) = Apply(NewPractice(), first);

        // A retry later, at another price, with the amount written differently, changes nothing.
        var retry = Order(Btc, PositionSide.Long, 10, 100.000m, 96_000m, at: T0.AddMinutes(3), key: "k-1", orderId: first.OrderId);
        var (after, events) = Apply(state, retry);

        Assert.Empty(events);
        Assert.Equal(state, after);
        Assert.Equal(first.OrderId, after.RecentOrders["k-1"]);
    }

    [Fact]
    public void The_same_idempotency_key_with_a_different_order_is_rejected()
    {
        var (state, _) = Place(NewPractice(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m, key: "k-1"));

        Assert.Equal("idempotency-key-reused", Reject(state, Order(Btc, PositionSide.Short, 10, 100m, 95_000m, key: "k-1")).Code);
        Assert.Equal("idempotency-key-reused", Reject(state, Order(Btc, PositionSide.Long, 11, 100m, 95_000m, key: "k-1")).Code);
        Assert.Equal("idempotency-key-reused", Reject(state, Order(Eth, PositionSide.Long, 10, 100m, 95_000m, key: "k-1")).Code);
    }

    [Fact]
    public void Idempotency_keys_are_forgotten_after_the_window()
    {
        var (state, _) = Place(NewPractice(), Order(Btc, PositionSide.Long, 10, 10m, 95_000m, key: "old"));
        var later = T0 + Rules.IdempotencyWindow + TimeSpan.FromSeconds(1);
        (state, _) = Place(state, Order(Btc, PositionSide.Long, 10, 10m, 95_000m, at: later));

        Assert.False(state.RecentOrders.ContainsKey("old"));
    }

    [Fact]
    public void Idempotency_keys_beyond_the_capacity_forget_the_oldest_first()
    {
        var rules = Rules with { IdempotencyCapacity = 3, MaxOpenPositions = 10 };
        var state = NewPractice();
        foreach (var key in new[] { "a", "b", "c", "d" })
        {
            var order = Order(Btc, PositionSide.Long, 10, 10m, 95_000m, key: key);
            state = Account.Fold(state, Account.Decide(state, order, rules).Events, rules);
            state = Account.Fold(state, Account.Decide(state, new FillOrder(order.OrderId, order.Mark, order.Now), rules).Events, rules);
        }

        Assert.Equal(["b", "c", "d"], state.RecentOrders.Keys.Order());
    }

    [Fact]
    public void Orders_still_working_are_never_forgotten()
    {
        var rules = Rules with { IdempotencyCapacity = 2 };
        var state = NewPractice();
        var working = Limit(Btc, PositionSide.Long, 10, 10m, 90_000m, 95_000m) with { IdempotencyKey = "working" };
        state = Account.Fold(state, Account.Decide(state, working, rules).Events, rules);
        foreach (var key in new[] { "b", "c", "d" })
        {
            var order = Order(Btc, PositionSide.Long, 10, 10m, 95_000m, key: key);
            state = Account.Fold(state, Account.Decide(state, order, rules).Events, rules);
            state = Account.Fold(state, Account.Decide(state, new FillOrder(order.OrderId, order.Mark, order.Now), rules).Events, rules);
        }

        Assert.Equal(OrderStatus.Working, state.Orders[state.RecentOrders["working"]].Status);
    }
}
