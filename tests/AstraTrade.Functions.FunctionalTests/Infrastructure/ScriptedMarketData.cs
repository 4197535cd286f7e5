using System.Runtime.CompilerServices;
using System.Threading.Channels;
using AstraTrade.Application.Ports;

namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>
/// A market whose prices the test sets. It implements <see cref="IMarketData"/> the way the simulated market does:
/// the latest tick per market (none before the first one is published), every published tick fanned out to every
/// <see cref="WatchAsync"/> reader that is subscribed at that moment, and candles and 24-hour statistics computed from
/// the ticks published so far. Symbols are matched exactly, as the port's callers pass the catalog's canonical form.
/// </summary>
public sealed class ScriptedMarketData(TimeProvider time) : IMarketData
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<PriceTick>> _ticks = new(StringComparer.Ordinal);
    private Channel<PriceTick>[] _subscribers = [];

    /// <summary>How many readers are watching (the liquidation loop is one once the app has started).</summary>
    public int Watchers => Volatile.Read(ref _subscribers).Length;

    /// <summary>Publishes a tick at <paramref name="at"/> (default: now on the app's clock) and returns it.</summary>
    /// <param name="broadcast">False models a watcher that has not received the tick yet (the port lets slow readers
    /// lag): the tick is the latest price, but WatchAsync readers do not see it.</param>
    public PriceTick Publish(string market, decimal price, decimal fundingRate = 0m, DateTimeOffset? at = null, bool broadcast = true)
    {
        var tick = new PriceTick(market, price, fundingRate, at ?? time.GetUtcNow());
        lock (_gate)
        {
            if (!_ticks.TryGetValue(market, out var list))
            {
                _ticks[market] = list = [];
            }

            list.Add(tick);
        }

        foreach (var subscriber in broadcast ? Volatile.Read(ref _subscribers) : [])
        {
            subscriber.Writer.TryWrite(tick);
        }

        return tick;
    }

    /// <summary>Forgets a market's ticks: the state before its first tick (TryGetLatest answers false).</summary>
    public void Clear(string market)
    {
        lock (_gate)
        {
            _ticks.Remove(market);
        }
    }

    /// <summary>Publishes the latest price of every market again, stamped now (a market that keeps ticking).</summary>
    public void Refresh()
    {
        List<PriceTick> latest;
        lock (_gate)
        {
            latest = [.. _ticks.Values.Select(l => l[^1])];
        }

        foreach (var tick in latest)
        {
            Publish(tick.Market, tick.Price, tick.FundingRate);
        }
    }

    public decimal LatestPrice(string market)
    {
        lock (_gate)
        {
            return _ticks[market][^1].Price;
        }
    }

    public bool TryGetLatest(string market, out PriceTick tick)
    {
        lock (_gate)
        {
            if (_ticks.TryGetValue(market, out var list) && list.Count > 0)
            {
                tick = list[^1];
                return true;
            }
        }

        tick = null!;
        return false;
    }

    public async IAsyncEnumerable<PriceTick> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<PriceTick>(new BoundedChannelOptions(256)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }

        try
        {
            await foreach (var tick in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return tick;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers = [.. _subscribers.Where(c => c != channel)];
            }
        }
    }

    public ValueTask<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int limit, CancellationToken cancellationToken = default)
    {
        var length = interval switch
        {
            CandleInterval.OneMinute => TimeSpan.FromMinutes(1),
            CandleInterval.FiveMinutes => TimeSpan.FromMinutes(5),
            CandleInterval.FifteenMinutes => TimeSpan.FromMinutes(15),
            CandleInterval.OneHour => TimeSpan.FromHours(1),
            CandleInterval.FourHours => TimeSpan.FromHours(4),
            _ => TimeSpan.FromDays(1),
        };
        IReadOnlyList<Candle> candles = [.. Ticks(market)
            .GroupBy(t => new DateTimeOffset(t.Time.UtcTicks - (t.Time.UtcTicks % length.Ticks), TimeSpan.Zero))
            .OrderBy(g => g.Key)
            .Select(g => new Candle(g.Key, g.First().Price, g.Max(t => t.Price), g.Min(t => t.Price), g.Last().Price))
            .TakeLast(limit)];
        return ValueTask.FromResult(candles);
    }

    public ValueTask<MarketStats> Get24HourStatsAsync(string market, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var ticks = Ticks(market);
        var window = ticks.Where(t => t.Time >= now.AddDays(-1)).ToList();
        if (window.Count == 0)
        {
            window = [.. ticks.TakeLast(1)];
        }

        return ValueTask.FromResult(window.Count == 0
            ? new MarketStats(0m, 0m, 0m, 0m)
            : new MarketStats(window.Max(t => t.Price), window.Min(t => t.Price), window[0].Price, window[^1].Price));
    }

    private List<PriceTick> Ticks(string market)
    {
        lock (_gate)
        {
            return _ticks.TryGetValue(market, out var list) ? [.. list] : [];
        }
    }
}
