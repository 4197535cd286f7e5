using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.IntegrationTests.MarketData;

public sealed class SimulatedMarketStatsTests
{
    [Fact]
    public async Task Stats_agree_with_the_candles_of_the_last_day()
    {
        var (market, _) = TestMarket.Create(TestMarket.Now); // 12:00:00, on a 15-minute boundary

        var stats = await market.Get24HourStatsAsync("BTC-USD");
        var candles = await market.GetCandlesAsync("BTC-USD", CandleInterval.FifteenMinutes, 97); // 96 whole + the one just begun

        Assert.Equal(TestMarket.Now.AddDays(-1), candles[0].OpenTime);
        Assert.Equal(new MarketStats(candles.Max(c => c.High), candles.Min(c => c.Low), candles[0].Open, candles[^1].Close), stats);
    }

    [Fact]
    public async Task Stats_cover_every_second_of_the_last_24_hours()
    {
        var now = TestMarket.Now.AddMinutes(3).AddSeconds(41);
        var (market, _) = TestMarket.Create(now);

        var stats = await market.Get24HourStatsAsync("STRK-USD");

        var prices = TestMarket.Seconds(now.AddDays(-1), now).Select(t => market.GetPrice("STRK-USD", t)).ToList();
        Assert.Equal(new MarketStats(prices.Max(), prices.Min(), prices[0], prices[^1]), stats);
        Assert.Equal(stats.Last - stats.Open, stats.Change);
    }

    [Fact]
    public async Task Within_the_first_day_stats_start_at_the_epoch()
    {
        var now = TestMarket.Epoch.AddHours(2).AddSeconds(5);
        var (market, _) = TestMarket.Create(now);

        var stats = await market.Get24HourStatsAsync("SOL-USD");

        var prices = TestMarket.Seconds(TestMarket.Epoch, now).Select(t => market.GetPrice("SOL-USD", t)).ToList();
        Assert.Equal(180m, stats.Open);
        Assert.Equal(new MarketStats(prices.Max(), prices.Min(), prices[0], prices[^1]), stats);
    }

    [Fact]
    public async Task Stats_follow_the_clock()
    {
        var (market, clock) = TestMarket.Create(TestMarket.Now);
        await market.Get24HourStatsAsync("ETH-USD");

        clock.Advance(TimeSpan.FromMinutes(90.5));
        var stats = await market.Get24HourStatsAsync("ETH-USD");

        Assert.Equal(market.GetPrice("ETH-USD", clock.GetUtcNow()), stats.Last);
        Assert.Equal(market.GetPrice("ETH-USD", clock.GetUtcNow().AddDays(-1)), stats.Open);
    }
}
