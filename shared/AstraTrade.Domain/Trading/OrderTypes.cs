namespace AstraTrade.Domain.Trading;

public enum OrderType
{
    /// <summary>Fills at once at the practice fill price (mark ± half the spread).</summary>
    Market,

    /// <summary>Rests until the mark crosses its limit price, then fills at the limit or better; expires after 24 h.</summary>
    Limit,
}

/// <summary>Why an order's reservation went back to the balance without a fill.</summary>
public enum ReleaseReason
{
    /// <summary>The owner cancelled it.</summary>
    Cancelled,

    /// <summary>A limit order reached its expiry unfilled.</summary>
    Expired,

    /// <summary>The exchange refused it or did not confirm it in time.</summary>
    Rejected,

    /// <summary>A practice reset released it with everything else.</summary>
    Reset,

    /// <summary>The account's tournament ended before it filled.</summary>
    Settlement,
}

/// <summary>Stop-loss and take-profit prices of a position (or of the order that will open it); either may be absent.
/// Crossing one closes the whole position at mark (DOMAIN.md §1: positions close in full).</summary>
public sealed record Protection(decimal? StopLoss, decimal? TakeProfit)
{
    public static readonly Protection None = new(null, null);

    public bool IsEmpty => StopLoss is null && TakeProfit is null;

    /// <summary>The close reason <paramref name="mark"/> triggers for a position on <paramref name="side"/>, if any. A
    /// long stops out at or below its stop-loss and takes profit at or above its take-profit; a short the other way.</summary>
    public CloseReason? TriggeredBy(PositionSide side, decimal mark) => side == PositionSide.Long
        ? (mark <= StopLoss ? CloseReason.StopLoss : mark >= TakeProfit ? CloseReason.TakeProfit : null)
        : (mark >= StopLoss ? CloseReason.StopLoss : mark <= TakeProfit ? CloseReason.TakeProfit : null);

    /// <summary>Both prices on the right side of <paramref name="reference"/>: a stop-loss on the losing side and a
    /// take-profit on the winning side, so that setting them never closes the position at once.</summary>
    public bool IsValidAround(PositionSide side, decimal reference) =>
        (StopLoss is null || (StopLoss > 0 && (side == PositionSide.Long ? StopLoss < reference : StopLoss > reference)))
        && (TakeProfit is null || (TakeProfit > 0 && (side == PositionSide.Long ? TakeProfit > reference : TakeProfit < reference)));
}

public enum OrderStatus
{
    Working,
    Filled,
    Released,
}

/// <summary>An order as the account remembers it: what was placed and how it ended.</summary>
public sealed record OrderRecord(OrderPlaced Placed, OrderStatus Status, ReleaseReason? ReleaseReason = null)
{
    /// <summary>What the order holds back from the balance while it works: collateral plus the opening fee.</summary>
    public decimal Reserved => Placed.Collateral + Placed.OpenFee;
}
