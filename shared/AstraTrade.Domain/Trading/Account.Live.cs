using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Trading;

/// <summary>
/// The live account's side of the decider: a live account moves only on what the exchange executed (Extended holds
/// the money, fills, charges the fees, funds and liquidates), so these turn executions into the account's events.
/// </summary>
public static partial class Account
{
    /// <summary>
    /// The exchange filled the order: entry, quantity and fee are its, collateral is what the order set aside, and the
    /// position opened when the exchange executed. No spread, limit or mark check applies, because the execution is
    /// the fact; the mark, when one came along, is recorded for display only.
    /// </summary>
    private static PositionOpened LiveFill(OrderPlaced placed, ExchangeExecution execution, MarkPrice? mark)
    {
        var terms = new PositionTerms(
            placed.Market,
            placed.Side,
            placed.Leverage,
            placed.Collateral,
            execution.Quantity * execution.Price,
            execution.Quantity,
            execution.Price,
            execution.Fee,
            placed.MaintenanceMarginRate,
            placed.TakerFeeRate,
            execution.At);
        return new PositionOpened(
            placed.OrderId, placed.OrderId, placed.IdempotencyKey, placed.RequestFingerprint, terms, MarkOr(mark, execution.Price), execution.At);
    }

    /// <summary>
    /// The exchange closed the position: exit and fee are its, the PnL is booked like any close, and the payout is what
    /// the position returned on the exchange (recorded, never paid from here). Never a liquidation, whatever the mark:
    /// the exchange decided how it closed.
    /// </summary>
    private static Decision<IAccountEvent> LiveClose(Position position, ExchangeExecution execution, MarkPrice? mark)
    {
        var terms = position.Terms;
        if (execution.Quantity != terms.Quantity)
        {
            return TradingErrors.PartialCloseExecution(position.Id, terms.Quantity, execution.Quantity);
        }

        return LiveExit(position, execution, MarkOr(mark, execution.Price), CloseReason.User);
    }

    /// <summary>A live position ended at the exchange's exit: the PnL booked like any close, and the payout what it
    /// returned there (recorded, never paid from here); a liquidation returns nothing. Both times are the exchange's, so
    /// an exit dated before the open is some other order's execution.</summary>
    private static Decision<IAccountEvent> LiveExit(Position position, ExchangeExecution exit, decimal mark, CloseReason reason, bool liquidated = false)
    {
        var terms = position.Terms;
        if (exit.At < terms.OpenedAt)
        {
            return TradingErrors.CloseExecutedBeforeOpen(position.Id, terms.OpenedAt, exit.At);
        }

        var pnl = PositionMath.RealizedPnl(terms.Side, terms.Quantity, terms.EntryPrice, exit.Price);
        if (liquidated)
        {
            return Decision<IAccountEvent>.Accept(new PositionLiquidated(position.Id, terms, position.Collateral, mark, exit.Price, pnl, 0m, exit.At));
        }

        var payout = Math.Max(0m, position.Collateral + pnl - exit.Fee);
        return Decision<IAccountEvent>.Accept(new PositionClosed(
            position.Id, terms, position.Collateral, mark, exit.Price, pnl, exit.Fee, payout, reason, exit.At));
    }

    /// <summary>
    /// The exchange ended a live position without an order of ours: it liquidated or deleveraged it, or its owner closed
    /// it in the exchange's own app. Recorded as it happened there, at the exchange's exit price and time, for the
    /// position's quantity here (the exchange nets a market into one position, and ours is that position). A
    /// liquidation returns nothing, and nothing goes to our insurance fund: the exchange's covers it.
    /// </summary>
    private static Decision<IAccountEvent> RecordExchangeEnd(AccountState state, RecordExchangeEnd c)
    {
        if (state.Kind != AccountKind.Live)
        {
            return TradingErrors.UnexpectedExecution(state.Kind);
        }

        if (ExecutionError(state.Kind, c.Exit, () => TradingErrors.LiveCloseNeedsExecution(c.PositionId)) is { } invalid)
        {
            return invalid;
        }

        if (!state.OpenPositions.TryGetValue(c.PositionId, out var position))
        {
            return TradingErrors.PositionNotOpen(state, c.PositionId);
        }

        return LiveExit(position, c.Exit, c.Exit.Price, CloseReason.Exchange, c.Liquidated);
    }

    /// <summary>
    /// A live account moves only on the exchange's executions, and the simulated exchange never sends one: an
    /// execution missing from a live command, or present on a practice or tournament one, means the command was routed
    /// to the wrong account, and is refused rather than booked at a price nobody traded. A live execution must also
    /// have a positive price and quantity and a fee of at least zero.
    /// </summary>
    private static DomainError? ExecutionError(AccountKind kind, ExchangeExecution? execution, Func<DomainError> missing) =>
        (kind == AccountKind.Live, execution) switch
        {
            (true, null) => missing(),
            (true, { Price: <= 0 } or { Quantity: <= 0 } or { Fee: < 0 }) => TradingErrors.InvalidExecution(execution),
            (false, not null) => TradingErrors.UnexpectedExecution(kind),
            _ => null,
        };

    private static decimal MarkOr(MarkPrice? mark, decimal fallback) => mark is { Price: > 0 } m ? m.Price : fallback;
}
