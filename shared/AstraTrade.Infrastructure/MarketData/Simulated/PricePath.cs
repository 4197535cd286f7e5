namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>
/// One market's log price x = ln(price / initial price) as a pure function of (seed, symbol, time since the epoch).
/// Minute level: an Ornstein–Uhlenbeck process, x₀ = 0, stepped exactly once a minute:
/// x(k+1) = φ·x(k) + s·Z(k), φ = e^(−θ), θ = ln 2 / half-life, s² = σ²_minute·(1 − φ²)/(2θ), so a minute's return
/// has the configured volatility while deviations from the initial price decay with the configured half-life.
/// Second level: within minute k, a Brownian bridge from x(k) to x(k+1) sampled every second.
/// All shocks come from <see cref="CounterRandom"/>, keyed by seed, symbol and purpose, counted by minute.
/// </summary>
internal sealed class PricePath
{
    public const int SecondsPerMinute = 60;

    // x is sequential in minutes; a checkpoint every four hours (48 bytes a day since the epoch) bounds any seek
    // to 239 cheap steps, which keeps hourly funding (two seeks an hour, one eight hours back) cheap.
    private const int CheckpointSpacing = 240;
    private const double MinutesPerYear = 365.25 * 24 * 60;
    private const ulong MinutePurpose = 1;
    private const ulong BridgePurpose = 2;

    private readonly ulong _minuteKey;
    private readonly ulong _bridgeKey;
    private readonly double _reversion;
    private readonly double _minuteShock;
    private readonly double _secondShock;
    private readonly double _initialPrice;
    private readonly decimal _tickSize;

    private readonly Lock _gate = new();
    private readonly List<double> _checkpoints = [0.0];
    private long _cursorMinute;
    private double _cursorValue;
    private MinuteSamples? _recentMinute;

    public PricePath(long seed, SimulatedMarketDefinition market, TimeSpan meanReversionHalfLife)
    {
        // Keyed by the symbol, not the position in the list: adding or reordering markets leaves other paths alone.
        var stream = SymbolHash(market.Symbol);
        _minuteKey = CounterRandom.Key((ulong)seed, stream, MinutePurpose);
        _bridgeKey = CounterRandom.Key((ulong)seed, stream, BridgePurpose);

        var theta = Math.Log(2) / meanReversionHalfLife.TotalMinutes;
        _reversion = Math.Exp(-theta);
        var minuteVariance = market.AnnualVolatility * market.AnnualVolatility / MinutesPerYear;
        _minuteShock = Math.Sqrt(minuteVariance * (1 - (_reversion * _reversion)) / (2 * theta));
        _secondShock = _minuteShock / Math.Sqrt(SecondsPerMinute);
        _initialPrice = (double)market.InitialPrice;
        _tickSize = market.TickSize;
    }

    /// <summary>x at the start of minute <paramref name="minute"/> (≥ 0) after the epoch.</summary>
    public double LogPriceAtMinute(long minute)
    {
        lock (_gate)
        {
            var checkpoint = minute / CheckpointSpacing;
            var (from, x) = _cursorMinute <= minute && _cursorMinute >= checkpoint * CheckpointSpacing
                ? (_cursorMinute, _cursorValue)
                : (checkpoint * CheckpointSpacing, CheckpointAt((int)checkpoint));
            for (var k = from; k < minute; k++)
            {
                x = Step(k, x);
            }

            (_cursorMinute, _cursorValue) = (minute, x);
            return x;
        }
    }

    /// <summary>x at the start of minute <paramref name="minute"/> + 1, given x at the start of <paramref name="minute"/>.</summary>
    public double Step(long minute, double logPrice) =>
        (_reversion * logPrice) + (_minuteShock * CounterRandom.Normals(_minuteKey, minute).Next());

    /// <summary>
    /// Fills <paramref name="samples"/> (61 values) with x at seconds 0..60 of <paramref name="minute"/>: a Brownian
    /// bridge from <paramref name="start"/> to <paramref name="end"/>, B(j) = W(j) − (j/60)·W(60) for a random walk W
    /// of 60 normal steps. Sample 60 is the next minute's sample 0, exactly, so candles join without gaps.
    /// </summary>
    public void FillMinute(long minute, double start, double end, Span<double> samples)
    {
        var normals = CounterRandom.Normals(_bridgeKey, minute);
        var walk = 0.0;
        for (var j = 1; j <= SecondsPerMinute; j++)
        {
            walk += normals.Next();
            samples[j] = walk;
        }

        // start + (end − start)·j/60 + σ·(W(j) − W(60)·j/60), with the two linear terms folded into one slope.
        var slope = ((end - start) - (_secondShock * walk)) / SecondsPerMinute;
        for (var j = 1; j < SecondsPerMinute; j++)
        {
            samples[j] = start + (slope * j) + (_secondShock * samples[j]);
        }

        samples[0] = start;
        samples[SecondsPerMinute] = end;
    }

    /// <summary>The 61 per-second samples of one minute; the last minute asked for is kept, as ticks ask for the
    /// same minute sixty times in a row.</summary>
    public ReadOnlySpan<double> SamplesOfMinute(long minute)
    {
        var recent = Volatile.Read(ref _recentMinute);
        if (recent?.Minute != minute)
        {
            var samples = new double[SecondsPerMinute + 1];
            var start = LogPriceAtMinute(minute);
            FillMinute(minute, start, Step(minute, start), samples);
            recent = new MinuteSamples(minute, samples);
            Volatile.Write(ref _recentMinute, recent);
        }

        return recent.Samples;
    }

    /// <summary>x at whole second <paramref name="second"/> (≥ 0) after the epoch.</summary>
    public double LogPriceAtSecond(long second) =>
        SamplesOfMinute(second / SecondsPerMinute)[(int)(second % SecondsPerMinute)];

    /// <summary>The price for a log price, to the nearest tick (never below one tick). Monotonic in
    /// <paramref name="logPrice"/>, so the highest log price of a candle gives its highest price.</summary>
    public decimal ToPrice(double logPrice)
    {
        var raw = (decimal)(_initialPrice * Math.Exp(logPrice));
        var ticks = Math.Round(raw / _tickSize, MidpointRounding.ToEven);
        return Math.Max(ticks, 1m) * _tickSize;
    }

    private double CheckpointAt(int index)
    {
        while (_checkpoints.Count <= index)
        {
            var minute = (long)(_checkpoints.Count - 1) * CheckpointSpacing;
            var x = _checkpoints[^1];
            for (var k = minute; k < minute + CheckpointSpacing; k++)
            {
                x = Step(k, x);
            }

            _checkpoints.Add(x);
        }

        return _checkpoints[index];
    }

    // FNV-1a over the symbol's UTF-16 code units: stable across runs and platforms, unlike string.GetHashCode.
    private static ulong SymbolHash(string symbol)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in symbol)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private sealed record MinuteSamples(long Minute, double[] Samples);
}
