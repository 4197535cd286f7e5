using System.Collections.Concurrent;
using System.Diagnostics;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Starknet;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>The Extended adapter against the local fake, which verifies every order's settlement signature.</summary>
public sealed class ExtendedExchangeTests : IAsyncLifetime
{
    private const string Stream = "account-live-1";
    private const string ApiKey = "test-api-key-0123456789";
    private const string PrivateKeyHex = "0x3c1e9550e66958296d11b60f8e8e7a7ad990d07fa65d5f7652c4a6c87d4e3cc";
    private readonly Guid _user = Guid.NewGuid();
    private readonly FakeExtended _fake = new();
    private readonly InMemoryStarkKeyVault _keys = new();
    private readonly ListLogger _log = new();
    private ExtendedOptions _options = null!;
    private ExtendedExchange _exchange = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var key = StarkPrivateKey.Parse(PrivateKeyHex);
        await _keys.StoreAsync(_user, key, default);
        _fake.AddAccount(ApiKey, 7001, StarkEcdsa.GetStarkKey(key.RevealValue()), balance: 10_000m);
        _options = new ExtendedOptions { BaseUrl = _fake.BaseUrl, ChainId = "SN_SEPOLIA", RequestsPerMinute = 6000, Burst = 50 };
        _options.Accounts[Stream] = new ExtendedAccountOptions { UserId = _user, ApiKey = ApiKey, Vault = 7001 };
        _exchange = NewExchange(_options);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_market_order_fills_at_the_mark_with_a_verified_settlement()
    {
        var ack = await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default);

