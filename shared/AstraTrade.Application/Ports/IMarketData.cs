namespace AstraTrade.Application.Ports;

/// <summary>
/// Prices for the markets AstraTrade lists. Practice trading uses the simulated market; a real feed
/// implements the same port. The mark price is the latest tick's price.
/// </summary>
public interface IMarketData
{
    /// <summary>The latest tick of <paramref name="market"/>, or false before the first one.</summary>
    bool TryGetLatest(string market, out PriceTick tick);

    /// <summary>Every new tick of every market, from now on, until cancelled. A slow reader skips ticks
    /// rather than holding the market back; the newest tick per market is never skipped for long.</summary>
    IAsyncEnumerable<PriceTick> WatchAsync(CancellationToken cancellationToken);

    /// <summary>The last <paramref name="limit"/> candles, oldest first; the last one may still be forming.</summary>
    ValueTask<IReadOnlyList<Candle>> GetCandlesAsync(
        string market, CandleInterval interval, int limit, CancellationToken cancellationToken = default);

    /// <summary>High, low and change over the 24 hours before now.</summary>
    ValueTask<MarketStats> Get24HourStatsAsync(string market, CancellationToken cancellationToken = default);
}

/// <param name="FundingRate">Hourly funding rate (0.0001 = 0.01 %/h); longs pay shorts when positive.</param>
public sealed record PriceTick(string Market, decimal Price, decimal FundingRate, DateTimeOffset Time);

public sealed record Candle(DateTimeOffset OpenTime, decimal Open, decimal High, decimal Low, decimal Close);

/// <param name="Open">The price 24 hours ago; change = last − open.</param>
public sealed record MarketStats(decimal High, decimal Low, decimal Open, decimal Last)
{
    public decimal Change => Last - Open;

    public decimal ChangeRatio => Open == 0 ? 0 : Change / Open;
}

public enum CandleInterval
{
    OneMinute,
    FiveMinutes,
    FifteenMinutes,
    OneHour,
    FourHours,
    OneDay,
}
