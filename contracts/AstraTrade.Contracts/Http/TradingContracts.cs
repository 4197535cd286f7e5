namespace AstraTrade.Contracts.Http;

public enum OrderSide
{
    Long,
    Short,
}

public enum OrderType
{
    Market,
}

/// <summary>POST /api/v1/orders, with an Idempotency-Key header.</summary>
/// <param name="Leverage">Whole number from 1 to the caller's maximum for the market.</param>
/// <param name="Collateral">USD margin to put up (at most 6 decimals); notional = collateral × leverage.</param>
public sealed record PlaceOrderRequest(string Market, OrderSide Side, int Leverage, decimal Collateral, OrderType Type = OrderType.Market);

public sealed record OrderResponse(
    Guid Id,
    string Market,
    string Side,
    string Type,
    int Leverage,
    decimal Collateral,
    string Status,
    decimal FillPrice,
    decimal Fee,
    Guid PositionId,
    DateTimeOffset CreatedAt);

public sealed record PlaceOrderResponse(OrderResponse Order, PositionResponse Position);

/// <param name="Status">open, closed or liquidated.</param>
/// <param name="MarkPrice">The current mark for open positions; the mark at close otherwise.</param>
public sealed record PositionResponse(
    Guid Id,
    string Market,
    string Side,
    int Leverage,
    string Status,
    decimal Collateral,
    decimal Notional,
    decimal Quantity,
    decimal EntryPrice,
    decimal? MarkPrice,
    decimal? UnrealizedPnl,
    decimal LiquidationPrice,
    decimal OpenFee,
    DateTimeOffset OpenedAt,
    decimal? ExitPrice,
    decimal? RealizedPnl,
    decimal? CloseFee,
    decimal? Payout,
    string? CloseReason,
    DateTimeOffset? ClosedAt);

public sealed record PositionsPage(IReadOnlyList<PositionResponse> Items, string? NextCursor);

/// <summary>One fill in the account's history: an open, a close or a liquidation.</summary>
/// <param name="Kind">open, close or liquidation.</param>
/// <param name="Direction">buy or sell.</param>
public sealed record TradeResponse(
    Guid PositionId,
    string Kind,
    string Market,
    string Direction,
    decimal Price,
    decimal Quantity,
    decimal Notional,
    decimal Fee,
    decimal? RealizedPnl,
    DateTimeOffset At);

public sealed record TradesPage(IReadOnlyList<TradeResponse> Items, string? NextCursor);

public sealed record PracticeAccountResponse(
    decimal Balance,
    decimal Equity,
    decimal MarginInUse,
    decimal UnrealizedPnl,
    int OpenPositions,
    decimal StartingBalance,
    DateTimeOffset? ResetAvailableAt);
