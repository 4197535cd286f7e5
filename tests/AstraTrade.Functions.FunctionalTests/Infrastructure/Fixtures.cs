using AstraTrade.Testing;

namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>One app per test class (xunit class fixture), started before the first test and disposed after the last.
/// Tests in a class run one at a time; classes run in parallel, each on its own app and data directory. After the last
/// test, the app must not have logged an error (a failing feed handler, an unhandled exception, a trigger that died).</summary>
public abstract class AppFixture : IAsyncLifetime
{
    private AstraTradeApp? _app;

    public AstraTradeApp App => _app ?? throw new InvalidOperationException("The fixture has not started.");

    protected abstract AppOptions Options { get; }

    public async Task InitializeAsync()
    {
        _app = new AstraTradeApp(Options);
        if (_app.Market is { } market)
        {
            Markets.PublishDefaults(market);
        }

        await _app.StartAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app.AssertNoServerErrors();
        }
    }
}

/// <summary>
/// Base of the test classes that share a fixture's app. Before each test, a scripted market gets fresh round prices;
/// after each test, the app must not have logged an error meanwhile (a 500, a failing feed handler, a trigger that
/// died), which fails that test.
/// </summary>
public abstract class AppTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : AppFixture
{
    private int _errorsBefore;

    protected AstraTradeApp App => fixture.App;

    public Task InitializeAsync()
    {
        _errorsBefore = App.Logs.Errors.Count;
        if (App.Market is { } market)
        {
            Markets.PublishDefaults(market);
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        App.AssertNoServerErrors(_errorsBefore);
        return Task.CompletedTask;
    }
}

/// <summary>The real simulated market and the system clock.</summary>
public sealed class SimulatedMarketFixture : AppFixture
{
    protected override AppOptions Options => new() { FullMarketHistory = true };
}

/// <summary>A scripted market on the system clock: prices are what the test publishes, stamped now.</summary>
public sealed class ScriptedMarketFixture : AppFixture
{
    protected override AppOptions Options => new() { ScriptedMarket = true };
}

/// <summary>A scripted market and a manual clock: time moves only when the test advances it.</summary>
public sealed class ManualClockFixture : AppFixture
{
    protected override AppOptions Options => new() { ScriptedMarket = true, Clock = new ManualTimeProvider() };
}

/// <summary>The markets of DOMAIN.md §1 with round prices for scripted tests.</summary>
public static class Markets
{
    public const string Btc = "BTC-USD";
    public const string Eth = "ETH-USD";
    public const string Sol = "SOL-USD";
    public const string Strk = "STRK-USD";

    public static void PublishDefaults(ScriptedMarketData market)
    {
        market.Publish(Btc, 50_000m);
        market.Publish(Eth, 2_500m);
        market.Publish(Sol, 100m);
        market.Publish(Strk, 0.5m);
    }
}
