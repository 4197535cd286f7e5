namespace AstraTrade.LoadTest;

/// <summary>
/// A latency histogram in the HdrHistogram style: values (microseconds) fall into log-linear buckets, 128 linear
/// sub-buckets per power of two, so any recorded value is reported within 1/128 (&lt; 0.8 %) of itself, from 1 µs to
/// about 2^40 µs, in a fixed 5,000-odd counters. Not thread-safe: every worker records into its own and they are merged.
/// </summary>
public sealed class Histogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Magnitudes = 40;

    private readonly long[] _counts = new long[(Magnitudes + 1) * SubBuckets];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public double Sum { get; private set; }

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        _counts[IndexOf(micros)]++;
        Count++;
        Sum += micros;
        Max = Math.Max(Max, micros);
        Min = Math.Min(Min, micros);
    }

    public void Add(Histogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>The value at or below which <paramref name="percentile"/> % of the recordings lie (the bucket's upper end,
    /// never above the maximum seen).</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(UpperOf(i), Max);
            }
        }

        return Max;
    }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    private static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var magnitude = 63 - (int)long.LeadingZeroCount(value) - SubBucketBits + 1; // ≥ 1
        magnitude = Math.Min(magnitude, Magnitudes);
        var sub = (int)(value >> magnitude) & (SubBuckets - 1);
        // Values in [2^(m+6), 2^(m+7)) map to sub-buckets 64..127 of magnitude m (the lower half is covered by m-1).
        return (magnitude * SubBuckets) + sub;
    }

    private static long UpperOf(int index)
    {
        var magnitude = index / SubBuckets;
        var sub = index % SubBuckets;
        return magnitude == 0 ? sub : ((long)(sub + 1) << magnitude) - 1;
    }
}
