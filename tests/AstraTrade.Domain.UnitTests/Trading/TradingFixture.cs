using AstraTrade.Domain.Common;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>The DOMAIN.md §1 market table and helpers for driving the account decider in tests.</summary>
internal static class TradingFixture
{
    public static readonly TradingRules Rules = TradingRules.Default;

    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    public static readonly MarketSpec Btc = new("BTC-USD", 100, 0.005m, 0.0005m, 10m);
    public static readonly MarketSpec Eth = new("ETH-USD", 100, 0.005m, 0.0005m, 10m);
    public static readonly MarketSpec Sol = new("SOL-USD", 50, 0.01m, 0.0005m, 10m);
    public static readonly MarketSpec Strk = new("STRK-USD", 20, 0.025m, 0.0005m, 10m);

    public static readonly MarketSpec[] Markets = [Btc, Eth, Sol, Strk];

    public static readonly Trader Alice = new("user-1", 100, false);

    public static AccountState NewPractice() => AccountState.Unopened(AccountKind.Practice, Rules);

    public static PlaceOrder Order(
        MarketSpec market,
        PositionSide side,
        int leverage,
        decimal collateral,
        decimal mark,
        DateTimeOffset? at = null,
        string? key = null,
        Trader? trader = null,
        Guid? orderId = null) =>
        new(orderId ?? Guid.NewGuid(), key ?? Guid.NewGuid().ToString("N"), trader ?? Alice, market, side, leverage,
            collateral, OrderType.Market, null, Protection.None, new MarkPrice(mark, at ?? T0), at ?? T0);

    public static PlaceOrder Limit(
        MarketSpec market, PositionSide side, int leverage, decimal collateral, decimal limit, decimal mark, Protection? protection = null) =>
        Order(market, side, leverage, collateral, mark) with { Type = OrderType.Limit, LimitPrice = limit, Protection = protection ?? Protection.None };

    public static FillOrder Fill(Guid orderId, decimal mark, DateTimeOffset? at = null) => new(orderId, new MarkPrice(mark, at ?? T0), at ?? T0);

    /// <summary>Places the order and fills it at its own mark: the whole life of a market order in the account.</summary>
    public static (AccountState State, IReadOnlyList<IAccountEvent> Events) Place(AccountState state, PlaceOrder order)
    {
        var (placed, placing) = Apply(state, order);
        var (filled, filling) = Apply(placed, new FillOrder(order.OrderId, order.Mark, order.Now));
        return (filled, [.. placing, .. filling]);
    }

    /// <summary>Decides and folds; fails the test when the command is rejected.</summary>
    public static (AccountState State, IReadOnlyList<IAccountEvent> Events) Apply(AccountState state, AccountCommand command)
    {
        var decision = Account.Decide(state, command, Rules);
        Assert.False(decision.IsRejected, decision.Error?.ToString());
        return (Account.Fold(state, decision.Events, Rules), decision.Events);
    }

    public static DomainError Reject(AccountState state, AccountCommand command)
    {
        var decision = Account.Decide(state, command, Rules);
        Assert.True(decision.IsRejected, "Expected a rejection but the command was accepted.");
        return decision.Error!;
    }

    public static (AccountState State, Position Position) Open(
        AccountState state, MarketSpec market, PositionSide side, int leverage, decimal collateral, decimal mark, DateTimeOffset? at = null)
    {
        var id = Guid.NewGuid();
        var (next, _) = Place(state, Order(market, side, leverage, collateral, mark, at, orderId: id));
        return (next, next.OpenPositions[id]);
    }

    public static ClosePosition Close(Guid id, decimal mark, DateTimeOffset? at = null) =>
        new(id, new MarkPrice(mark, at ?? T0), at ?? T0);
}
