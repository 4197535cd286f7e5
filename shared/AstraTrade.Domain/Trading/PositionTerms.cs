namespace AstraTrade.Domain.Trading;

/// <summary>What a position was opened with; fixed for its lifetime. Close and liquidation events repeat these
/// terms so that a history entry (and every consumer of the feed) is complete without the opening event.</summary>
public sealed record PositionTerms(
    string Market,
    PositionSide Side,
    int Leverage,
    decimal InitialCollateral,
    decimal Notional,
    decimal Quantity,
    decimal EntryPrice,
    decimal OpenFee,
    decimal MaintenanceMarginRate,
    decimal TakerFeeRate,
    DateTimeOffset OpenedAt);
