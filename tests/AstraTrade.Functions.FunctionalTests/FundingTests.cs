using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Hourly funding through the standalone cron trigger (DOMAIN.md §1): at the top of each hour every position open at
/// that time pays or receives side × q × mark × rate out of or into its collateral, with the rate capped at ±0.1 %/h.
/// The manual clock crosses the hour; the effect is asynchronous, so the test polls.
/// </summary>
public sealed class FundingTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    private ManualTimeProvider Clock => App.Clock!;

    private ScriptedMarketData Market => App.Scripted;

    [Fact]
    public async Task Each_hour_longs_pay_and_shorts_receive_funding_from_collateral_once_per_position_with_the_rate_capped()
    {
        var user = await App.RegisterAsync("funding");
        Market.Publish(Btc, 50_000m, fundingRate: 0.0001m);
        Market.Publish(Eth, 2_500m, fundingRate: 0.0001m);
        Market.Publish(Sol, 100m, fundingRate: 0.005m); // beyond the cap: 0.001 applies
        var btc = await user.OpenAsync(Btc, "long", 10, 100m);
        var eth = await user.OpenAsync(Eth, "short", 5, 40m);
        var sol = await user.OpenAsync(Sol, "long", 2, 50m);
        var balance = (await user.AccountAsync()).Balance;
        await App.FeedsCaughtUpAsync();

        var btcQuantity = 1_000m / 50_005m;
        var expectedBtc = 100m + Expected.Down(-btcQuantity * 50_000m * 0.0001m);
        CrossTheHour(() =>
        {
            Market.Publish(Btc, 50_000m, fundingRate: 0.0001m);
            Market.Publish(Eth, 2_500m, fundingRate: 0.0001m);
            Market.Publish(Sol, 100m, fundingRate: 0.005m);
        });
        await user.SignInAgainAsync();

        var positions = await Eventually.MatchAsync(user.OpenPositionsAsync, ps => ps.All(p => p.Collateral != Opened(p, btc, eth, sol)), "funding at the hour");
        var byId = positions.ToDictionary(p => p.Id);
        Assert.Equal(expectedBtc, byId[btc.Position!.Id].Collateral);
        Assert.Equal(40m + Expected.Down(200m / 2_499.75m * 2_500m * 0.0001m), byId[eth.Position!.Id].Collateral);
        Assert.Equal(50m + Expected.Down(-(100m / 100.01m) * 100m * 0.001m), byId[sol.Position!.Id].Collateral);

        // Funding moves collateral, not the balance, and so moves the liquidation price; it is not a fill.
        var account = await user.AccountAsync();
        Assert.Equal(balance, account.Balance);
        Assert.Equal(positions.Sum(p => p.Collateral), account.MarginInUse);
        var liquidation = ((50_005m - (expectedBtc / btcQuantity)) / 0.995m);
        Assert.InRange(byId[btc.Position!.Id].LiquidationPrice, liquidation - 0.000001m, liquidation + 0.000001m);
        Assert.Equal(3, (await user.TradesAsync()).Items.Count);

        // The next hour: a position opened in between pays once, the others a second time, except where the market has
        // no fresh price at the funding time (ETH and SOL here): those are skipped rather than charged at an old price.
        Market.Publish(Btc, 50_000m, fundingRate: 0.0001m);
        var late = await user.OpenAsync(Btc, "long", 10, 100m);
        await App.FeedsCaughtUpAsync();
        CrossTheHour(() => Market.Publish(Btc, 50_000m, fundingRate: 0.0001m));
        await user.SignInAgainAsync();

        var later = await Eventually.MatchAsync(
            user.OpenPositionsAsync, ps => ps.Single(p => p.Id == late.Position!.Id).Collateral != 100m, "funding at the next hour");
        var step = Expected.Down(-btcQuantity * 50_000m * 0.0001m);
        Assert.Equal(100m + step, later.Single(p => p.Id == late.Position!.Id).Collateral);
        Assert.Equal(100m + step + step, later.Single(p => p.Id == btc.Position!.Id).Collateral);
        Assert.Equal(byId[eth.Position!.Id].Collateral, later.Single(p => p.Id == eth.Position!.Id).Collateral);
        Assert.Equal(byId[sol.Position!.Id].Collateral, later.Single(p => p.Id == sol.Position!.Id).Collateral);
    }

    /// <summary>Moves the clock to a second before the next hour, lets the market tick (as it does every second), then
    /// crosses the hour so the funding trigger fires.</summary>
    private void CrossTheHour(Action tick)
    {
        var hour = NextHour(Clock.GetUtcNow());
        Clock.SetUtcNow(hour.AddSeconds(-1));
        tick();
        Clock.SetUtcNow(hour);
    }

    private static decimal Opened(PositionResponse now, params PlaceOrderResponse[] placed) =>
        placed.Single(p => p.Position!.Id == now.Id).Position!.Collateral;

    private static DateTimeOffset NextHour(DateTimeOffset now) =>
        new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
}
