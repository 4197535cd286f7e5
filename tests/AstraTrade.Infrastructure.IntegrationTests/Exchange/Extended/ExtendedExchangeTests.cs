using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Exchange.Extended;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>Orders of a linked live account through the adapter, against the fake (which verifies every settlement).</summary>
public sealed class ExtendedExchangeTests : IAsyncLifetime
{
    private readonly ExtendedTestBed _bed = new();

    public Task InitializeAsync() => _bed.LinkDirectlyAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_market_order_fills_at_the_mark_and_reports_what_it_executed()
    {
        var ack = await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default);

        Assert.Equal(ExchangeAckStatus.Filled, ack.Status);
        var execution = Assert.IsType<ExchangeExecution>(ack.Execution);
        Assert.Equal((50_000m, 0.02m, 0.5m), (execution.Price, execution.Quantity, execution.Fee)); // fee: 0.02 × 50 000 × 0.05 %
        Assert.Equal(50_000m, ack.FillMark!.Price);
        Assert.Equal(execution.At, ack.FillMark.Time);
        var placed = Assert.Single(_bed.Fake.Orders);
        Assert.Equal(("MARKET", "BUY", 0.02m, false), (placed.Type, placed.Side, placed.Qty, placed.ReduceOnly));
        Assert.Equal(50_375m, placed.Price); // the protective worst price: mark + 0.75 %
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(placed.UpdatedTime), execution.At);
        Assert.Empty(_bed.Fake.Refusals);
        Assert.Equal(10_000m - 0.5m, _bed.Fake.Balance(ExtendedTestBed.ApiKey).Balance);
    }

    [Fact]
    public async Task The_markets_leverage_is_set_to_the_orders_only_when_it_differs()
    {
        await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 500m, leverage: 5), default);
        Assert.Equal(1, _bed.Count("PATCH", "/user/leverage"));
        Assert.Equal(5m, _bed.Fake.Leverage(ExtendedTestBed.ApiKey, "BTC-USD"));

        await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 500m, leverage: 5), default);
        Assert.Equal(1, _bed.Count("PATCH", "/user/leverage"));
        Assert.Equal(2, _bed.Count("GET", "/user/leverage"));

        await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 500m, leverage: 10), default);
        Assert.Equal(2, _bed.Count("PATCH", "/user/leverage"));
        Assert.Equal(10m, _bed.Fake.Leverage(ExtendedTestBed.ApiKey, "BTC-USD"));
        Assert.All(_bed.Fake.Orders, o => Assert.Equal("FILLED", o.Status));
    }

    [Fact]
    public async Task A_leverage_above_the_markets_maximum_is_refused_before_anything_changes()
    {
        var ack = await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 500m, leverage: 60), default);

        Assert.Equal((ExchangeAckStatus.Rejected, "leverage-out-of-range"), (ack.Status, ack.Code));
        Assert.Equal(0, _bed.Count("PATCH", "/user/leverage"));
        Assert.Equal(0, _bed.Count("POST", "/user/order"));
    }

    [Fact]
    public async Task A_limit_order_below_the_mark_rests_and_cancels()
    {
        var order = _bed.Order(OrderType.Limit, PositionSide.Long, 900m, limit: 45_000m);
        Assert.Equal(ExchangeAckStatus.Resting, (await _bed.Exchange.SubmitAsync(order, default)).Status);
        var resting = Assert.Single(_bed.Fake.Orders);
        Assert.Equal(("NEW", "GTT", 0.02m), (resting.Status, resting.TimeInForce, resting.Qty));

        Assert.True(await _bed.Exchange.CancelAsync(order, default));
        Assert.Equal("CANCELLED", Assert.Single(_bed.Fake.Orders).Status);
        Assert.True(await _bed.Exchange.CancelAsync(order, default)); // cancelled before counts as cancelled
        var status = await _bed.Exchange.StatusAsync(order, default);
        Assert.Equal((ExchangeAckStatus.Rejected, "exchange-cancelled"), (status.Status, status.Code));
    }

    [Fact]
    public async Task A_short_limit_order_that_crosses_fills_and_cannot_be_cancelled()
    {
        var order = _bed.Order(OrderType.Limit, PositionSide.Short, 490m, limit: 49_000m);
        var ack = await _bed.Exchange.SubmitAsync(order, default);

        Assert.Equal(ExchangeAckStatus.Filled, ack.Status);
        Assert.Equal(0.01m, ack.Execution!.Quantity); // 490 USD at the limit of 49 000
        Assert.False(await _bed.Exchange.CancelAsync(order, default));
        Assert.Equal(-0.01m, _bed.Fake.Position(ExtendedTestBed.ApiKey, "BTC-USD")!.Size);
    }

    [Fact]
    public async Task A_resting_order_filled_later_is_reported_filled_by_status_with_its_execution()
    {
        var order = _bed.Order(OrderType.Limit, PositionSide.Long, 900m, limit: 45_000m);
        await _bed.Exchange.SubmitAsync(order, default);
        _bed.Fake.FillOrder(ExtendedExchange.ExternalId(order.OrderId), 44_990m);

        var status = await _bed.Exchange.StatusAsync(order, default);

        Assert.Equal(ExchangeAckStatus.Filled, status.Status);
        Assert.Equal((44_990m, 0.02m, 0.02m * 44_990m * 0.0005m), (status.Execution!.Price, status.Execution.Quantity, status.Execution.Fee));
    }

    [Fact]
    public async Task A_partly_filled_order_rests_then_a_cancel_leaves_the_part_that_filled()
    {
        var order = _bed.Order(OrderType.Limit, PositionSide.Long, 900m, limit: 45_000m);
        await _bed.Exchange.SubmitAsync(order, default);
        _bed.Fake.FillOrder(ExtendedExchange.ExternalId(order.OrderId), 45_000m, qty: 0.01m);
        Assert.Equal(ExchangeAckStatus.Resting, (await _bed.Exchange.StatusAsync(order, default)).Status);

        Assert.False(await _bed.Exchange.CancelAsync(order, default)); // part of it filled: not a clean cancel

        var status = await _bed.Exchange.StatusAsync(order, default);
        Assert.Equal(ExchangeAckStatus.Filled, status.Status);
        Assert.Equal((45_000m, 0.01m, 0.225m), (status.Execution!.Price, status.Execution.Quantity, status.Execution.Fee));
    }

    [Fact]
    public async Task A_market_order_the_exchange_has_not_matched_yet_is_pending_until_polled_filled()
    {
        _bed.Fake.HoldMarketOrders = true;
        var order = _bed.Order(OrderType.Market, PositionSide.Short, 1_000m);

        Assert.Equal(ExchangeAckStatus.Pending, (await _bed.Exchange.SubmitAsync(order, default)).Status);
        Assert.Equal(ExchangeAckStatus.Pending, (await _bed.Exchange.StatusAsync(order, default)).Status);

        _bed.Fake.FillOrder(ExtendedExchange.ExternalId(order.OrderId), 49_900m);
        var status = await _bed.Exchange.StatusAsync(order, default);
        Assert.Equal(ExchangeAckStatus.Filled, status.Status);
        Assert.Equal((49_900m, 0.02m), (status.Execution!.Price, status.Execution.Quantity));
        Assert.Equal(1, _bed.Count("POST", "/user/order"));
    }

    [Theory]
    [InlineData(OrderType.Market, "EXPIRED", "no-liquidity")]
    [InlineData(OrderType.Market, "CANCELLED", "no-liquidity")]
    [InlineData(OrderType.Limit, "EXPIRED", "exchange-expired")]
    [InlineData(OrderType.Limit, "CANCELLED", "exchange-cancelled")]
    public async Task An_order_that_ends_without_a_fill_is_rejected_with_why(OrderType type, string end, string code)
    {
        _bed.Fake.HoldMarketOrders = true;
        var order = _bed.Order(type, PositionSide.Long, 900m, limit: type == OrderType.Limit ? 45_000m : null);
        await _bed.Exchange.SubmitAsync(order, default);
        _bed.Fake.EndOrder(ExtendedExchange.ExternalId(order.OrderId), end);

        var status = await _bed.Exchange.StatusAsync(order, default);

        Assert.Equal((ExchangeAckStatus.Rejected, code), (status.Status, status.Code));
        Assert.Null(status.Execution);
    }

    [Fact]
    public async Task An_order_whose_margin_exceeds_what_is_available_is_rejected_with_Extendeds_reason()
    {
        var ack = await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 60_000m), default); // 12 000 margin at 5x
        Assert.Equal((ExchangeAckStatus.Rejected, "not-enough-funds"), (ack.Status, ack.Code));
    }

    [Fact]
    public async Task A_market_order_whose_worst_price_does_not_reach_the_book_is_rejected_as_no_liquidity()
    {
        _bed.Fake.BookMove = 1_000m; // 2 % above the mark: beyond the 0.75 % worst price
        var ack = await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        Assert.Equal((ExchangeAckStatus.Rejected, "no-liquidity"), (ack.Status, ack.Code));
    }

    [Fact]
    public async Task A_resubmit_finds_the_order_it_placed_instead_of_placing_another()
    {
        var order = _bed.Order(OrderType.Limit, PositionSide.Long, 900m, limit: 45_000m);
        await _bed.Exchange.SubmitAsync(order, default);
        var again = await _bed.Exchange.SubmitAsync(order, default);

        Assert.Equal(ExchangeAckStatus.Resting, again.Status);
        Assert.Equal(ExtendedExchange.ExternalId(order.OrderId), Assert.Single(_bed.Fake.Orders).ExternalId);
        Assert.Equal(1, _bed.Count("POST", "/user/order"));
    }

    [Fact]
    public async Task Only_a_linked_live_account_trades()
    {
        var practice = _bed.Order(OrderType.Market, PositionSide.Long, 1_000m) with { AccountStream = StreamIds.PracticeAccount(_bed.User) };
        var notLive = await _bed.Exchange.SubmitAsync(practice, default);
        Assert.Equal((ExchangeAckStatus.Rejected, "not-a-live-account"), (notLive.Status, notLive.Code));
        Assert.Equal("not-a-live-account", (await _bed.Exchange.StatusAsync(practice, default)).Code);

        var stranger = _bed.Order(OrderType.Market, PositionSide.Long, 1_000m) with { AccountStream = StreamIds.LiveAccount(Guid.NewGuid()) };
        Assert.Equal("exchange-account-not-linked", (await _bed.Exchange.SubmitAsync(stranger, default)).Code);
        Assert.Equal(0, _bed.Count("POST", "/user/order"));
    }

    [Fact]
    public async Task A_stark_key_that_is_not_the_accounts_signs_a_settlement_the_exchange_refuses()
    {
        await _bed.LinkDirectlyAsync(new ExchangeCredentials(ExtendedTestBed.ApiKey, StarkPrivateKey.Parse("0x1234567"), ExtendedTestBed.Vault));
        var ack = await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        Assert.Equal((ExchangeAckStatus.Rejected, "exchange-rejected"), (ack.Status, ack.Code));
        Assert.Contains("Stark key", Assert.Single(_bed.Fake.Refusals));
    }

    [Fact]
    public async Task An_api_key_the_exchange_now_refuses_rejects_orders_and_closes_asking_for_a_new_link_and_gives_up_cancels()
    {
        var order = _bed.Order(OrderType.Limit, PositionSide.Long, 1_000m, limit: 45_000m);
        Assert.Equal(ExchangeAckStatus.Resting, (await _bed.Exchange.SubmitAsync(order, default)).Status);
        await _bed.LinkDirectlyAsync(new ExchangeCredentials("wrong-key-42", ExtendedTestBed.Key, ExtendedTestBed.Vault)); // the owner revoked the key

        var submitted = await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        var status = await _bed.Exchange.StatusAsync(order, default);
        var closed = await _bed.Exchange.CloseAsync(new ExchangeClose(Guid.NewGuid(), _bed.Stream, "BTC-USD", PositionSide.Long, 0.02m), default);

        Assert.All([submitted, status, closed], ack => Assert.Equal((ExchangeAckStatus.Rejected, "exchange-credentials-invalid"), (ack.Status, ack.Code)));
        Assert.True(await _bed.Exchange.CancelAsync(order, default)); // given up here rather than held forever
        Assert.DoesNotContain(_bed.Log.Lines, line => line.Contains("wrong-key-42", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Positions_and_fills_are_read_back_netted_per_market()
    {
        await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Short, 500m), default);

        var fills = (await _bed.Exchange.GetFillsAsync(_bed.User, "BTC-USD", default)).Value;
        Assert.Equal([("BUY", 0.02m, "TRADE"), ("SELL", 0.01m, "TRADE")], fills.Select(f => (f.Side, f.Qty, f.TradeType)));
        var position = Assert.Single((await _bed.Exchange.GetPositionsAsync(_bed.User, default)).Value);
        Assert.Equal(("BTC-USD", PositionSide.Long, 0.01m), (position.Market, position.Side, position.Size));
        Assert.NotNull(position.LiquidationPrice);
        Assert.Equal("exchange-account-not-linked", (await _bed.Exchange.GetPositionsAsync(Guid.NewGuid(), default)).Error!.Code);
    }
}
