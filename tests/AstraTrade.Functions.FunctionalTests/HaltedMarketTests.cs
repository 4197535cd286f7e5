namespace AstraTrade.Functions.FunctionalTests;

/// <summary>An app whose market table (Trading:Markets) lists BTC-USD open and ETH-USD halted.</summary>
public sealed class HaltedMarketFixture : AppFixture
{
    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Settings = new Dictionary<string, string?>
        {
            ["Trading:Markets:0:Symbol"] = "BTC-USD",
            ["Trading:Markets:0:MaxLeverage"] = "100",
            ["Trading:Markets:0:MaintenanceMarginRate"] = "0.005",
            ["Trading:Markets:0:TakerFeeRate"] = "0.0005",
            ["Trading:Markets:0:MinNotional"] = "10",
            ["Trading:Markets:1:Symbol"] = "ETH-USD",
            ["Trading:Markets:1:MaxLeverage"] = "100",
            ["Trading:Markets:1:MaintenanceMarginRate"] = "0.005",
            ["Trading:Markets:1:TakerFeeRate"] = "0.0005",
            ["Trading:Markets:1:MinNotional"] = "10",
            ["Trading:Markets:1:Halted"] = "true",
        },
    };
}

/// <summary>The "market not halted" risk check (DOMAIN.md §1) with a market table from configuration.</summary>
public sealed class HaltedMarketTests(HaltedMarketFixture fixture) : AppTests<HaltedMarketFixture>(fixture)
{
    [Fact]
    public async Task The_configured_market_table_replaces_the_default_one_and_shows_which_market_is_halted()
    {
        using var client = App.Anonymous();

        var markets = await Api.ReadAsync<List<MarketResponse>>(await client.GetAsync("/api/v1/markets"));

        Assert.Equal([("BTC-USD", false), ("ETH-USD", true)], markets.Select(m => (m.Symbol, m.Halted)));
        await Api.ProblemAsync(await client.GetAsync("/api/v1/markets/SOL-USD"), HttpStatusCode.NotFound, "unknown-market");
    }

    [Fact]
    public async Task An_order_on_a_halted_market_is_422_market_halted_and_changes_nothing()
    {
        var user = await App.RegisterAsync("halted");
        await user.OpenAsync(Markets.Btc, "long", 2, 10m);
        var before = await user.SnapshotAsync();

        var problem = await Api.ProblemAsync(await user.PlaceOrderAsync(Markets.Eth, "long", 2, 10m), HttpStatusCode.UnprocessableEntity, "market-halted");

        Assert.Contains("ETH-USD", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await user.SnapshotAsync());
        await Api.ProblemAsync(await user.PlaceOrderAsync(Markets.Sol, "long", 2, 10m), HttpStatusCode.UnprocessableEntity, "unknown-market");
    }
}
