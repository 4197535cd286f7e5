using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Infrastructure.Exchange.Practice;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Orchestrations.Trading;

namespace AstraTrade.Functions.Trading;

/// <summary>
/// On every tick, hands the crossings it finds to the trade lifecycles: resting limit orders the mark reached, and
/// positions whose stop-loss or take-profit it crossed. The indexes report each crossing once; the lifecycle acts
/// through the account decider, which checks the price again, and re-arms the index if the crossing did not hold.
/// </summary>
public sealed class TradeWatch(PracticeOrderBook book, OpenPositionsIndex positions, WorkflowClient workflows)
{
    /// <summary>Returns how many lifecycles were told.</summary>
    public async ValueTask<int> OnTickAsync(PriceTick tick, CancellationToken cancellationToken)
    {
        var told = new List<Task>();
        foreach (var order in book.TakeCrossed(tick.Market, tick.Price))
        {
            told.Add(workflows.NotifyTradeAsync(order.OrderId, TradeEvents.LimitReached, new LimitReached(tick.Price, tick.Time), cancellationToken));
        }

        foreach (var position in positions.TakeTriggered(tick.Market, tick.Price))
        {
            told.Add(workflows.NotifyTradeAsync(position.PositionId, TradeEvents.ProtectionTriggered, new ProtectionTriggered(tick.Price, tick.Time), cancellationToken));
        }

        await Task.WhenAll(told);
        return told.Count;
    }
}
