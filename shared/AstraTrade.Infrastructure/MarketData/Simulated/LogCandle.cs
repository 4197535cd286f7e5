namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>A candle kept in log prices (converted to decimal prices only when read), starting at minute
/// <see cref="Start"/> after the epoch.</summary>
internal readonly record struct LogCandle(long Start, double Open, double High, double Low, double Close)
{
    /// <summary>The candle of consecutive per-second samples.</summary>
    public static LogCandle Of(long start, ReadOnlySpan<double> samples)
    {
        var high = samples[0];
        var low = samples[0];
        foreach (var x in samples[1..])
        {
            if (x > high)
            {
                high = x;
            }
            else if (x < low)
            {
                low = x;
            }
        }

        return new LogCandle(start, samples[0], high, low, samples[^1]);
    }

    /// <summary>This candle extended by the one that follows it.</summary>
    public LogCandle Then(LogCandle next) =>
        this with { High = Math.Max(High, next.High), Low = Math.Min(Low, next.Low), Close = next.Close };
}
