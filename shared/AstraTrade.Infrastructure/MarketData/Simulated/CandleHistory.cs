using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>
/// Candles and 24-hour statistics of one market from its per-second path. Every completed minute is folded once
/// into the forming candle of each interval; completed candles are kept in rings of the size a request can use, so
/// memory stays fixed (about 250 KB a market) and a request costs at most a few thousand candle merges.
/// History covers today and the <c>historyDays − 1</c> days before it, and never starts before the epoch. The first
/// request after a start computes every second of that span (in a Release build roughly a second per thousand days),
/// later ones only the minutes since the previous request; <see cref="SimulatedMarket.RunAsync"/> does that first
/// round in the background at start-up.
/// </summary>
internal sealed class CandleHistory(PricePath path, DateTimeOffset epoch, int historyDays)
{
    /// <summary>The most candles one request returns.</summary>
    public const int MaxCandles = 1000;

    private const int MinutesPerDay = 24 * 60;
    private const int SecondsPerDay = MinutesPerDay * PricePath.SecondsPerMinute;

    private static readonly int[] BucketMinutes = [1, 5, 15, 60, 240, MinutesPerDay];

    private readonly Lock _gate = new();

    // The minute ring also serves the 24-hour statistics, so it holds a day of minutes.
    private readonly CandleRing[] _completed = [.. BucketMinutes.Select(m => new CandleRing(m == 1 ? MinutesPerDay : MaxCandles))];
    private readonly LogCandle?[] _forming = new LogCandle?[BucketMinutes.Length];
    private long _builtUntil = -1;

    /// <summary>How many minutes of the path have been folded into candles so far (the cost of the history).</summary>
    public long MinutesFolded { get; private set; }

    /// <summary>The last <paramref name="limit"/> candles up to second <paramref name="now"/> after the epoch, oldest
    /// first; the last one is forming and ends at <paramref name="now"/>.</summary>
    public IReadOnlyList<Candle> GetCandles(CandleInterval interval, int limit, long now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var (minute, second) = AdvanceTo(now, cancellationToken);
            var index = (int)interval;
            var current = LogCandle.Of(minute, path.SamplesOfMinute(minute)[..(second + 1)]);
            var forming = _forming[index] is { } earlier ? earlier.Then(current) : current;

            var candles = new List<Candle>(limit);
            var historyStart = HistoryStart(minute);
            candles.AddRange(_completed[index].Newest(limit - 1).Where(c => c.Start >= historyStart).Select(ToCandle));
            candles.Add(ToCandle(forming with { Start = minute - (minute % BucketMinutes[index]) }));
            return candles;
        }
    }

    /// <summary>Computes the history up to second <paramref name="now"/> ahead of the first request.</summary>
    public void CatchUp(long now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            AdvanceTo(now, cancellationToken);
        }
    }

    /// <summary>High, low, first and last price over the seconds from 24 h before <paramref name="now"/> (or the
    /// epoch, if later) to <paramref name="now"/>.</summary>
    public MarketStats Get24HourStats(long now, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var (minute, second) = AdvanceTo(now, cancellationToken);
            var from = Math.Max(0, (minute * PricePath.SecondsPerMinute) + second - SecondsPerDay);
            var (firstMinute, firstSecond) = Math.DivRem(from, PricePath.SecondsPerMinute);

            LogCandle window;
            if (firstMinute == minute)
            {
                window = LogCandle.Of(minute, path.SamplesOfMinute(minute)[(int)firstSecond..(second + 1)]);
            }
            else
            {
                window = LogCandle.Of(firstMinute, path.SamplesOfMinute(firstMinute)[(int)firstSecond..]);
                foreach (var completed in _completed[0].Newest(MinutesPerDay).Where(c => c.Start > firstMinute))
                {
                    window = window.Then(completed);
                }

                window = window.Then(LogCandle.Of(minute, path.SamplesOfMinute(minute)[..(second + 1)]));
            }

            return new MarketStats(path.ToPrice(window.High), path.ToPrice(window.Low), path.ToPrice(window.Open), path.ToPrice(window.Close));
        }
    }

    // Folds every minute before the one containing `now` into the candles, starting afresh (at a day boundary, so
    // that every interval's first bucket is whole) when the kept history would otherwise have a gap.
    private (long Minute, int Second) AdvanceTo(long now, CancellationToken cancellationToken)
    {
        // A clock that steps back cannot un-fold minutes; answer as of the latest time already seen.
        now = Math.Max(now, _builtUntil * PricePath.SecondsPerMinute);
        var (minute, second) = Math.DivRem(now, PricePath.SecondsPerMinute);
        var start = HistoryStart(minute);
        if (_builtUntil < start)
        {
            Array.ForEach(_completed, ring => ring.Clear());
            Array.Clear(_forming);
            _builtUntil = start;
        }

        if (_builtUntil < minute)
        {
            Span<double> samples = stackalloc double[PricePath.SecondsPerMinute + 1];
            var x = path.LogPriceAtMinute(_builtUntil);
            for (var m = _builtUntil; m < minute; m++)
            {
                if (m % MinutesPerDay == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var next = path.Step(m, x);
                path.FillMinute(m, x, next, samples);
                Fold(LogCandle.Of(m, samples));
                MinutesFolded++;
                x = next;
                _builtUntil = m + 1;
            }
        }

        return (minute, (int)second);
    }

    // Candles older than this stay in the rings for a while but are not served, so that an answer depends only on
    // the options and the time, not on how long the process has been running.
    private long HistoryStart(long minute) =>
        Math.Max(0, minute - (minute % MinutesPerDay) - ((historyDays - 1L) * MinutesPerDay));

    private void Fold(LogCandle minute)
    {
        for (var i = 0; i < BucketMinutes.Length; i++)
        {
            var length = BucketMinutes[i];
            var candle = _forming[i] is { } forming ? forming.Then(minute) : minute with { Start = minute.Start - (minute.Start % length) };
            if ((minute.Start + 1) % length == 0)
            {
                _completed[i].Add(candle);
                _forming[i] = null;
            }
            else
            {
                _forming[i] = candle;
            }
        }
    }

    private Candle ToCandle(LogCandle candle) => new(
        epoch.AddMinutes(candle.Start),
        path.ToPrice(candle.Open),
        path.ToPrice(candle.High),
        path.ToPrice(candle.Low),
        path.ToPrice(candle.Close));
}
