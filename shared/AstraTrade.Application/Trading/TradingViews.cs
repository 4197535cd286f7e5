using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Domain → API shapes. Stored amounts are exact; derived values (liquidation price, uPnL, quantity) carry up to 28
/// digits, so they are rounded here for display only: prices and quantities to 10 places, money to 6.
/// </summary>
public static class TradingViews
{
    public static PositionResponse Open(Position p, decimal? mark) => new(
        p.Id,
        p.Terms.Market,
        Side(p.Terms.Side),
        p.Terms.Leverage,
        "open",
        p.Collateral,
        p.Terms.Notional,
        Price(p.Terms.Quantity),
        Price(p.Terms.EntryPrice),
        mark,
        mark is { } m ? Money(p.UnrealizedPnl(m)) : null,
        Price(p.LiquidationPrice),
        p.Terms.OpenFee,
        p.Terms.OpenedAt,
        null,
        null,
        null,
        null,
        null,
        null,
        p.Protection.StopLoss,
        p.Protection.TakeProfit);

    /// <summary>The position exactly as its order opened it.</summary>
    public static PositionResponse AsOpened(PositionOpened e) =>
        Open(new Position(e.PositionId, e.OrderId, e.Terms, e.Terms.InitialCollateral, null, e.Protection ?? Protection.None), e.MarkPrice);

    public static PositionResponse Closed(PositionClosed e) => Ended(e.PositionId, e.Terms, e.Collateral, "closed", e.MarkPrice) with
    {
        ExitPrice = Price(e.ExitPrice),
        RealizedPnl = e.RealizedPnl,
        CloseFee = e.CloseFee,
        Payout = e.Payout,
        CloseReason = Reason(e.Reason),
        ClosedAt = e.At,
    };

    public static PositionResponse Liquidated(PositionLiquidated e) => Ended(e.PositionId, e.Terms, e.Collateral, "liquidated", e.MarkPrice) with
    {
        ExitPrice = Price(e.LiquidationPrice),
        RealizedPnl = e.PnlAtLiquidationPrice,
        CloseFee = 0m,
        Payout = 0m,
        CloseReason = "liquidation",
        ClosedAt = e.At,
    };

    /// <summary>How a close is named in the API: user, reset, settlement, stop-loss, take-profit, or exchange (a live
    /// position the exchange closed without an order of ours).</summary>
    public static string Reason(CloseReason reason) => reason switch
    {
        CloseReason.User => "user",
        CloseReason.Reset => "reset",
        CloseReason.Settlement => "settlement",
        CloseReason.StopLoss => "stop-loss",
        CloseReason.TakeProfit => "take-profit",
        CloseReason.Exchange => "exchange",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    public static string Name(ReleaseReason reason) => reason.ToString().ToLowerInvariant();

    /// <summary>The fill an event represents, if it is one.</summary>
    public static TradeResponse? Trade(IAccountEvent e) => e switch
    {
        PositionOpened o => Fill(o.PositionId, "open", o.Terms, o.Terms.Side, o.Terms.EntryPrice, o.Terms.OpenFee, null, o.At),
        PositionClosed c => Fill(c.PositionId, "close", c.Terms, Opposite(c.Terms.Side), c.ExitPrice, c.CloseFee, c.RealizedPnl, c.At),
        PositionLiquidated l => Fill(l.PositionId, "liquidation", l.Terms, Opposite(l.Terms.Side), l.LiquidationPrice, 0m, l.PnlAtLiquidationPrice, l.At),
        _ => null,
    };

    public static PositionResponse? Ended(IAccountEvent e) => e switch
    {
        PositionClosed c => Closed(c),
        PositionLiquidated l => Liquidated(l),
        _ => null,
    };

    public static string Side(PositionSide side) => side == PositionSide.Long ? "long" : "short";

    private static PositionResponse Ended(Guid id, PositionTerms terms, decimal collateral, string status, decimal mark) =>
        Open(new Position(id, Guid.Empty, terms, collateral, null, Protection.None), null) with
        {
            Status = status,
            MarkPrice = mark,
            LiquidationPrice = Price(PositionMath.LiquidationPrice(terms, collateral)),
        };

    private static TradeResponse Fill(
        Guid positionId, string kind, PositionTerms terms, PositionSide direction, decimal price, decimal fee, decimal? pnl, DateTimeOffset at) =>
        new(positionId, kind, terms.Market, direction == PositionSide.Long ? "buy" : "sell", Price(price), Price(terms.Quantity),
            Money(terms.Quantity * price), fee, pnl, at);

    private static PositionSide Opposite(PositionSide side) => side == PositionSide.Long ? PositionSide.Short : PositionSide.Long;

    public static decimal Price(decimal value) => Math.Round(value, 10, MidpointRounding.AwayFromZero);

    private static decimal Money(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);
}
