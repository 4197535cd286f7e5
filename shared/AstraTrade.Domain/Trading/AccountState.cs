using System.Collections.Immutable;

namespace AstraTrade.Domain.Trading;

/// <summary>
/// An account folded from its events. An account that has never been written to is <see cref="Unopened"/>: it reads as
/// the starting balance with no positions, and its first command opens it. Practice and tournament accounts hold
/// virtual money in <see cref="Balance"/>; a live account's money is on the exchange, so its balance is always zero and
/// its orders and positions are the exchange's executions as recorded.
/// </summary>
public sealed record AccountState(
    bool IsOpened,
    AccountKind Kind,
    string? OwnerId,
    decimal Balance,
    decimal StartingBalance,
    ImmutableDictionary<Guid, Position> OpenPositions,
    DateTimeOffset? LastResetAt,
    ImmutableDictionary<Guid, OrderRecord> Orders,
    ImmutableDictionary<string, Guid> RecentOrders,
    ImmutableQueue<string> RecentOrderKeys,
    ImmutableHashSet<Guid> RecentlyClosed,
    ImmutableQueue<Guid> RecentlyClosedOrder)
{
    public static AccountState Unopened(AccountKind kind, TradingRules rules) => new(
        false,
        kind,
        null,
        rules.StartingBalanceFor(kind),
        rules.StartingBalanceFor(kind),
        ImmutableDictionary<Guid, Position>.Empty,
        null,
        ImmutableDictionary<Guid, OrderRecord>.Empty,
        ImmutableDictionary<string, Guid>.Empty,
        ImmutableQueue<string>.Empty,
        ImmutableHashSet<Guid>.Empty,
        ImmutableQueue<Guid>.Empty);

    /// <summary>Orders placed and not yet filled or released, oldest first.</summary>
    public IEnumerable<OrderRecord> WorkingOrders =>
        Orders.Values.Where(o => o.Status == OrderStatus.Working).OrderBy(o => o.Placed.At).ThenBy(o => o.Placed.OrderId);

    /// <summary>Whether an open position or a working order is on <paramref name="market"/> (a live account allows one).</summary>
    public bool HoldsMarket(string market) =>
        OpenPositions.Values.Any(p => p.Terms.Market == market)
        || Orders.Values.Any(o => o.Status == OrderStatus.Working && o.Placed.Market == market);

    /// <summary>What working orders hold back from the balance (collateral plus opening fee each). On a live account,
    /// what they committed on the exchange: nothing of ours is held.</summary>
    public decimal Reserved => Orders.Values.Where(o => o.Status == OrderStatus.Working).Sum(o => o.Reserved);

    /// <summary>Collateral locked in open positions.</summary>
    public decimal MarginInUse => OpenPositions.Values.Sum(p => p.Collateral);

    /// <summary>Balance plus reservations plus what every open position is worth at the given marks (collateral + uPnL).
    /// A market without a mark is valued at its entry price. On a live account this is only what its recorded orders
    /// and positions are worth; the rest of the user's money on the exchange is not in this account.</summary>
    public decimal EquityAt(Func<string, decimal?> markOf) =>
        Balance + Reserved + OpenPositions.Values.Sum(p => p.Collateral + p.UnrealizedPnl(markOf(p.Terms.Market) ?? p.Terms.EntryPrice));

    public DateTimeOffset? ResetAvailableAt(TradingRules rules) => LastResetAt + rules.PracticeResetCooldown;
}
