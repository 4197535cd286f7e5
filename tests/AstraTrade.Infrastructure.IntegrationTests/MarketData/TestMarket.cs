using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.MarketData.Simulated;
using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.MarketData;

/// <summary>Simulated markets on a manual clock. The epoch is a month before the clock by default, which keeps
/// the history a first candle request computes small.</summary>
internal static class TestMarket
{
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Epoch = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    public static SimulatedMarketOptions Options(long seed = 7) => new() { Seed = seed, Epoch = Epoch };

    public static (SimulatedMarket Market, ManualTimeProvider Clock) Create(DateTimeOffset? now = null, SimulatedMarketOptions? options = null)
    {
        var clock = new ManualTimeProvider(now ?? Now);
        return (new SimulatedMarket(options ?? Options(), clock), clock);
    }

    public static TimeSpan Length(CandleInterval interval) => interval switch
    {
        CandleInterval.OneMinute => TimeSpan.FromMinutes(1),
        CandleInterval.FiveMinutes => TimeSpan.FromMinutes(5),
        CandleInterval.FifteenMinutes => TimeSpan.FromMinutes(15),
        CandleInterval.OneHour => TimeSpan.FromHours(1),
        CandleInterval.FourHours => TimeSpan.FromHours(4),
        CandleInterval.OneDay => TimeSpan.FromDays(1),
        _ => throw new ArgumentOutOfRangeException(nameof(interval)),
    };

    public static IEnumerable<DateTimeOffset> Seconds(DateTimeOffset from, DateTimeOffset to)
    {
        for (var t = from; t <= to; t = t.AddSeconds(1))
        {
            yield return t;
        }
    }
}
