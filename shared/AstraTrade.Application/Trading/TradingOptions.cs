using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>Configuration section "Trading": the rules and the market table (DOMAIN.md §1 defaults when absent).</summary>
public sealed class TradingOptions
{
    public const string Section = "Trading";

    /// <summary>A fresh instance, never <see cref="TradingRules.Default"/>: the configuration binder sets properties on the
    /// object it finds here, and must not change the shared defaults.</summary>
    public TradingRules Rules { get; set; } = new();

    /// <summary>Replaces the default table when set (configuration binding appends to lists, so there is no default list here).</summary>
    public MarketSpec[]? Markets { get; set; }
}
