namespace AstraTrade.Domain.Common;

/// <summary>
/// Money is decimal USD quantised to micro-dollars (6 places, like USDC on Starknet). Every amount that
/// moves between a balance and a position is quantised once, when it is decided, and stored in the event,
/// so ledgers add up exactly. Rounding always favours the house by less than one micro-dollar: what the
/// user pays rounds up, what the user receives rounds down.
/// </summary>
public static class Money
{
    public const int Decimals = 6;

    public static decimal Charge(decimal amount) => Math.Round(amount, Decimals, MidpointRounding.ToPositiveInfinity);

    public static decimal Credit(decimal amount) => Math.Round(amount, Decimals, MidpointRounding.ToNegativeInfinity);

    public static bool HasAtMostMoneyDecimals(decimal amount) => amount == Math.Round(amount, Decimals);

    /// <summary>The same value without trailing zeros (decimal keeps the scale arithmetic produced: 0.5000, 100.0).
    /// Dividing by a one of maximal scale yields the smallest scale that represents the value exactly.</summary>
    public static decimal Normalize(decimal value) => value / 1.0000000000000000000000000000m;
}
