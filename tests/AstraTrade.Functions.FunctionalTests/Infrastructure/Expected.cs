namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>
/// DOMAIN.md §1's formulas, written out independently of the product code, to compute what the API must answer.
/// Money is rounded to micro-dollars against the user (fees up, PnL down); prices and quantities are shown to 10
/// places and display money (uPnL) to 6.
/// </summary>
public static class Expected
{
    public const decimal HalfSpread = 0.0001m; // spread 0.02 %, a fill pays half
    public const decimal TakerFee = 0.0005m;
    public const decimal StartingBalance = 10_000m;

    public static int Sign(string side) => side == "long" ? 1 : -1;

    public static decimal OpenFill(string side, decimal mark) => mark * (1m + (Sign(side) * HalfSpread));

    public static decimal CloseFill(string side, decimal mark) => mark * (1m - (Sign(side) * HalfSpread));

    public static decimal OpenFee(decimal notional) => Up(notional * TakerFee);

    public static decimal Quantity(decimal notional, decimal entry) => notional / entry;

    public static decimal Pnl(string side, decimal quantity, decimal entry, decimal price) => Sign(side) * quantity * (price - entry);

    public static decimal LiquidationPrice(string side, decimal entry, int leverage, decimal mmr) => side == "long"
        ? entry * (1m - (1m / leverage)) / (1m - mmr)
        : entry * (1m + (1m / leverage)) / (1m + mmr);

    /// <summary>What a close books: (realized PnL, close fee, payout).</summary>
    public static (decimal Pnl, decimal Fee, decimal Payout) Close(string side, decimal collateral, decimal quantity, decimal entry, decimal mark)
    {
        var exit = CloseFill(side, mark);
        var pnl = Down(Pnl(side, quantity, entry, exit));
        var fee = Up(quantity * exit * TakerFee);
        return (pnl, fee, Math.Max(0m, collateral + pnl - fee));
    }

    public static decimal Up(decimal money) => Math.Round(money, 6, MidpointRounding.ToPositiveInfinity);

    public static decimal Down(decimal money) => Math.Round(money, 6, MidpointRounding.ToNegativeInfinity);

    public static decimal Price(decimal value) => Math.Round(value, 10, MidpointRounding.AwayFromZero);

    public static decimal Money(decimal value) => Math.Round(value, 6, MidpointRounding.AwayFromZero);
}
