using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>Configuration section "Trading": the rules and the market table (DOMAIN.md §1 defaults when absent).</summary>
public sealed class TradingOptions
{
    public const string Section = "Trading";

    public TradingRules Rules { get; set; } = TradingRules.Default;

    /// <summary>Replaces the default table when set (configuration binding appends to lists, so there is no default list here).</summary>
    public MarketSpec[]? Markets { get; set; }
}
