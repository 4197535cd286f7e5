namespace AstraTrade.Domain.Trading;

/// <summary>An open isolated position: its fixed terms plus what changes while it is open.</summary>
public sealed record Position(Guid Id, Guid OrderId, PositionTerms Terms, decimal Collateral, DateTimeOffset? LastFundingAt, Protection Protection)
{
    public decimal UnrealizedPnl(decimal mark) =>
        PositionMath.UnrealizedPnl(Terms.Side, Terms.Quantity, Terms.EntryPrice, mark);

    public decimal MaintenanceMargin(decimal mark) =>
        PositionMath.MaintenanceMargin(Terms.Quantity, mark, Terms.MaintenanceMarginRate);

    public decimal LiquidationPrice => PositionMath.LiquidationPrice(Terms, Collateral);

    public bool IsLiquidatableAt(decimal mark) => PositionMath.IsLiquidatable(Terms, Collateral, mark);
}
