using System.Runtime.CompilerServices;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>
/// The price source of practice trading: a seeded random walk per market (see <see cref="PricePath"/>) whose price
/// at any second is a pure function of the options and the time, so a restarted process continues the same path,
/// history is there from the first request, and tests can predict every price. Mark price = index price = the path.
/// <see cref="RunAsync"/> publishes the ticks that <see cref="TryGetLatest"/> and <see cref="WatchAsync"/> serve;
/// candles and statistics are computed from the path up to the clock's current second.
/// </summary>
public sealed class SimulatedMarket : IMarketData
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _epoch;
    private readonly TimeSpan _tickInterval;
    private readonly MarketSimulation[] _markets;
    private readonly Dictionary<string, MarketSimulation> _bySymbol;
    private readonly TickBroadcaster _broadcaster = new();
    private int _running;

    /// <param name="options">Validated here; an invalid setting throws an <see cref="ArgumentException"/> naming it.</param>
    /// <param name="timeProvider">The clock ticks and candles follow.</param>
    public SimulatedMarket(SimulatedMarketOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();

        _time = timeProvider;
        _epoch = options.Epoch;
        _tickInterval = options.TickInterval;
        _markets = [.. options.Markets.Select(m => new MarketSimulation(options, m))];
        _bySymbol = _markets.ToDictionary(m => m.Symbol, StringComparer.Ordinal);
        Markets = [.. _markets.Select(m => m.Symbol)];
    }

    /// <summary>The symbols of the simulated markets, in configured order.</summary>
    public IReadOnlyList<string> Markets { get; }

    /// <summary>
    /// Publishes one tick per market at once and then at every multiple of the tick interval (aligned to whole
    /// seconds) until <paramref name="cancellationToken"/> is cancelled, then completes without throwing. A wait
    /// that overruns skips to the current slot rather than publishing a burst. Meanwhile it computes each market's
    /// candle history in the background, so the first chart request after a start does not pay for it.
    /// Only one loop may run at a time.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another RunAsync of this instance is running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
        {
            throw new InvalidOperationException("The simulated market's tick loop is already running; only one may publish ticks.");
        }

        var warmUp = Task.Run(() => WarmUpHistory(cancellationToken), CancellationToken.None);
        try
        {
            await PublishTicksAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await warmUp.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped with the loop; the next request computes what is missing.
            }

            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>The latest published tick. It is never recomputed here: if the loop stalls the tick grows old, and
    /// the trading layer's staleness check (5 s) must see that.</summary>
    public bool TryGetLatest(string market, out PriceTick tick)
    {
        tick = null!;
        if (!_bySymbol.TryGetValue(market, out var simulation) || simulation.Latest is not { } latest)
        {
            return false;
        }

        tick = latest;
        return true;
    }

    /// <summary>Every tick published from the first MoveNextAsync on; each subscriber has its own queue of 256 that
    /// drops the oldest tick when the reader falls behind.</summary>
    public async IAsyncEnumerable<PriceTick> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = _broadcaster.Subscribe();
        try
        {
            await foreach (var tick in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return tick;
            }
        }
        finally
        {
            _broadcaster.Unsubscribe(channel);
        }
    }

    /// <summary>The last <paramref name="limit"/> candles, oldest first, each covering the seconds from its open
    /// time to its end inclusive (so a close is the next open); the last one is forming and ends at the current
    /// second. History starts at the epoch and reaches back <see cref="SimulatedMarketOptions.HistoryDepth"/>, so
    /// fewer candles may come back.</summary>
    /// <exception cref="ArgumentException">Unknown market.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1..1000, or the interval is undefined.</exception>
    public ValueTask<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int limit, CancellationToken cancellationToken = default)
    {
        var simulation = Find(market);
        if (!Enum.IsDefined(interval))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Unknown candle interval.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, CandleHistory.MaxCandles);
        cancellationToken.ThrowIfCancellationRequested();

        var now = _time.GetUtcNow();
        IReadOnlyList<Candle> candles = now < _epoch
            ? []
            : simulation.History.GetCandles(interval, limit, SecondsSinceEpoch(now), cancellationToken);
        return ValueTask.FromResult(candles);
    }

    /// <summary>High, low, the price 24 hours ago (or at the epoch, if later) and the current price, over every
    /// second in between.</summary>
    /// <exception cref="ArgumentException">Unknown market.</exception>
    public ValueTask<MarketStats> Get24HourStatsAsync(string market, CancellationToken cancellationToken = default)
    {
        var simulation = Find(market);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(simulation.History.Get24HourStats(SecondsSinceEpoch(_time.GetUtcNow()), cancellationToken));
    }

    /// <summary>The price of <paramref name="market"/> at the whole second at or before <paramref name="time"/>;
    /// before the epoch, the initial price.</summary>
    /// <exception cref="ArgumentException">Unknown market.</exception>
    public decimal GetPrice(string market, DateTimeOffset time)
    {
        var path = Find(market).Path;
        return path.ToPrice(path.LogPriceAtSecond(SecondsSinceEpoch(time)));
    }

    /// <summary>
    /// The hourly funding rate in force at <paramref name="time"/>, fixed for each UTC hour h:
    /// clamp(FundingBaseRate + FundingMomentumFactor · ln(P(h) / P(h − 8 h)), ±0.001), rounded to 8 decimals, with P
    /// the unrounded path price at the start of an hour (and P(h − 8 h) the initial price while h is less than eight
    /// hours after the epoch). Mark = index here, so the eight-hour move stands in for the premium: after a rally
    /// longs pay, after a sell-off shorts pay.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown market.</exception>
    public decimal GetFundingRate(string market, DateTimeOffset time) =>
        Find(market).Funding.RateAt(SecondsSinceEpoch(time) / PricePath.SecondsPerMinute);

    private async Task PublishTicksAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset? published = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            var slot = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % _tickInterval.Ticks), TimeSpan.Zero);
            if (published is null || slot > published)
            {
                Publish(slot);
                published = slot;
            }

            // Measured after publishing, and again after waking: a timer that fires early finds the same slot and
            // waits again; one that fires late (or a slow publish) goes straight to the current slot.
            var wait = published.Value + _tickInterval - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                continue;
            }

            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void WarmUpHistory(CancellationToken cancellationToken)
    {
        var now = SecondsSinceEpoch(_time.GetUtcNow());
        foreach (var simulation in _markets)
        {
            simulation.History.CatchUp(now, cancellationToken);
        }
    }

    private void Publish(DateTimeOffset slot)
    {
        var second = SecondsSinceEpoch(slot);
        foreach (var simulation in _markets)
        {
            var tick = new PriceTick(
                simulation.Symbol,
                simulation.Path.ToPrice(simulation.Path.LogPriceAtSecond(second)),
                simulation.Funding.RateAt(second / PricePath.SecondsPerMinute),
                slot);
            simulation.Latest = tick;
            _broadcaster.Publish(tick);
        }
    }

    private long SecondsSinceEpoch(DateTimeOffset time) =>
        Math.Max(0, (time.UtcTicks - _epoch.UtcTicks) / TimeSpan.TicksPerSecond);

    private MarketSimulation Find(string market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return _bySymbol.TryGetValue(market, out var simulation)
            ? simulation
            : throw new ArgumentException($"Unknown market '{market}'. Simulated markets: {string.Join(", ", Markets)}.", nameof(market));
    }

    /// <summary>Minutes of history computed so far for a market: lets tests see that the history is built once.</summary>
    internal long MinutesFolded(string market) => Find(market).History.MinutesFolded;

    private sealed class MarketSimulation
    {
        private PriceTick? _latest;

        public MarketSimulation(SimulatedMarketOptions options, SimulatedMarketDefinition market)
        {
            Symbol = market.Symbol;
            Path = new PricePath(options.Seed, market, options.MeanReversionHalfLife);
            Funding = new FundingRateModel(Path, options.FundingBaseRate, options.FundingMomentumFactor);
            History = new CandleHistory(Path, options.Epoch, (int)options.HistoryDepth.TotalDays);
        }

        public string Symbol { get; }

        public PricePath Path { get; }

        public FundingRateModel Funding { get; }

        public CandleHistory History { get; }

        public PriceTick? Latest
        {
            get => Volatile.Read(ref _latest);
            set => Volatile.Write(ref _latest, value);
        }
    }
}
