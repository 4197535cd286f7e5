using System.Collections.Frozen;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Domain.Trading;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Trading;

/// <summary>
/// Tells trade lifecycles what happened to their positions and orders in the account (durable checkpoint, at least
/// once): a position's end, with the numbers the ledger settled, and a release the lifecycle did not ask for (a reset,
/// a settlement). Each event goes to the lifecycle of its order (a position has its order's id). An instance that has
/// finished (Gone) or never existed (positions opened before lifecycles) ignores it, so redelivery changes nothing.
/// </summary>
public sealed class TradeLifecycleReactor(WorkflowClient workflows) : IFeedHandler
{
    private static readonly FrozenSet<string> Relevant = new[]
    {
        EventTypes.NameOf<PositionClosed>(), EventTypes.NameOf<PositionLiquidated>(), EventTypes.NameOf<OrderReleased>(),
    }.ToFrozenSet(StringComparer.Ordinal);

    public async ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        // Each order has at most one such event, so the batch's notifications are independent: sent together, they
        // share the store's group commits instead of waiting for one fsync each.
        var notifications = new List<Task>();
        foreach (var recorded in batch)
        {
            if (!Relevant.Contains(recorded.Type) || !StreamIds.TryParseAccount(recorded.StreamId, out _, out _))
            {
                continue;
            }

            notifications.Add(EventTypes.Deserialize(recorded) switch
            {
                PositionClosed e => workflows.NotifyTradeAsync(e.PositionId, TradeEvents.PositionEnded, new PositionEnded(
                    "closed", TradingViews.Reason(e.Reason), TradingViews.Price(e.ExitPrice), e.RealizedPnl, e.CloseFee, e.Payout, e.At), cancellationToken),
                PositionLiquidated e => workflows.NotifyTradeAsync(e.PositionId, TradeEvents.PositionEnded, new PositionEnded(
                    "liquidated", "liquidation", TradingViews.Price(e.LiquidationPrice), e.PnlAtLiquidationPrice, 0m, 0m, e.At), cancellationToken),
                OrderReleased e => workflows.NotifyTradeAsync(e.OrderId, TradeEvents.OrderReleased, new OrderReleasedNotice(e.Reason, e.At), cancellationToken),
                _ => Task.CompletedTask,
            });
        }

        await Task.WhenAll(notifications);
    }
}