        Assert.Equal(ExchangeAckStatus.Filled, ack.Status);
        Assert.Equal(50_000m, ack.FillMark!.Price);
        var placed = Assert.Single(_fake.Orders);
        Assert.Equal(("MARKET", "BUY", 0.02m), (placed.Type, placed.Side, placed.Qty));
        Assert.Equal(50_375m, placed.Price); // the protective worst price: mark + 0.75 %
        Assert.Empty(_fake.Refusals);
    }

    [Fact]
    public async Task A_limit_order_below_the_mark_rests_and_cancels()
    {
        var order = Order(OrderType.Limit, PositionSide.Long, 900m, limit: 45_000m);
        Assert.Equal(ExchangeAckStatus.Resting, (await _exchange.SubmitAsync(order, default)).Status);
        Assert.Equal("NEW", Assert.Single(_fake.Orders).Status);

        Assert.True(await _exchange.CancelAsync(order, default));
        Assert.Equal("CANCELLED", Assert.Single(_fake.Orders).Status);
        Assert.True(await _exchange.CancelAsync(order, default)); // cancelled before counts as cancelled
    }

    [Fact]
    public async Task A_short_limit_order_that_crosses_fills_and_cannot_be_cancelled()
    {
        var order = Order(OrderType.Limit, PositionSide.Short, 500m, limit: 49_000m);
        Assert.Equal(ExchangeAckStatus.Filled, (await _exchange.SubmitAsync(order, default)).Status);
        Assert.False(await _exchange.CancelAsync(order, default));
        Assert.Empty(_fake.Refusals);
    }

    [Fact]
    public async Task An_order_worth_more_than_the_balance_is_rejected_with_Extendeds_reason()
    {
        var ack = await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 20_000m), default);
        Assert.Equal((ExchangeAckStatus.Rejected, "not-enough-funds"), (ack.Status, ack.Code));
    }

    [Fact]
    public async Task A_market_order_whose_worst_price_does_not_reach_the_mark_is_rejected_as_no_liquidity()
    {
        _fake.BookMove = 1_000m; // 2 % above the mark: beyond the 0.75 % worst price
        var ack = await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        Assert.Equal((ExchangeAckStatus.Rejected, "no-liquidity"), (ack.Status, ack.Code));
    }

    [Fact]
    public async Task A_resubmit_finds_the_order_it_placed_instead_of_placing_another()
    {
        var order = Order(OrderType.Limit, PositionSide.Long, 900m, limit: 45_000m);
        await _exchange.SubmitAsync(order, default);
        var again = await _exchange.SubmitAsync(order, default);

        Assert.Equal(ExchangeAckStatus.Resting, again.Status);
        var placed = Assert.Single(_fake.Orders);
        Assert.Equal(ExtendedExchange.ExternalId(order.OrderId), placed.ExternalId);
        Assert.Single(_fake.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task A_wrong_key_in_the_vault_signs_a_settlement_the_exchange_refuses()
    {
        await _keys.StoreAsync(_user, StarkPrivateKey.Parse("0x1234567"), default);
        var ack = await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        Assert.Equal(ExchangeAckStatus.Rejected, ack.Status);
        Assert.Contains("Stark key", Assert.Single(_fake.Refusals));
    }

    [Fact]
    public async Task Positions_and_fills_are_read_back()
    {
        await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Short, 500m), default);

        var fills = await _exchange.GetFillsAsync(Stream, "BTC-USD", default);
        Assert.Equal([("BUY", 0.02m), ("SELL", 0.01m)], fills.Select(f => (f.Side, f.Qty)));
        var position = Assert.Single(await _exchange.GetPositionsAsync(Stream, default));
        Assert.Equal(("BTC-USD", "LONG", 0.01m), (position.Market, position.Side, position.Size));
        Assert.Equal("BTC-USD", Assert.Single(await _exchange.GetMarketsAsync(default)).Name);
    }

    [Fact]
    public async Task An_unlinked_account_and_a_missing_key_are_rejected_without_calling_the_exchange_to_place()
    {
        var unlinked = await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m) with { AccountStream = "account-live-2" }, default);
        Assert.Equal("exchange-account-not-linked", unlinked.Code);

        var options = new ExtendedOptions { BaseUrl = _fake.BaseUrl, ChainId = "SN_SEPOLIA" };
        options.Accounts[Stream] = new ExtendedAccountOptions { UserId = Guid.NewGuid(), ApiKey = ApiKey, Vault = 7001 };
        var noKey = await NewExchange(options).SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        Assert.Equal("stark-key-missing", noKey.Code);
        Assert.DoesNotContain(_fake.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task A_bad_api_key_is_an_unauthorized_error_that_does_not_show_the_key()
    {
        var options = new ExtendedOptions { BaseUrl = _fake.BaseUrl, ChainId = "SN_SEPOLIA" };
        options.Accounts[Stream] = new ExtendedAccountOptions { UserId = _user, ApiKey = "wrong-key-42", Vault = 7001 };
        var error = await Assert.ThrowsAsync<ExtendedUnauthorizedException>(() => NewExchange(options).SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default).AsTask());
        Assert.DoesNotContain("wrong-key-42", error.ToString());
    }

    [Fact]
    public async Task The_stark_key_and_api_key_never_reach_logs_exceptions_or_ToString()
    {
        await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 20_000m), default);
        await _keys.StoreAsync(_user, StarkPrivateKey.Parse("0x1234567"), default);
        await _exchange.SubmitAsync(Order(OrderType.Market, PositionSide.Long, 1_000m), default);
        var parseError = Assert.Throws<FormatException>(() => StarkPrivateKey.Parse(PrivateKeyHex + "zz"));

        var key = StarkPrivateKey.Parse(PrivateKeyHex);
        var secretDigits = PrivateKeyHex[2..];
        var everything = string.Join("\n", _log.Lines) + parseError + key + _options.Accounts[Stream] + $"{key}";
        Assert.NotEmpty(_log.Lines);
        Assert.DoesNotContain(secretDigits, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(ApiKey, everything);
    }

    private ExtendedExchange NewExchange(ExtendedOptions options)
    {
        _http ??= new HttpClient();
        var client = new ExtendedClient(_http, options, new ExtendedRateLimiter(options.RequestsPerMinute, options.Burst, TimeProvider.System), TimeProvider.System);
        return new ExtendedExchange(client, new ConfiguredExtendedAccounts(options), _keys, options, TimeProvider.System, _log);
    }

    private static ExchangeOrder Order(OrderType type, PositionSide side, decimal notional, decimal? limit = null) =>
        new(Guid.NewGuid(), Stream, "BTC-USD", side, type, limit, notional, 5);

    /// <summary>Keeps every formatted log line with its arguments and exception.</summary>
    internal sealed class ListLogger : ILogger<ExtendedExchange>
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Debug.Assert(formatter is not null);
            Lines.Enqueue($"{logLevel} {formatter(state, exception)} {state} {exception}");
        }
    }
}
