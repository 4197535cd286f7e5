namespace AstraTrade.Domain.Trading;

/// <summary>Everything that happens to an account. The stream of these is the account's ledger; on a live account it
/// records what the exchange did, and the amounts it names never move a balance here.</summary>
public interface IAccountEvent
{
    DateTimeOffset At { get; }
}

public sealed record AccountOpened(AccountKind Kind, string OwnerId, decimal StartingBalance, DateTimeOffset At) : IAccountEvent;

/// <summary>An order passed every risk check; Collateral + OpenFee left the balance and are held for it until it fills
/// or is released. Notional, fee and the market's rates are fixed here (N = C × L), so a fill never needs more. On a live
/// account nothing leaves a balance and OpenFee is an estimate: the fill records the exchange's own.</summary>
/// <param name="RequestFingerprint">The order's economic content, to tell a retry from a different order under the same key.</param>
/// <param name="MarkPrice">The mark when it was placed.</param>
public sealed record OrderPlaced(
    Guid OrderId,
    string IdempotencyKey,
    string RequestFingerprint,
    OrderType Type,
    string Market,
    PositionSide Side,
    int Leverage,
    decimal Collateral,
    decimal Notional,
    decimal OpenFee,
    decimal? LimitPrice,
    Protection Protection,
    decimal MaintenanceMarginRate,
    decimal TakerFeeRate,
    decimal MarkPrice,
    DateTimeOffset At) : IAccountEvent;

/// <summary>A working order ended without a fill; Amount (its whole reservation) went back to the balance.</summary>
public sealed record OrderReleased(Guid OrderId, decimal Amount, ReleaseReason Reason, DateTimeOffset At) : IAccountEvent;

/// <summary>An order filled and opened an isolated position. Collateral + OpenFee were paid: from the order's
/// reservation (when an <see cref="OrderPlaced"/> precedes it), or from the balance (accounts recorded before orders
/// reserved).</summary>
/// <param name="RequestFingerprint">The order's economic content, to tell a retry from a different order under the same key.</param>
/// <param name="Protection">The stop-loss and take-profit the order asked for (null: none).</param>
public sealed record PositionOpened(
    Guid PositionId,
    Guid OrderId,
    string IdempotencyKey,
    string RequestFingerprint,
    PositionTerms Terms,
    decimal MarkPrice,
    DateTimeOffset At,
    Protection? Protection = null) : IAccountEvent;

/// <summary>An open position's stop-loss and take-profit were set (null prices: cleared).</summary>
public sealed record ProtectionSet(Guid PositionId, Protection Protection, DateTimeOffset At) : IAccountEvent;

public enum CloseReason
{
    /// <summary>The owner closed it.</summary>
    User,

    /// <summary>A practice reset closed it at mark.</summary>
    Reset,

    /// <summary>Its tournament ended: closed at mark by the settlement, not by the player.</summary>
    Settlement,

    /// <summary>The mark crossed its stop-loss.</summary>
    StopLoss,

    /// <summary>The mark crossed its take-profit.</summary>
    TakeProfit,

    /// <summary>A live position the exchange closed without an order of ours (its owner closed it in the exchange's own
    /// app, or the exchange deleveraged it).</summary>
    Exchange,
}

/// <summary>A position closed at ExitPrice; Payout (= max(0, Collateral + RealizedPnl − CloseFee)) went to the balance,
/// or, on a live account, is what the position returned on the exchange (recorded only).</summary>
public sealed record PositionClosed(
    Guid PositionId,
    PositionTerms Terms,
    decimal Collateral,
    decimal MarkPrice,
    decimal ExitPrice,
    decimal RealizedPnl,
    decimal CloseFee,
    decimal Payout,
    CloseReason Reason,
    DateTimeOffset At) : IAccountEvent;

/// <summary>A position hit C + uPnL ≤ MM. The owner gets nothing back; C + PnL at the liquidation price, if positive,
/// goes to the insurance fund.</summary>
public sealed record PositionLiquidated(
    Guid PositionId,
    PositionTerms Terms,
    decimal Collateral,
    decimal MarkPrice,
    decimal LiquidationPrice,
    decimal PnlAtLiquidationPrice,
    decimal InsuranceFundAmount,
    DateTimeOffset At) : IAccountEvent;

/// <summary>Hourly funding moved CollateralChange (negative when the position paid) into or out of the collateral.</summary>
public sealed record FundingApplied(
    Guid PositionId,
    DateTimeOffset FundingTime,
    decimal Rate,
    decimal MarkPrice,
    decimal CollateralChange,
    decimal CollateralAfter,
    DateTimeOffset At) : IAccountEvent;

/// <summary>A practice reset: after its positions were closed, the balance went from BalanceBefore back to the
/// starting balance, i.e. Adjustment = BalanceBefore − StartingBalance left the account (negative: it came in).</summary>
public sealed record AccountReset(decimal BalanceBefore, decimal Adjustment, decimal StartingBalance, DateTimeOffset At) : IAccountEvent;
