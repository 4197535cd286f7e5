namespace AstraTrade.Functions.FunctionalTests.LiveTrading;

/// <summary>Without Extended settings (the embedded defaults), live trading says it is not available: 501 with a
/// problem detail on every live route, and nothing reaches any exchange.</summary>
public sealed class LiveTradingNotConfiguredTests(ScriptedMarketFixture fixture) : AppTests<ScriptedMarketFixture>(fixture)
{
    [Fact]
    public async Task Every_live_route_answers_501_live_trading_not_configured()
    {
        var user = await App.RegisterAsync("nolive");
        var order = Api.Order(new { market = "BTC-USD", side = "long", leverage = 2, collateral = 10m }, Guid.NewGuid().ToString());
        order.RequestUri = new Uri("/api/v1/orders?account=live", UriKind.Relative);

        foreach (var response in new[]
        {
            await user.Http.GetAsync("/api/v1/accounts/live"),
            await user.Http.PutAsJsonAsync("/api/v1/accounts/live/link", new { apiKey = "k", starkPrivateKey = "0x1", vault = 1 }),
            await user.Http.DeleteAsync("/api/v1/accounts/live/link"),
            await user.Http.SendAsync(order),
            await user.Http.GetAsync("/api/v1/positions?account=live"),
            await user.Http.GetAsync("/api/v1/trades?account=live"),
        })
        {
            await Api.ProblemAsync(response, HttpStatusCode.NotImplemented, "live-trading-not-configured");
        }

        Assert.Equal(10_000m, (await user.AccountAsync()).Balance);
    }
}
