using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Trading;

/// <summary>
/// The formulas of DOMAIN.md §1, in one place. Prices and quantities are exact decimals; money amounts that
/// change a balance are quantised by <see cref="Money"/> (against the user by less than a micro-dollar).
/// </summary>
public static class PositionMath
{
    /// <summary>Practice fill: longs buy at mark × (1 + spread/2), shorts sell at mark × (1 − spread/2).</summary>
    public static decimal OpenFillPrice(PositionSide side, decimal mark, decimal spread) =>
        mark * (1m + (side.Sign() * spread / 2m));

    /// <summary>Closing crosses the spread the other way: a long sells, a short buys back.</summary>
    public static decimal CloseFillPrice(PositionSide side, decimal mark, decimal spread) =>
        mark * (1m - (side.Sign() * spread / 2m));

    public static decimal Quantity(decimal notional, decimal entryPrice) => notional / entryPrice;

    public static decimal OpenFee(decimal notional, decimal takerFeeRate) => Money.Charge(notional * takerFeeRate);

    public static decimal CloseFee(decimal quantity, decimal exitPrice, decimal takerFeeRate) =>
        Money.Charge(quantity * exitPrice * takerFeeRate);

    /// <summary>side × q × (price − entry), exact (for risk checks and display).</summary>
    public static decimal UnrealizedPnl(PositionSide side, decimal quantity, decimal entryPrice, decimal price) =>
        side.Sign() * quantity * (price - entryPrice);

    /// <summary>The PnL a close books: the exact PnL rounded down to the micro-dollar.</summary>
    public static decimal RealizedPnl(PositionSide side, decimal quantity, decimal entryPrice, decimal exitPrice) =>
        Money.Credit(UnrealizedPnl(side, quantity, entryPrice, exitPrice));

    public static decimal MaintenanceMargin(decimal quantity, decimal price, decimal maintenanceMarginRate) =>
        quantity * price * maintenanceMarginRate;

    /// <summary>The liquidation condition itself: C + uPnL ≤ MM.</summary>
    public static bool IsLiquidatable(PositionTerms terms, decimal collateral, decimal price) =>
        collateral + UnrealizedPnl(terms.Side, terms.Quantity, terms.EntryPrice, price)
            <= MaintenanceMargin(terms.Quantity, price, terms.MaintenanceMarginRate);

    /// <summary>
    /// The price at which C + uPnL = MM, solved for the current collateral C:
    /// long (entry − C/q)/(1 − mmr), short (entry + C/q)/(1 + mmr). With the opening collateral C = q·entry/L this is
    /// DOMAIN.md's entry × (1 ∓ 1/L)/(1 ∓ mmr); funding moves C and so moves the price. Never below zero: a 1× long
    /// cannot be liquidated at any positive price.
    /// </summary>
    public static decimal LiquidationPrice(PositionTerms terms, decimal collateral)
    {
        var collateralPerUnit = collateral / terms.Quantity;
        var price = terms.Side == PositionSide.Long
            ? (terms.EntryPrice - collateralPerUnit) / (1m - terms.MaintenanceMarginRate)
            : (terms.EntryPrice + collateralPerUnit) / (1m + terms.MaintenanceMarginRate);
        return Math.Max(0m, price);
    }

    /// <summary>Funding moves collateral by −side × q × mark × rate, rounded against the position.</summary>
    public static decimal FundingCollateralChange(PositionSide side, decimal quantity, decimal mark, decimal rate) =>
        Money.Credit(-side.Sign() * quantity * mark * rate);
}
