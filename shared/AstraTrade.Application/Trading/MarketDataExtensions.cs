using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

public static class MarketDataExtensions
{
    /// <summary>The latest mark as the account decider takes it (null before the first tick); the decider judges its age.</summary>
    public static MarkPrice? LatestMark(this IMarketData marketData, string market) =>
        marketData.TryGetLatest(market, out var tick) ? new MarkPrice(tick.Price, tick.Time) : null;
}
