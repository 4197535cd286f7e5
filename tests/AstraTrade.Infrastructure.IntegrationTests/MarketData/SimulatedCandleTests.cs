using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.MarketData.Simulated;
using Xunit.Abstractions;

namespace AstraTrade.Infrastructure.IntegrationTests.MarketData;

public sealed class SimulatedCandleTests
{
    // Not on any bucket boundary, so every interval's last candle is partly formed.
    private static readonly DateTimeOffset Now = TestMarket.Now.AddMinutes(7).AddSeconds(23);

    public static TheoryData<CandleInterval> Intervals => [.. Enum.GetValues<CandleInterval>()];

    [Theory]
    [MemberData(nameof(Intervals))]
    public async Task Candles_are_consecutive_ordered_and_end_with_the_forming_one(CandleInterval interval)
    {
        var (market, _) = TestMarket.Create(Now);
        var length = TestMarket.Length(interval);

        var candles = await market.GetCandlesAsync("ETH-USD", interval, 20);

        var expectedLast = new DateTimeOffset(Now.UtcTicks - (Now.UtcTicks % length.Ticks), TimeSpan.Zero);
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => expectedLast - (length * (19 - i))),
            candles.Select(c => c.OpenTime));
        Assert.Equal(market.GetPrice("ETH-USD", Now), candles[^1].Close);
    }

    [Theory]
    [MemberData(nameof(Intervals))]
    public async Task Every_candle_is_well_formed_and_opens_where_the_previous_closed(CandleInterval interval)
    {
        var (market, _) = TestMarket.Create(Now);

        var candles = await market.GetCandlesAsync("STRK-USD", interval, 30);

        Assert.All(candles, c =>
        {
            Assert.True(c.Low <= c.Open && c.Open <= c.High, $"open outside low..high at {c.OpenTime:O}");
            Assert.True(c.Low <= c.Close && c.Close <= c.High, $"close outside low..high at {c.OpenTime:O}");
        });
        Assert.All(candles.Zip(candles.Skip(1)), p => Assert.Equal(p.First.Close, p.Second.Open));
    }

    [Fact]
    public async Task A_minute_candle_is_the_open_high_low_close_of_its_per_second_prices()
    {
        var (market, _) = TestMarket.Create(Now);

        var candles = await market.GetCandlesAsync("SOL-USD", CandleInterval.OneMinute, 5);

        foreach (var candle in candles)
        {
            var end = candle == candles[^1] ? Now : candle.OpenTime.AddMinutes(1);
            var prices = TestMarket.Seconds(candle.OpenTime, end).Select(t => market.GetPrice("SOL-USD", t)).ToList();
            Assert.Equal(new Candle(candle.OpenTime, prices[0], prices.Max(), prices.Min(), prices[^1]), candle);
        }
    }

    [Theory]
    [InlineData(CandleInterval.OneMinute, CandleInterval.FiveMinutes)]
    [InlineData(CandleInterval.FiveMinutes, CandleInterval.FifteenMinutes)]
    [InlineData(CandleInterval.FifteenMinutes, CandleInterval.OneHour)]
    [InlineData(CandleInterval.OneHour, CandleInterval.FourHours)]
    [InlineData(CandleInterval.OneHour, CandleInterval.OneDay)]
    public async Task A_longer_candle_aggregates_the_shorter_ones_it_spans(CandleInterval shorter, CandleInterval longer)
    {
        var (market, _) = TestMarket.Create(Now);
        var longCandles = await market.GetCandlesAsync("BTC-USD", longer, 3);
        var shortCandles = await market.GetCandlesAsync("BTC-USD", shorter, 1000);

        foreach (var candle in longCandles)
        {
            var end = candle.OpenTime + TestMarket.Length(longer);
            var parts = shortCandles.Where(c => c.OpenTime >= candle.OpenTime && c.OpenTime < end).ToList();
            var started = end <= Now ? end : Now.AddTicks(1); // the forming candle spans only the parts begun so far
            Assert.Equal((int)Math.Ceiling((started - candle.OpenTime) / TestMarket.Length(shorter)), parts.Count);
            Assert.Equal(new Candle(candle.OpenTime, parts[0].Open, parts.Max(p => p.High), parts.Min(p => p.Low), parts[^1].Close), candle);
        }
    }

    [Fact]
    public async Task Candles_built_up_while_the_clock_runs_equal_those_of_a_fresh_start()
    {
        var options = TestMarket.Options();
        options.HistoryDepth = TimeSpan.FromDays(8);
        var (running, clock) = TestMarket.Create(Now, options);
        await running.GetCandlesAsync("BTC-USD", CandleInterval.OneMinute, 1);
        foreach (var step in new[] { 1, 37, 3_600, 86_400, 59, 14_400 })
        {
            clock.Advance(TimeSpan.FromSeconds(step));
            var (fresh, _) = TestMarket.Create(clock.GetUtcNow(), options);
            foreach (var interval in Enum.GetValues<CandleInterval>())
            {
                Assert.Equal(
                    await fresh.GetCandlesAsync("BTC-USD", interval, 200),
                    await running.GetCandlesAsync("BTC-USD", interval, 200));
            }
        }
    }

    [Fact]
    public async Task History_begins_at_the_epoch()
    {
        var (market, _) = TestMarket.Create(TestMarket.Epoch.AddDays(2).AddHours(5));

        var days = await market.GetCandlesAsync("BTC-USD", CandleInterval.OneDay, 1000);

        Assert.Equal([TestMarket.Epoch, TestMarket.Epoch.AddDays(1), TestMarket.Epoch.AddDays(2)], days.Select(c => c.OpenTime));
        Assert.Equal(95_000m, days[0].Open);
    }

    [Fact]
    public async Task There_are_no_candles_before_the_epoch()
    {
        var (market, _) = TestMarket.Create(TestMarket.Epoch.AddSeconds(-1));

        Assert.Empty(await market.GetCandlesAsync("BTC-USD", CandleInterval.OneHour, 10));
    }

    [Fact]
    public async Task Daily_candles_reach_back_as_far_as_the_history_depth()
    {
        var options = TestMarket.Options();
        options.HistoryDepth = TimeSpan.FromDays(5);
        var now = TestMarket.Epoch.AddDays(20).AddHours(13);
        var (market, _) = TestMarket.Create(now, options);

        var days = await market.GetCandlesAsync("BTC-USD", CandleInterval.OneDay, 1000);

        Assert.Equal(Enumerable.Range(-4, 5).Select(d => now.Date.AddDays(d)), days.Select(c => c.OpenTime.UtcDateTime));
    }

    [Fact]
    public async Task After_a_gap_longer_than_the_history_depth_candles_start_over_and_still_match_a_fresh_start()
    {
        var options = TestMarket.Options();
        options.HistoryDepth = TimeSpan.FromDays(2);
        var (running, clock) = TestMarket.Create(Now, options);
        await running.GetCandlesAsync("SOL-USD", CandleInterval.OneHour, 10);

        clock.Advance(TimeSpan.FromDays(3.3));
        var (fresh, _) = TestMarket.Create(clock.GetUtcNow(), options);

        foreach (var interval in Enum.GetValues<CandleInterval>())
        {
            Assert.Equal(await fresh.GetCandlesAsync("SOL-USD", interval, 1000), await running.GetCandlesAsync("SOL-USD", interval, 1000));
        }

        Assert.Equal(await fresh.Get24HourStatsAsync("SOL-USD"), await running.Get24HourStatsAsync("SOL-USD"));
    }

    [Fact]
    public async Task Daily_candles_for_the_default_history_are_computed_once_and_then_served_from_the_cache()
    {
        var options = new SimulatedMarketOptions(); // epoch 2026-01-01, 400 days of history
        var now = options.Epoch.AddDays(1_200).AddHours(13);
        var (market, _) = TestMarket.Create(now, options);

        var days = await market.GetCandlesAsync("BTC-USD", CandleInterval.OneDay, 1000);
        var built = market.MinutesFolded("BTC-USD");
        await market.GetCandlesAsync("BTC-USD", CandleInterval.OneDay, 1000);
        await market.GetCandlesAsync("BTC-USD", CandleInterval.OneMinute, 1000);
        await market.Get24HourStatsAsync("BTC-USD");

        Assert.Equal(400, days.Count);
        Assert.Equal(now.AddHours(-13).AddDays(-399), days[0].OpenTime);
        // The history is exactly the 400 kept days up to the current minute, computed once: repeats add nothing.
        Assert.Equal((399 * 24 * 60) + (13 * 60), built);
        Assert.Equal(built, market.MinutesFolded("BTC-USD"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    [InlineData(-5)]
    public async Task A_limit_outside_one_to_a_thousand_is_rejected(int limit)
    {
        var (market, _) = TestMarket.Create(Now);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await market.GetCandlesAsync("BTC-USD", CandleInterval.OneMinute, limit));
    }

    [Fact]
    public async Task An_unknown_market_is_rejected_clearly()
    {
        var (market, _) = TestMarket.Create(Now);

        var candles = await Assert.ThrowsAsync<ArgumentException>(async () => await market.GetCandlesAsync("DOGE-USD", CandleInterval.OneMinute, 10));
        var stats = await Assert.ThrowsAsync<ArgumentException>(async () => await market.Get24HourStatsAsync("DOGE-USD"));

        Assert.Contains("Unknown market 'DOGE-USD'", candles.Message, StringComparison.Ordinal);
        Assert.Contains("BTC-USD", stats.Message, StringComparison.Ordinal);
    }
}
