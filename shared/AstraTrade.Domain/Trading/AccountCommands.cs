using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Trading;

public abstract record AccountCommand(DateTimeOffset Now);

/// <summary>Who is trading, as the account decider needs to know it: the leverage their level unlocks and whether
/// they may trade at all. The application reads both from the user's progression and profile.</summary>
public sealed record Trader(string UserId, int MaxLeverage, bool Suspended);

/// <summary>
/// Opens the account if needed and places an order: every risk check, then collateral plus the opening fee are reserved
/// from the balance. The order fills later (<see cref="FillOrder"/>) or its reservation is released
/// (<see cref="ReleaseOrder"/>). The id is chosen by the caller so the decider stays pure; the position the order
/// opens takes the same id. On a live account nothing is reserved (the exchange holds the money and margins the
/// order), stop-loss and take-profit are refused, and a market with an open position or working order is busy.
/// </summary>
public sealed record PlaceOrder(
    Guid OrderId,
    string IdempotencyKey,
    Trader Trader,
    MarketSpec Market,
    PositionSide Side,
    int Leverage,
    decimal Collateral,
    OrderType Type,
    decimal? LimitPrice,
    Protection Protection,
    MarkPrice? Mark,
    DateTimeOffset Now) : AccountCommand(Now)
{
    /// <summary>The order's economic content. Formatting differences (10 vs 10.0) do not make a different order.</summary>
    public string Fingerprint =>
        $"{Type.ToString().ToLowerInvariant()}|{Market.Symbol}|{Side}|{Leverage}|{Money.Normalize(Collateral)}|{N(LimitPrice)}|{N(Protection.StopLoss)}|{N(Protection.TakeProfit)}";

    private static string N(decimal? value) => value is { } v ? Money.Normalize(v).ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
}

/// <summary>Fills a working order at <paramref name="Mark"/>: a market order at the practice fill price, a limit order
/// at its limit or better, and only if the mark has crossed the limit. A live account's order fills only with the
/// exchange's <paramref name="Execution"/>, at its price, quantity and fee.</summary>
public sealed record FillOrder(Guid OrderId, MarkPrice? Mark, DateTimeOffset Now, ExchangeExecution? Execution = null) : AccountCommand(Now);

/// <summary>Gives a working order's reservation back to the balance.</summary>
public sealed record ReleaseOrder(Guid OrderId, ReleaseReason Reason, DateTimeOffset Now) : AccountCommand(Now);

/// <summary>Sets (or clears, with nulls) an open position's stop-loss and take-profit, checked against the mark.</summary>
public sealed record SetProtection(Guid PositionId, Protection Protection, MarkPrice? Mark, DateTimeOffset Now) : AccountCommand(Now);

/// <summary>Sent by the trigger watcher on a tick; rejected unless the mark really crossed the position's stop-loss or
/// take-profit, so a stale watcher can never close a position early.</summary>
public sealed record TriggerProtection(Guid PositionId, MarkPrice Mark, DateTimeOffset Now) : AccountCommand(Now);

/// <summary>Closes in full: at the practice close price, or, on a live account, only with the exchange's
/// <paramref name="Execution"/> of the closing order.</summary>
public sealed record ClosePosition(Guid PositionId, MarkPrice? Mark, DateTimeOffset Now, ExchangeExecution? Execution = null) : AccountCommand(Now);

/// <summary>Sent by the liquidation engine on a tick; rejected unless the position really is liquidatable at Mark.</summary>
public sealed record LiquidatePosition(Guid PositionId, MarkPrice Mark, DateTimeOffset Now) : AccountCommand(Now);

/// <summary>The hourly funding of every position that was open at FundingTime, with each market's rate and mark.</summary>
public sealed record ApplyFunding(DateTimeOffset FundingTime, IReadOnlyDictionary<string, FundingQuote> Quotes, DateTimeOffset Now)
    : AccountCommand(Now);

public sealed record FundingQuote(decimal Rate, decimal MarkPrice);

/// <summary>Closes every open position at mark and restores the starting balance (practice only, once per cooldown).</summary>
public sealed record ResetAccount(string OwnerId, IReadOnlyDictionary<string, MarkPrice> Marks, DateTimeOffset Now) : AccountCommand(Now);

/// <summary>Opens an account with a starting balance decided elsewhere: a tournament entry's account opens with the
/// balance its tournament's terms fixed at creation, whatever the configuration says today.</summary>
public sealed record OpenAccount(string OwnerId, decimal StartingBalance, DateTimeOffset Now) : AccountCommand(Now);

/// <summary>Closes every open position at mark when the account's tournament ends (tournament accounts only). The
/// balance afterwards is the entry's final equity.</summary>
public sealed record SettleAccount(IReadOnlyDictionary<string, MarkPrice> Marks, DateTimeOffset Now) : AccountCommand(Now);

/// <summary>The exchange ended a live position without an order of ours (a liquidation, a deleverage, a close in the
/// exchange's own app), found by reconciling with it: <paramref name="Exit"/> is how it ended there.</summary>
public sealed record RecordExchangeEnd(Guid PositionId, ExchangeExecution Exit, bool Liquidated, DateTimeOffset Now) : AccountCommand(Now);
