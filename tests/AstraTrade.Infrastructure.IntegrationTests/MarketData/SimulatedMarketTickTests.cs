using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.IntegrationTests.Scheduling;
using AstraTrade.Infrastructure.MarketData.Simulated;

namespace AstraTrade.Infrastructure.IntegrationTests.MarketData;

public sealed class SimulatedMarketTickTests
{
    private static readonly string[] Symbols = ["BTC-USD", "ETH-USD", "SOL-USD", "STRK-USD"];

    // Half a second past 12:00:00, so ticks must be aligned to whole seconds rather than to the start.
    private readonly ObservedTimeProvider _time = new(TestMarket.Now.AddMilliseconds(500));
    private readonly SimulatedMarket _market;

    public SimulatedMarketTickTests() => _market = new SimulatedMarket(TestMarket.Options(), _time);

    [Fact]
    public void There_is_no_tick_before_the_loop_runs_nor_for_an_unknown_market()
    {
        Assert.False(_market.TryGetLatest("BTC-USD", out _));
        Assert.False(_market.TryGetLatest("DOGE-USD", out _));
    }

    [Fact]
    public async Task Publishes_a_tick_per_market_at_start_and_every_second_after()
    {
        using var cts = new CancellationTokenSource();
        var run = _market.RunAsync(cts.Token);

        for (var second = 0; second <= 5; second++)
        {
            await _time.WaitForTimersAsync(second + 1);
            var expectedTime = TestMarket.Now.AddSeconds(second);
            foreach (var symbol in Symbols)
            {
                Assert.True(_market.TryGetLatest(symbol, out var tick));
                Assert.Equal(new PriceTick(symbol, _market.GetPrice(symbol, expectedTime), _market.GetFundingRate(symbol, expectedTime), expectedTime), tick);
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_tick_goes_stale_when_the_clock_moves_on_without_the_loop()
    {
        using var cts = new CancellationTokenSource();
        var run = _market.RunAsync(cts.Token);
        await _time.WaitForTimersAsync(1);
        await cts.CancelAsync();
        await run;

        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.True(_market.TryGetLatest("BTC-USD", out var tick));
        Assert.Equal(TestMarket.Now, tick.Time);
        Assert.Equal(TimeSpan.FromSeconds(10.5), _time.GetUtcNow() - tick.Time);
    }

    [Fact]
    public async Task Subscribers_each_receive_every_tick()
    {
        using var cts = new CancellationTokenSource();
        await using var first = _market.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        await using var second = _market.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var firstReads = ReadAsync(first, 8);
        var secondReads = ReadAsync(second, 8);

        var run = _market.RunAsync(cts.Token);
        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _time.WaitForTimersAsync(2);

        var expected = new[] { TestMarket.Now, TestMarket.Now.AddSeconds(1) }
            .SelectMany(t => Symbols.Select(s => (s, t)))
            .ToList();
        Assert.Equal(expected, (await firstReads).Select(t => (t.Market, t.Time)));
        Assert.Equal(expected, (await secondReads).Select(t => (t.Market, t.Time)));

        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_slow_subscriber_loses_the_oldest_ticks_not_the_newest()
    {
        using var cts = new CancellationTokenSource();
        await using var slow = _market.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var subscribed = slow.MoveNextAsync(); // subscribes, then waits for the first tick without taking more

        var run = _market.RunAsync(cts.Token);
        const int seconds = 100; // 400 ticks, more than a subscriber's queue of 256
        for (var i = 1; i <= seconds; i++)
        {
            await _time.WaitForTimersAsync(i);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        await _time.WaitForTimersAsync(seconds + 1);
        await cts.CancelAsync();
        await run;

        Assert.True(await subscribed);
        var received = new List<PriceTick> { slow.Current };
        while (received.Count < 257 && await slow.MoveNextAsync())
        {
            received.Add(slow.Current);
        }

        Assert.Equal(257, received.Count); // the one already handed out, then a full queue
        Assert.Equal(TestMarket.Now.AddSeconds(seconds), received[^1].Time);
        Assert.Equal(Symbols, received.TakeLast(4).Select(t => t.Market));
    }

    [Fact]
    public async Task Only_one_tick_loop_may_run()
    {
        using var cts = new CancellationTokenSource();
        var run = _market.RunAsync(cts.Token);
        await _time.WaitForTimersAsync(1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _market.RunAsync(cts.Token));

        await cts.CancelAsync();
        await run;
    }

    [Fact]
    public async Task Ticks_fall_on_whole_seconds_once_each_however_the_clock_jumps()
    {
        using var loop = new CancellationTokenSource();
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await using var watch = _market.WatchAsync(watching.Token).GetAsyncEnumerator(watching.Token);
        var last = TestMarket.Now.AddSeconds(4);
        var reading = ReadUntilAsync(watch, t => t.Market == Symbols[^1] && t.Time == last);

        var run = _market.RunAsync(loop.Token);
        await _time.WaitForTimersAsync(1);
        _time.Advance(TimeSpan.FromSeconds(4.2));
        var ticks = await reading;
        await loop.CancelAsync();
        await run;

        Assert.All(ticks, t => Assert.InRange(t.Time, TestMarket.Now, last));
        Assert.All(ticks, t => Assert.Equal(0, t.Time.UtcTicks % TimeSpan.TicksPerSecond));
        foreach (var symbol in Symbols)
        {
            var times = ticks.Where(t => t.Market == symbol).Select(t => t.Time).ToList();
            Assert.Equal(TestMarket.Now, times[0]);
            Assert.Equal(last, times[^1]);
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.First < pair.Second));
        }
    }

    [Fact]
    public async Task Stopping_the_loop_also_stops_its_background_history_work_promptly()
    {
        var options = new SimulatedMarketOptions();
        var time = new ObservedTimeProvider(options.Epoch.AddDays(999)); // seconds of 999 days to compute per market
        var market = new SimulatedMarket(options, time);
        using var cts = new CancellationTokenSource();

        var run = market.RunAsync(cts.Token);
        await time.WaitForTimersAsync(1);
        await cts.CancelAsync();

        var stopped = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.Same(run, stopped);
        await run;
    }

    private static async Task<List<PriceTick>> ReadUntilAsync(IAsyncEnumerator<PriceTick> ticks, Func<PriceTick, bool> isLast)
    {
        var read = new List<PriceTick>();
        while (await ticks.MoveNextAsync())
        {
            read.Add(ticks.Current);
            if (isLast(ticks.Current))
            {
                break;
            }
        }

        return read;
    }

    private static async Task<List<PriceTick>> ReadAsync(IAsyncEnumerator<PriceTick> ticks, int count)
    {
        var read = new List<PriceTick>();
        while (read.Count < count && await ticks.MoveNextAsync())
        {
            read.Add(ticks.Current);
        }

        return read;
    }
}
