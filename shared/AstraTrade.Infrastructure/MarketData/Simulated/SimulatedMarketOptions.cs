namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>
/// Settings of the simulated market. The path is a pure function of these and the time, so two processes with
/// equal options show equal prices, and changing a market's settings changes its whole history.
/// </summary>
public sealed class SimulatedMarketOptions
{
    /// <summary>The most funding may be per hour either way (DOMAIN.md §1: ±0.1 %/h).</summary>
    public const decimal FundingRateCap = 0.001m;

    /// <summary>Chooses the price path; a different seed gives unrelated paths.</summary>
    public long Seed { get; set; } = 20260101;

    /// <summary>Where every path starts at its initial price; history begins here. Must be a UTC midnight, so
    /// that every candle, up to a day long, starts on or after it.</summary>
    public DateTimeOffset Epoch { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How often <see cref="SimulatedMarket.RunAsync"/> publishes ticks: whole seconds, 1 s to 60 s.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far back candles reach: whole days, from 2 (the 24-hour statistics need yesterday) to 1,000 (the
    /// most candles a request returns). Every second of it is computed once per process start, in the background
    /// by <see cref="SimulatedMarket.RunAsync"/>: roughly a second per thousand days in a Release build. Only daily
    /// candles reach back further than 167 days, so in effect this caps how many of those a chart can show.</summary>
    public TimeSpan HistoryDepth { get; set; } = TimeSpan.FromDays(400);

    /// <summary>How long a deviation of the log price from the initial price takes to halve, on average
    /// (mean reversion keeps prices plausible over years). At least one hour.</summary>
    public TimeSpan MeanReversionHalfLife { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Hourly funding when the price has not moved for eight hours: 0.01 % per 8 h, as on real exchanges.</summary>
    public decimal FundingBaseRate { get; set; } = 0.0000125m;

    /// <summary>Hourly funding added per unit of 8-hour log return: a rally makes longs pay more. The default gives
    /// about ±0.005 %/h for a one-sigma BTC move and needs a 33 % move to reach the cap.</summary>
    public decimal FundingMomentumFactor { get; set; } = 0.003m;

    /// <summary>The markets, each with its own independent path. Replace the list to change the set; configuration
    /// binders add to a pre-filled list rather than replace it.</summary>
    public IList<SimulatedMarketDefinition> Markets { get; set; } = DefaultMarkets();

    /// <summary>BTC, ETH, SOL and STRK against USD, with realistic prices, volatilities and tick sizes.</summary>
    public static List<SimulatedMarketDefinition> DefaultMarkets() =>
    [
        new() { Symbol = "BTC-USD", InitialPrice = 95_000m, AnnualVolatility = 0.55, TickSize = 0.1m },
        new() { Symbol = "ETH-USD", InitialPrice = 3_400m, AnnualVolatility = 0.70, TickSize = 0.01m },
        new() { Symbol = "SOL-USD", InitialPrice = 180m, AnnualVolatility = 0.90, TickSize = 0.001m },
        new() { Symbol = "STRK-USD", InitialPrice = 0.45m, AnnualVolatility = 1.10, TickSize = 0.00001m },
    ];

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first setting that is out of bounds.</summary>
    public void Validate()
    {
        Require(Epoch.Offset == TimeSpan.Zero && Epoch.TimeOfDay == TimeSpan.Zero, nameof(Epoch), $"must be a UTC midnight (+00:00), was {Epoch:O}");
        Require(
            TickInterval >= TimeSpan.FromSeconds(1) && TickInterval <= TimeSpan.FromSeconds(60) && TickInterval.Ticks % TimeSpan.TicksPerSecond == 0,
            nameof(TickInterval),
            $"must be a whole number of seconds from 1 to 60, was {TickInterval}");
        Require(
            HistoryDepth >= TimeSpan.FromDays(2) && HistoryDepth <= TimeSpan.FromDays(1000) && HistoryDepth.Ticks % TimeSpan.TicksPerDay == 0,
            nameof(HistoryDepth),
            $"must be a whole number of days from 2 to 1000, was {HistoryDepth}");
        Require(MeanReversionHalfLife >= TimeSpan.FromHours(1), nameof(MeanReversionHalfLife), $"must be at least one hour, was {MeanReversionHalfLife}");
        Require(Math.Abs(FundingBaseRate) <= FundingRateCap, nameof(FundingBaseRate), $"must be within ±{FundingRateCap}, was {FundingBaseRate}");
        Require(FundingMomentumFactor >= 0 && FundingMomentumFactor <= 1, nameof(FundingMomentumFactor), $"must be from 0 to 1, was {FundingMomentumFactor}");
        Require(Markets is { Count: > 0 }, nameof(Markets), "must list at least one market");

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Markets.Count; i++)
        {
            var market = Markets[i];
            var name = $"{nameof(Markets)}[{i}]";
            Require(market is not null, name, "is null");
            name = $"{name} ({market!.Symbol})";
            Require(!string.IsNullOrWhiteSpace(market.Symbol), $"{nameof(Markets)}[{i}].{nameof(market.Symbol)}", "must not be empty");
            Require(seen.Add(market.Symbol), name, "repeats a symbol listed before it");
            Require(market.InitialPrice > 0, $"{name}.{nameof(market.InitialPrice)}", $"must be positive, was {market.InitialPrice}");
            Require(market.TickSize > 0, $"{name}.{nameof(market.TickSize)}", $"must be positive, was {market.TickSize}");
            Require(
                market.TickSize <= market.InitialPrice / 100,
                $"{name}.{nameof(market.TickSize)}",
                $"must be at most 1 % of the initial price ({market.InitialPrice}), was {market.TickSize}");
            Require(
                market.AnnualVolatility is > 0 and <= 5,
                $"{name}.{nameof(market.AnnualVolatility)}",
                $"must be above 0 and at most 5 (500 %), was {market.AnnualVolatility}");
        }
    }

    private static void Require(bool condition, string setting, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"{nameof(SimulatedMarketOptions)}.{setting} {problem}.", setting);
        }
    }
}
