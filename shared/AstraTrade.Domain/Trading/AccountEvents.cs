namespace AstraTrade.Domain.Trading;

/// <summary>Everything that happens to a virtual-money account. The stream of these is the account's ledger.</summary>
public interface IAccountEvent
{
    DateTimeOffset At { get; }
}

public sealed record AccountOpened(AccountKind Kind, string OwnerId, decimal StartingBalance, DateTimeOffset At) : IAccountEvent;

/// <summary>A market order filled and opened an isolated position. The balance paid Collateral + OpenFee.</summary>
/// <param name="RequestFingerprint">The order's economic content, to tell a retry from a different order under the same key.</param>
public sealed record PositionOpened(
    Guid PositionId,
    Guid OrderId,
    string IdempotencyKey,
    string RequestFingerprint,
    PositionTerms Terms,
    decimal MarkPrice,
    DateTimeOffset At) : IAccountEvent;

public enum CloseReason
{
    /// <summary>The owner closed it.</summary>
    User,

    /// <summary>A practice reset closed it at mark.</summary>
    Reset,

    /// <summary>Its tournament ended: closed at mark by the settlement, not by the player.</summary>
    Settlement,
}

/// <summary>A position closed at ExitPrice; Payout (= max(0, Collateral + RealizedPnl − CloseFee)) went to the balance.</summary>
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
