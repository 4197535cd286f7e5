using System.Collections.Concurrent;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Starknet;
using AstraTrade.Testing.Extended;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>
/// The Extended adapter wired to the local fake exchange (which verifies every settlement signature), an in-memory
/// credential vault and a logger that keeps every line. One user has an account on the fake; tests link it or store
/// its credentials directly.
/// </summary>
public sealed class ExtendedTestBed : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789";
    public const string PrivateKeyHex = "0x3c1e9550e66958296d11b60f8e8e7a7ad990d07fa65d5f7652c4a6c87d4e3cc";
    public const uint Vault = 7001;
    private readonly HttpClient _http = new();

    public ExtendedTestBed(decimal collateral = 10_000m)
    {
        AccountId = Fake.AddAccount(ApiKey, Vault, StarkKey, collateral);
        Options = new ExtendedOptions { BaseUrl = Fake.BaseUrl, ChainId = "SN_SEPOLIA", RequestsPerMinute = 6000, Burst = 50 };
        var client = new ExtendedClient(_http, Options, new ExtendedRateLimiter(Options.RequestsPerMinute, Options.Burst, TimeProvider.System), TimeProvider.System);
        Exchange = new ExtendedExchange(client, Credentials, Options, TimeProvider.System, Log);
    }

    public Guid User { get; } = Guid.NewGuid();

    public string Stream => StreamIds.LiveAccount(User);

    public long AccountId { get; }

    public FakeExtended Fake { get; } = new();

    public InMemoryExchangeCredentialVault Credentials { get; } = new();

    public ListLogger<ExtendedExchange> Log { get; } = new();

    public ExtendedOptions Options { get; }

    public ExtendedExchange Exchange { get; }

    public static StarkPrivateKey Key => StarkPrivateKey.Parse(PrivateKeyHex);

    public static Felt StarkKey => StarkEcdsa.GetStarkKey(Key.RevealValue());

    public static ExchangeCredentials TheCredentials => new(ApiKey, Key, Vault);

    /// <summary>Stores the user's credentials as a link would (without asking the exchange).</summary>
    public async Task LinkDirectlyAsync(ExchangeCredentials? credentials = null) => await Credentials.StoreAsync(User, credentials ?? TheCredentials, default);

    public ExchangeOrder Order(OrderType type, PositionSide side, decimal notional, decimal? limit = null, int leverage = 5) =>
        new(Guid.NewGuid(), Stream, "BTC-USD", side, type, limit, notional, leverage);

    public int Count(string method, string pathEnd) => Fake.Requests.Count(r => r.Method == method && r.Path.EndsWith(pathEnd, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Fake.DisposeAsync();
    }
}

/// <summary>Keeps every formatted log line with its arguments and exception.</summary>
public sealed class ListLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Enqueue($"{logLevel} {formatter(state, exception)} {state} {exception}");
    }
}
