using System.Collections.Immutable;
using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.LiveFixture;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>
/// Live accounts: Extended holds the money, fills, charges fees, funds and liquidates, so the account records orders and
/// positions as the exchange executed them, never moves a balance, and holds at most one position or order per market.
/// </summary>
public class LiveAccountTests
{
    private static readonly ExchangeExecution BtcFill = Execution(95_010m, 0.0105m, 0.4989m, T0.AddSeconds(1));

    [Fact]
    public void The_balance_stays_zero_through_placing_releasing_filling_and_closing()
    {
        var limit = Limit(Btc, PositionSide.Long, 10, 100m, 90_000m, 95_000m);
        var (state, events) = Apply(NewLive(), limit);
        Assert.Equal(new AccountOpened(AccountKind.Live, Alice.UserId, 0m, T0), events[0]);
        Assert.Equal(0m, state.Balance);

        (state, _) = Apply(state, new ReleaseOrder(limit.OrderId, ReleaseReason.Cancelled, T0.AddMinutes(1)));
        Assert.Equal(0m, state.Balance);

        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        (state, _) = Apply(state, order);
        Assert.Equal(0m, state.Balance);
        (state, _) = Apply(state, LiveFill(order.OrderId, BtcFill));
        Assert.Equal(0m, state.Balance);

        var (closed, closing) = Apply(state, LiveClose(order.OrderId, Execution(96_000m, 0.0105m, 0.504m, T0.AddMinutes(5))));
        Assert.True(Assert.IsType<PositionClosed>(Assert.Single(closing)).Payout > 100m);
        Assert.Equal(0m, closed.Balance);

        // The same fold still moves a practice balance.
        var (practice, _) = Apply(NewPractice(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m));
        Assert.Equal(10_000m - 100.5m, practice.Balance);
    }

    [Fact]
    public void A_live_order_is_not_checked_against_a_balance_but_a_practice_one_is()
    {
        var large = Order(Btc, PositionSide.Long, 10, 50_000m, 95_000m);

        var placed = Assert.IsType<OrderPlaced>(Apply(NewLive(), large).Events[^1]);

        Assert.Equal(500_000m, placed.Notional);
        Assert.Equal("insufficient-balance", Reject(NewPractice(), large).Code);
    }

    [Fact]
    public void The_open_fee_is_estimated_on_the_order_but_nothing_is_deducted()
    {
        var (state, events) = Apply(NewLive(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m));

        Assert.Equal(0.5m, Assert.IsType<OrderPlaced>(events[^1]).OpenFee);
        Assert.Equal(0m, state.Balance);
    }

    [Fact]
    public void Every_other_order_check_applies_as_on_practice()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var live = NewLive();

