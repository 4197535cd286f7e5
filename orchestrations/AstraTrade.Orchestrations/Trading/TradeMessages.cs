using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Trading;

/// <summary>Where a trade is, as its lifecycle shows it (custom status while it runs, output when it ends).</summary>
/// <param name="Status">The order: pending, working, filled, rejected, cancelled or expired.</param>
/// <param name="Lifecycle">The trade: pending, working, open, closed, rejected, cancelled, expired or failed.</param>
/// <param name="Close">How the position ended, once it has.</param>
/// <param name="Opened">The position as the fill opened it (the first result a replayed order returns).</param>
/// <param name="Reserved">True once the account accepted the order (its margin was held, even if released since).</param>
public sealed record TradeStatus(
    string Status, string Lifecycle, OrderReason? Reason, decimal? FillPrice, decimal? Fee, DateTimeOffset UpdatedAt, PositionResponse? Opened = null, PositionEnded? Close = null,
    bool Reserved = false)
{
    public static TradeStatus Pending(DateTimeOffset at) => new("pending", "pending", null, null, null, at);
}

/// <summary>The position closed (by its owner, a reset, a settlement, a stop-loss or take-profit) or was liquidated;
/// the ledger settled it in the same write.</summary>
/// <param name="Status">closed or liquidated.</param>
/// <param name="Reason">user, reset, settlement, stop-loss, take-profit or liquidation.</param>
public sealed record PositionEnded(string Status, string Reason, decimal ExitPrice, decimal RealizedPnl, decimal Fee, decimal Payout, DateTimeOffset At);

/// <summary>The mark crossed a resting limit order's price.</summary>
public sealed record LimitReached(decimal Mark, DateTimeOffset At);

/// <summary>The owner asked to cancel.</summary>
public sealed record CancelRequested(DateTimeOffset At);

/// <summary>The mark crossed the position's stop-loss or take-profit.</summary>
public sealed record ProtectionTriggered(decimal Mark, DateTimeOffset At);

/// <summary>The account released the order's reservation on its own (a practice reset, a tournament's settlement).</summary>
public sealed record OrderReleasedNotice(ReleaseReason Reason, DateTimeOffset At);

/// <summary>An exchange confirmed a pending order's fill.</summary>
public sealed record ExchangeFill(MarkPrice Mark);

/// <summary>The external events a trade lifecycle waits for, shared with those who raise them.</summary>
public static class TradeEvents
{
    public static readonly ExternalEvent<LimitReached> LimitReached = new("limit-reached");
    public static readonly ExternalEvent<CancelRequested> Cancel = new("cancel");
    public static readonly ExternalEvent<ProtectionTriggered> ProtectionTriggered = new("protection-triggered");
    public static readonly ExternalEvent<PositionEnded> PositionEnded = new("position-ended");
    public static readonly ExternalEvent<OrderReleasedNotice> OrderReleased = new("order-released");
    public static readonly ExternalEvent<ExchangeFill> ExchangeFill = new("exchange-fill");
}

public sealed record ReserveOutcome(bool Reserved, OrderReason? Rejection);

/// <param name="Execution">What a live exchange executed; null for the simulated exchange.</param>
public sealed record FillInput(OrderTicket Ticket, MarkPrice? Mark, ExchangeExecution? Execution = null);

public enum FillResult
{
    Filled,

    /// <summary>A limit whose mark went back before it could fill: it goes on working.</summary>
    NotReached,

    /// <summary>The order had already been released (by a cancel, a reset or a settlement that got there first).</summary>
    Released,

    /// <summary>The fill was refused (e.g. no fresh price for a market order).</summary>
    Refused,
}

/// <param name="Opened">The position the fill opened (null when it had filled before: a repeated call).</param>
public sealed record FillOutcome(FillResult Result, PositionResponse? Opened = null, ReleaseReason? ReleasedBy = null, OrderReason? Refusal = null);

public sealed record ReleaseInput(OrderTicket Ticket, ReleaseReason Reason, OrderReason? Why = null);

/// <param name="Released">False when the order had filled first.</param>
/// <param name="Opened">The position a fill found on the way opened (a live order filled on the exchange before its cancel).</param>
public sealed record ReleaseOutcome(bool Released, ReleaseReason? Reason, PositionResponse? Opened = null);

public sealed record TriggerOutcome(bool Closed);
