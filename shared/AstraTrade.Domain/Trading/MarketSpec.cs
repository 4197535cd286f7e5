namespace AstraTrade.Domain.Trading;

/// <summary>A listed perpetual market's risk parameters (DOMAIN.md §1). A position copies the rates it was opened
/// under, so changing the table later never rewrites an open position's terms.</summary>
public sealed record MarketSpec(
    string Symbol,
    int MaxLeverage,
    decimal MaintenanceMarginRate,
    decimal TakerFeeRate,
    decimal MinNotional,
    bool Halted = false);
