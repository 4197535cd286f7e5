namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>The most recent completed candles of one interval, oldest dropped first.</summary>
internal sealed class CandleRing(int capacity)
{
    private readonly LogCandle[] _items = new LogCandle[capacity];
    private int _next;
    private int _count;

    public void Add(LogCandle candle)
    {
        _items[_next] = candle;
        _next = (_next + 1) % capacity;
        _count = Math.Min(_count + 1, capacity);
    }

    public void Clear() => (_next, _count) = (0, 0);

    /// <summary>Up to <paramref name="count"/> of the newest candles, oldest first.</summary>
    public IEnumerable<LogCandle> Newest(int count)
    {
        count = Math.Min(count, _count);
        for (var i = 0; i < count; i++)
        {
            yield return _items[(_next - count + i + capacity) % capacity];
        }
    }
}
