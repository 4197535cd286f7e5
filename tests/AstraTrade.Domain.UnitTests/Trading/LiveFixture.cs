using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>Helpers for driving a live account: orders fill and close only with the exchange's executions.</summary>
internal static class LiveFixture
{
    public static AccountState NewLive() => AccountState.Unopened(AccountKind.Live, Rules);

    public static ExchangeExecution Execution(decimal price, decimal quantity, decimal fee, DateTimeOffset? at = null) =>
        new(price, quantity, fee, at ?? T0);

    /// <summary>A live fill as the application sends it: the exchange's execution, and the mark if it has one.</summary>
    public static FillOrder LiveFill(Guid orderId, ExchangeExecution execution, MarkPrice? mark = null) =>
        new(orderId, mark, execution.At, execution);

    public static ClosePosition LiveClose(Guid positionId, ExchangeExecution execution, MarkPrice? mark = null) =>
        new(positionId, mark, execution.At, execution);

    /// <summary>Places a market order and fills it with <paramref name="execution"/>.</summary>
    public static (AccountState State, Position Position) OpenLive(AccountState state, PlaceOrder order, ExchangeExecution execution)
    {
        var (placed, _) = Apply(state, order);
        var (filled, _) = Apply(placed, LiveFill(order.OrderId, execution));
        return (filled, filled.OpenPositions[order.OrderId]);
    }
}
