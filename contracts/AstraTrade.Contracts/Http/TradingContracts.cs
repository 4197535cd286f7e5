namespace AstraTrade.Contracts.Http;

public enum OrderSide
{
    Long,
    Short,
}

public enum OrderType
{
    Market,
    Limit,
}

/// <summary>POST /api/v1/orders, with an Idempotency-Key header.</summary>
/// <param name="Leverage">Whole number from 1 to the caller's maximum for the market.</param>
/// <param name="Collateral">USD margin to put up (at most 6 decimals); notional = collateral × leverage.</param>
/// <param name="LimitPrice">Required for a limit order: it fills when the mark crosses it, at the limit or better, and
/// expires after 24 h.</param>
/// <param name="StopLoss">Optional: close the position when the mark crosses this price against it.</param>
/// <param name="TakeProfit">Optional: close the position when the mark crosses this price in its favour.</param>
public sealed record PlaceOrderRequest(
    string Market,
    OrderSide Side,
    int Leverage,
    decimal Collateral,
    OrderType Type = OrderType.Market,
    decimal? LimitPrice = null,
    decimal? StopLoss = null,
    decimal? TakeProfit = null);

/// <summary>Why an order ended the way it did: the rule or event, as a stable code and in words.</summary>
public sealed record OrderReason(string Code, string Message);

/// <summary>An order and where its trade is in its lifecycle.</summary>
/// <param name="Type">market or limit.</param>
/// <param name="Status">The order: pending (being checked and reserved), working (a limit order waiting for its
/// price), filled, rejected, cancelled or expired.</param>
/// <param name="Lifecycle">The whole trade: pending, working, open (its position is open), closed (closed and settled),
/// rejected, cancelled, expired or failed.</param>
/// <param name="Reason">Why it was rejected, cancelled, expired or failed, or how its position closed.</param>
/// <param name="Account">practice or tournament:{id}.</param>
public sealed record OrderResponse(
    Guid Id,
    string Market,
    string Side,
    string Type,
    int Leverage,
    decimal Collateral,
    string Status,
    decimal? FillPrice,
    decimal? Fee,
    Guid? PositionId,
    DateTimeOffset CreatedAt,
    decimal? LimitPrice = null,
    decimal? StopLoss = null,
    decimal? TakeProfit = null,
    string Lifecycle = "pending",
    OrderReason? Reason = null,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? UpdatedAt = null,
    string Account = "practice");

/// <summary>PATCH /api/v1/positions/{id}: the position's stop-loss and take-profit (null clears one).</summary>
public sealed record SetProtectionRequest(decimal? StopLoss, decimal? TakeProfit);

/// <param name="Position">The position a filled order opened; null while a limit order works.</param>
public sealed record PlaceOrderResponse(OrderResponse Order, PositionResponse? Position);

/// <param name="Status">open, closed or liquidated.</param>
/// <param name="CloseReason">user, reset, settlement, stop-loss, take-profit, liquidation, or exchange (a live position Extended closed without an order of ours).</param>
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
    DateTimeOffset? ClosedAt,
    decimal? StopLoss = null,
    decimal? TakeProfit = null);

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
