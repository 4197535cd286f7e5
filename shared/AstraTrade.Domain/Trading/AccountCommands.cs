using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Trading;

public abstract record AccountCommand(DateTimeOffset Now);

/// <summary>Who is trading, as the account decider needs to know it: the leverage their level unlocks and whether
/// they may trade at all. The application reads both from the user's progression and profile.</summary>
public sealed record Trader(string UserId, int MaxLeverage, bool Suspended);

/// <summary>Opens the account if needed and places a market order. Ids are chosen by the caller so the decider stays pure.</summary>
public sealed record PlaceMarketOrder(
    Guid OrderId,
    Guid PositionId,
    string IdempotencyKey,
    Trader Trader,
    MarketSpec Market,
    PositionSide Side,
    int Leverage,
    decimal Collateral,
    MarkPrice? Mark,
    DateTimeOffset Now) : AccountCommand(Now)
{
    /// <summary>The order's economic content. Formatting differences (10 vs 10.0) do not make a different order.</summary>
    public string Fingerprint => $"market|{Market.Symbol}|{Side}|{Leverage}|{Money.Normalize(Collateral)}";
}

public sealed record ClosePosition(Guid PositionId, MarkPrice? Mark, DateTimeOffset Now) : AccountCommand(Now);

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
