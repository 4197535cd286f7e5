namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>One simulated market: where its price starts (and drifts back to) and how much it moves.</summary>
public sealed class SimulatedMarketDefinition
{
    /// <summary>Market symbol in BASE-QUOTE form, e.g. BTC-USD; matched exactly (ordinal).</summary>
    public string Symbol { get; set; } = string.Empty;

    /// <summary>Price at the epoch, and the level the price reverts towards.</summary>
    public decimal InitialPrice { get; set; }

    /// <summary>Annualised volatility of log returns, e.g. 0.55 for 55 %.</summary>
    public double AnnualVolatility { get; set; }

    /// <summary>Price increment; every price is a whole multiple of it.</summary>
    public decimal TickSize { get; set; }
}
