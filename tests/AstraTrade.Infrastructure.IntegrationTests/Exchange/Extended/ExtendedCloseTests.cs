using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Exchange.Extended;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>Closing live positions with reduce-only market orders, against the fake's netted positions.</summary>
public sealed class ExtendedCloseTests : IAsyncLifetime
{
    private readonly ExtendedTestBed _bed = new();

    public async Task InitializeAsync()
    {
        await _bed.LinkDirectlyAsync();
        var open = await _bed.Exchange.SubmitAsync(_bed.Order(OrderType.Market, PositionSide.Long, 1_000m), default); // 0.02 BTC at 50 000, fee 0.50
        Assert.Equal(ExchangeAckStatus.Filled, open.Status);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task A_close_sells_the_long_reduce_only_and_reports_what_it_executed()
    {
        _bed.Fake.SetMark("BTC-USD", 51_000m);
        var close = Close();

        var ack = await _bed.Exchange.CloseAsync(close, default);

        Assert.Equal(ExchangeAckStatus.Filled, ack.Status);
        Assert.Equal((51_000m, 0.02m, 0.51m), (ack.Execution!.Price, ack.Execution.Quantity, ack.Execution.Fee));
        var placed = _bed.Fake.Orders.Single(o => o.ExternalId == ExtendedExchange.CloseExternalId(close.PositionId));
        Assert.Equal(("MARKET", "SELL", "IOC", true, 0.02m), (placed.Type, placed.Side, placed.TimeInForce, placed.ReduceOnly, placed.Qty));
        Assert.Equal(50_617m, placed.Price); // the mark − 0.75 %, down to the 1 USD tick
        Assert.Null(_bed.Fake.Position(ExtendedTestBed.ApiKey, "BTC-USD"));
        Assert.Empty(_bed.Fake.Refusals);

        // 10 000 − 0.50 (open fee) + 0.02 × 1 000 (realised) − 0.51 (close fee)
        var balance = (await _bed.Exchange.GetBalanceAsync(_bed.User, default)).Value;
        Assert.Equal((10_018.99m, 10_018.99m, 0m), (balance.Balance, balance.Equity, balance.UnrealisedPnl));
    }

    [Fact]
    public async Task A_second_close_of_the_same_position_finds_the_first_and_places_nothing()
    {
        var close = Close();
        var first = await _bed.Exchange.CloseAsync(close, default);
        var second = await _bed.Exchange.CloseAsync(close, default);

        Assert.Equal(ExchangeAckStatus.Filled, second.Status);
        Assert.Equal(first.Execution, second.Execution);
        Assert.Single(_bed.Fake.Orders, o => o.ReduceOnly);
        Assert.Equal(2, _bed.Count("POST", "/user/order")); // the open and one close
    }

    [Fact]
    public async Task A_close_the_exchange_has_not_matched_is_pending_and_a_retry_polls_it()
    {
        _bed.Fake.HoldMarketOrders = true;
        var close = Close();

        Assert.Equal(ExchangeAckStatus.Pending, (await _bed.Exchange.CloseAsync(close, default)).Status);
        Assert.Equal(ExchangeAckStatus.Pending, (await _bed.Exchange.CloseAsync(close, default)).Status);

        _bed.Fake.FillOrder(ExtendedExchange.CloseExternalId(close.PositionId), 49_500m);
        var filled = await _bed.Exchange.CloseAsync(close, default);
        Assert.Equal((ExchangeAckStatus.Filled, 49_500m), (filled.Status, filled.Execution!.Price));
        Assert.Equal(2, _bed.Count("POST", "/user/order"));
    }

    [Fact]
    public async Task A_thin_book_fills_part_of_the_close_and_the_execution_says_how_much()
    {
        _bed.Fake.TakerLiquidity = 0.015m;
        var ack = await _bed.Exchange.CloseAsync(Close(), default);

        Assert.Equal(ExchangeAckStatus.Filled, ack.Status);
        Assert.Equal(0.015m, ack.Execution!.Quantity);
        Assert.Equal(0.005m, _bed.Fake.Position(ExtendedTestBed.ApiKey, "BTC-USD")!.Size);
    }

    [Fact]
    public async Task A_close_that_finds_no_liquidity_is_rejected_as_such()
    {
        _bed.Fake.BookMove = 1_000m;
        var ack = await _bed.Exchange.CloseAsync(Close(), default);
        Assert.Equal((ExchangeAckStatus.Rejected, "no-liquidity"), (ack.Status, ack.Code));
        Assert.Equal(0.02m, _bed.Fake.Position(ExtendedTestBed.ApiKey, "BTC-USD")!.Size);
    }

    [Fact]
    public async Task A_position_the_exchange_liquidated_cannot_be_closed_again()
    {
        _bed.Fake.Liquidate(ExtendedTestBed.ApiKey, "BTC-USD", 41_000m);

        var ack = await _bed.Exchange.CloseAsync(Close(), default);

        Assert.Equal((ExchangeAckStatus.Rejected, "reduce-only-failed"), (ack.Status, ack.Code));
        var liquidation = (await _bed.Exchange.GetFillsAsync(_bed.User, "BTC-USD", default)).Value.Last();
        Assert.Equal(("LIQUIDATION", "SELL", 41_000m), (liquidation.TradeType, liquidation.Side, liquidation.Price));
        Assert.Equal(10_000m - 0.5m - 180m, _bed.Fake.Balance(ExtendedTestBed.ApiKey).Balance); // 0.02 × (41 000 − 50 000)
    }

    [Fact]
    public async Task A_close_of_a_short_buys_it_back()
    {
        var shortClose = Close() with { Side = PositionSide.Short };
        var ack = await _bed.Exchange.CloseAsync(shortClose, default); // the account is long: buying reduces nothing

        Assert.Equal((ExchangeAckStatus.Rejected, "reduce-only-failed"), (ack.Status, ack.Code));
        var placed = _bed.Fake.Orders.Single(o => o.ReduceOnly);
        Assert.Equal(("BUY", 50_375m), (placed.Side, placed.Price));
    }

    [Fact]
    public async Task Only_a_linked_live_account_closes()
    {
        var stranger = Close() with { AccountStream = Application.Eventing.StreamIds.LiveAccount(Guid.NewGuid()) };
        Assert.Equal("exchange-account-not-linked", (await _bed.Exchange.CloseAsync(stranger, default)).Code);
        var practice = Close() with { AccountStream = Application.Eventing.StreamIds.PracticeAccount(_bed.User) };
        Assert.Equal("not-a-live-account", (await _bed.Exchange.CloseAsync(practice, default)).Code);
        Assert.Equal(1, _bed.Count("POST", "/user/order"));
    }

    private ExchangeClose Close() => new(Guid.NewGuid(), _bed.Stream, "BTC-USD", PositionSide.Long, 0.02m);
}