        Assert.Equal("account-suspended", Reject(live, order with { Trader = Alice with { Suspended = true } }).Code);
        Assert.Equal("market-halted", Reject(live, order with { Market = Btc with { Halted = true } }).Code);
        Assert.Equal("leverage-out-of-range", Reject(live, order with { Leverage = 101 }).Code);
        Assert.Equal("leverage-out-of-range", Reject(live, order with { Trader = Alice with { MaxLeverage = 5 } }).Code);
        Assert.Equal("invalid-collateral", Reject(live, order with { Collateral = 0m }).Code);
        Assert.Equal("invalid-collateral", Reject(live, order with { Collateral = 100.0000001m }).Code);
        Assert.Equal("invalid-limit-price", Reject(live, order with { Type = OrderType.Limit, LimitPrice = null }).Code);
        Assert.Equal("stale-price", Reject(live, order with { Mark = null }).Code);
        Assert.Equal("stale-price", Reject(live, order with { Now = T0.AddSeconds(6) }).Code);
        Assert.Equal("notional-too-small", Reject(live, order with { Leverage = 1, Collateral = 9.99m }).Code);
    }

    [Fact]
    public void Open_positions_and_working_orders_together_are_limited_on_live_too()
    {
        var state = NewLive();
        for (var i = 0; i < Rules.MaxOpenPositions; i++)
        {
            var market = Btc with { Symbol = $"M{i}-USD" };
            var order = Order(market, PositionSide.Long, 10, 10m, 100m);
            state = i % 2 == 0
                ? OpenLive(state, order, Execution(100m, 1m, 0.05m)).State
                : Apply(state, order with { Type = OrderType.Limit, LimitPrice = 90m }).State;
        }

        Assert.Equal("too-many-open-positions", Reject(state, Order(Btc, PositionSide.Long, 10, 10m, 95_000m)).Code);
    }

    [Fact]
    public void A_retried_live_order_changes_nothing_and_a_reused_key_is_refused()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = OpenLive(NewLive(), order, BtcFill);

        // The retry is answered before the market-busy check: the first result stands.
        Assert.Empty(Apply(state, order with { Now = T0.AddMinutes(1) }).Events);
        Assert.Equal("idempotency-key-reused", Reject(state, order with { Collateral = 200m }).Code);
    }

    [Fact]
    public void Stop_loss_and_take_profit_are_refused_on_live_orders_but_not_on_practice()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);

        Assert.Equal("live-protection-not-supported", Reject(NewLive(), order with { Protection = new Protection(94_000m, null) }).Code);
        Assert.Equal("live-protection-not-supported", Reject(NewLive(), order with { Protection = new Protection(null, 96_000m) }).Code);
        Apply(NewPractice(), order with { Protection = new Protection(94_000m, 96_000m) });
    }

    [Fact]
    public void Protection_cannot_be_set_on_a_live_position_either()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = OpenLive(NewLive(), order, BtcFill);

        var set = new SetProtection(order.OrderId, new Protection(90_000m, null), new MarkPrice(95_000m, T0), T0);
        Assert.Equal("live-protection-not-supported", Reject(state, set).Code);
    }

    [Fact]
    public void A_market_with_an_open_position_or_a_working_order_is_busy_until_it_is_closed_or_released()
    {
        var btc = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = OpenLive(NewLive(), btc, BtcFill);
        var eth = Limit(Eth, PositionSide.Short, 5, 40m, 3_500m, 3_400m);
        (state, _) = Apply(state, eth);

        var busy = Reject(state, Order(Btc, PositionSide.Short, 10, 100m, 95_000m));
        Assert.Equal("live-market-busy", busy.Code);
        Assert.Contains("close it first", busy.Message, StringComparison.Ordinal);
        Assert.Equal("live-market-busy", Reject(state, Order(Eth, PositionSide.Long, 5, 40m, 3_400m)).Code);
        Apply(state, Order(Sol, PositionSide.Long, 5, 40m, 180m));

        (state, _) = Apply(state, LiveClose(btc.OrderId, Execution(95_500m, 0.0105m, 0.5m, T0.AddMinutes(1))));
        (state, _) = Apply(state, new ReleaseOrder(eth.OrderId, ReleaseReason.Cancelled, T0.AddMinutes(1)));
        Apply(state, Order(Btc, PositionSide.Short, 10, 100m, 95_000m));
        Apply(state, Order(Eth, PositionSide.Long, 5, 40m, 3_400m));

        // Practice keeps isolated positions side by side on one market.
        var (practice, _) = Open(NewPractice(), Btc, PositionSide.Long, 10, 100m, 95_000m);
        Apply(practice, Order(Btc, PositionSide.Long, 10, 100m, 95_000m));
    }

    [Fact]
    public void A_live_fill_needs_the_exchanges_execution()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = Apply(NewLive(), order);

        Assert.Equal("live-fill-needs-execution", Reject(state, Fill(order.OrderId, 95_000m)).Code);
    }

    [Theory]
    [InlineData("0", "0.01", "0")]
    [InlineData("-95000", "0.01", "0")]
    [InlineData("95000", "0", "0")]
    [InlineData("95000", "-0.01", "0")]
    [InlineData("95000", "0.01", "-0.000001")]
    public void A_live_fill_or_close_with_a_nonsensical_execution_is_refused(string price, string quantity, string fee)
    {
        var bad = Execution(D(price), D(quantity), D(fee));
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (working, _) = Apply(NewLive(), order);
        var (open, _) = Apply(working, LiveFill(order.OrderId, BtcFill));

        Assert.Equal("invalid-execution", Reject(working, LiveFill(order.OrderId, bad)).Code);
        Assert.Equal("invalid-execution", Reject(open, LiveClose(order.OrderId, bad)).Code);
    }

    [Fact]
    public void A_live_fill_opens_exactly_what_the_exchange_executed_with_the_orders_collateral()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = Apply(NewLive(), order);
        var execution = Execution(95_123.45m, 0.0104m, 0.49m, T0.AddSeconds(2));

        var (after, events) = Apply(state, LiveFill(order.OrderId, execution, new MarkPrice(95_100m, T0.AddSeconds(2))));

        var opened = Assert.IsType<PositionOpened>(Assert.Single(events));
        var expected = new PositionTerms("BTC-USD", PositionSide.Long, 10, 100m, 0.0104m * 95_123.45m, 0.0104m, 95_123.45m, 0.49m, 0.005m, 0.0005m, execution.At);
        Assert.Equal(expected, opened.Terms);
        Assert.Equal((order.OrderId, order.OrderId, 95_100m, execution.At), (opened.PositionId, opened.OrderId, opened.MarkPrice, opened.At));
        Assert.Null(opened.Protection);
        Assert.Equal(100m, after.OpenPositions[order.OrderId].Collateral);
        Assert.Equal(OrderStatus.Filled, after.Orders[order.OrderId].Status);
    }

    [Fact]
    public void A_live_fill_needs_no_fresh_mark_and_no_crossed_limit()
    {
        // A limit long at 90,000 that the exchange filled at 95,500: the simulated exchange would say the limit was
        // not reached, but the execution is the fact.
        var limit = Limit(Btc, PositionSide.Long, 10, 100m, 90_000m, 95_000m);
        var (state, _) = Apply(NewLive(), limit);
        var late = Execution(95_500m, 0.0105m, 0.5m, T0.AddHours(1));

        var stale = Assert.IsType<PositionOpened>(Assert.Single(Apply(state, LiveFill(limit.OrderId, late, new MarkPrice(95_000m, T0))).Events));
        var none = Assert.IsType<PositionOpened>(Assert.Single(Apply(state, LiveFill(limit.OrderId, late)).Events));

        Assert.Equal(95_500m, stale.Terms.EntryPrice);
        Assert.Equal(95_500m, none.MarkPrice); // with no mark, the execution price stands in
    }

    [Fact]
    public void Filling_a_live_order_again_changes_nothing()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = OpenLive(NewLive(), order, BtcFill);

        Assert.Empty(Apply(state, LiveFill(order.OrderId, BtcFill)).Events);
        Assert.Empty(Apply(state, LiveFill(order.OrderId, Execution(96_000m, 0.02m, 1m, T0.AddMinutes(1)))).Events);
    }

    [Fact]
    public void A_live_close_needs_the_exchanges_execution()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = OpenLive(NewLive(), order, BtcFill);

        Assert.Equal("live-close-needs-execution", Reject(state, Close(order.OrderId, 95_000m)).Code);
    }

    [Fact]
    public void A_live_close_must_close_the_whole_quantity_after_the_open()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = OpenLive(NewLive(), order, BtcFill);

        Assert.Equal("invalid-execution", Reject(state, LiveClose(order.OrderId, Execution(96_000m, 0.0104m, 0.5m, T0.AddMinutes(1)))).Code);
        Assert.Equal("invalid-execution", Reject(state, LiveClose(order.OrderId, Execution(96_000m, 0.0106m, 0.5m, T0.AddMinutes(1)))).Code);
        Assert.Equal("invalid-execution", Reject(state, LiveClose(order.OrderId, Execution(96_000m, 0.0105m, 0.5m, T0))).Code);
        Apply(state, LiveClose(order.OrderId, Execution(96_000m, 0.010500m, 0.5m, T0.AddMinutes(1))));
    }

    [Fact]
    public void A_live_close_books_the_exchanges_exit_and_fee_and_records_the_payout()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, position) = OpenLive(NewLive(), order, BtcFill);
        var execution = Execution(96_000m, 0.0105m, 0.504m, T0.AddMinutes(5));

        var (after, events) = Apply(state, LiveClose(position.Id, execution, new MarkPrice(96_010m, T0.AddMinutes(5))));

        var closed = Assert.IsType<PositionClosed>(Assert.Single(events));
        Assert.Equal(
            new PositionClosed(position.Id, position.Terms, 100m, 96_010m, 96_000m, 10.395m, 0.504m, 109.891m, CloseReason.User, execution.At),
            closed);
        Assert.Empty(after.OpenPositions);
        Assert.Equal(0m, after.Balance);
    }

    [Fact]
    public void A_live_short_books_a_profit_when_the_exchange_bought_back_lower()
    {
        var order = Order(Eth, PositionSide.Short, 5, 200m, 3_400m);
        var (state, position) = OpenLive(NewLive(), order, Execution(3_400m, 0.3m, 0.51m));

        var closed = Assert.IsType<PositionClosed>(Assert.Single(Apply(state, LiveClose(position.Id, Execution(3_300m, 0.3m, 0.5m, T0.AddHours(1)))).Events));

        Assert.Equal((30m, 229.5m), (closed.RealizedPnl, closed.Payout));
    }

    [Fact]
    public void A_live_close_beyond_the_liquidation_price_is_still_a_close_paying_at_least_zero()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, position) = OpenLive(NewLive(), order, BtcFill);
        Assert.True(position.IsLiquidatableAt(80_000m));

        var events = Apply(state, LiveClose(position.Id, Execution(80_000m, 0.0105m, 0.42m, T0.AddMinutes(1)), new MarkPrice(80_000m, T0.AddMinutes(1)))).Events;

        var closed = Assert.IsType<PositionClosed>(Assert.Single(events));
        Assert.Equal(-157.605m, closed.RealizedPnl);
        Assert.Equal(0m, closed.Payout);
        Assert.Equal(CloseReason.User, closed.Reason);
    }

    [Fact]
    public void Closing_a_live_position_twice_says_already_closed_and_an_unknown_id_says_not_found()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, _) = OpenLive(NewLive(), order, BtcFill);
        var execution = Execution(96_000m, 0.0105m, 0.5m, T0.AddMinutes(1));
        (state, _) = Apply(state, LiveClose(order.OrderId, execution));

        Assert.Equal("position-already-closed", Reject(state, LiveClose(order.OrderId, execution)).Code);
        Assert.Equal("position-not-found", Reject(state, LiveClose(Guid.NewGuid(), execution)).Code);
    }

    [Fact]
    public void The_exchange_triggers_and_liquidates_live_positions_not_the_account()
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (state, position) = OpenLive(NewLive(), order, BtcFill);
        var crash = new MarkPrice(position.LiquidationPrice - 1_000m, T0);

        Assert.Equal("live-managed-by-exchange", Reject(state, new LiquidatePosition(position.Id, crash, T0)).Code);
        Assert.Equal("live-managed-by-exchange", Reject(state, new TriggerProtection(position.Id, crash, T0)).Code);
    }

    [Fact]
    public void Funding_passes_live_positions_by()
    {
        var (state, _) = OpenLive(NewLive(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m), BtcFill);
        var hour = T0.AddHours(1);

        var funding = new ApplyFunding(hour, ImmutableDictionary<string, FundingQuote>.Empty.Add("BTC-USD", new FundingQuote(0.0001m, 95_000m)), hour);

        Assert.Empty(Apply(state, funding).Events);
    }

    [Fact]
    public void A_live_account_is_neither_reset_nor_settled()
    {
        var (state, _) = OpenLive(NewLive(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m), BtcFill);
        var marks = Markets.ToImmutableDictionary(m => m.Symbol, _ => new MarkPrice(95_000m, T0));

        Assert.Equal("reset-not-allowed", Reject(state, new ResetAccount(Alice.UserId, marks, T0)).Code);
        Assert.Equal("settlement-not-allowed", Reject(state, new SettleAccount(marks, T0)).Code);
    }

    [Theory]
    [InlineData(AccountKind.Practice)]
    [InlineData(AccountKind.Tournament)]
    public void An_execution_arriving_for_a_simulated_account_is_refused(AccountKind kind)
    {
        var order = Order(Btc, PositionSide.Long, 10, 100m, 95_000m);
        var (working, _) = Apply(AccountState.Unopened(kind, Rules), order);
        var execution = Execution(95_000m, 0.0105m, 0.5m);

        var withExecution = Fill(order.OrderId, 95_000m) with { Execution = execution };
        Assert.Equal("unexpected-execution", Reject(working, withExecution).Code);

        var (open, _) = Apply(working, Fill(order.OrderId, 95_000m));
        Assert.Equal("unexpected-execution", Reject(open, Close(order.OrderId, 95_000m) with { Execution = execution }).Code);
        Assert.IsType<PositionClosed>(Assert.Single(Apply(open, Close(order.OrderId, 95_000m)).Events));
    }

    private static decimal D(string value) => decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
}
