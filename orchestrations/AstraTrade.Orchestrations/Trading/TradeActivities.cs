using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Trading;

/// <summary>
/// The steps of a trade lifecycle that touch the world: the account (through <see cref="OrderDesk"/>) and the exchange.
/// Each is idempotent (the account decider accepts a repeat with no new events). A broken rule comes back as an
/// outcome for the workflow to decide on; only an unexpected failure (the store unavailable) throws, and is retried.
/// </summary>
public static class TradeActivities
{
    public static readonly Activity<OrderTicket, ReserveOutcome> Reserve = new("trading.reserve");
    public static readonly Activity<OrderTicket, ExchangeAck> Submit = new("trading.submit");
    public static readonly Activity<FillInput, FillOutcome> Fill = new("trading.fill");
    public static readonly Activity<ReleaseInput, ReleaseOutcome> Release = new("trading.release");
    public static readonly Activity<OrderTicket, TriggerOutcome> Trigger = new("trading.trigger");
    public static readonly Activity<OrderTicket, ExchangeAck> Poll = new("trading.poll");

    /// <summary>Registers the trade lifecycle and its activities.</summary>
    /// <param name="hooks">What the lifecycle tells the price watchers when a crossing they reported did not hold.</param>
    public static WorkflowRegistry AddTradeLifecycle(this WorkflowRegistry registry, OrderDesk desk, IExchange exchange, TradeWatchHooks hooks) => registry
        .AddWorkflow(new TradeLifecycle())
        .AddActivity(Reserve, async (ticket, context) =>
        {
            var reserved = await desk.ReserveAsync(ticket, context.CancellationToken);
            return reserved.IsSuccess ? new ReserveOutcome(true, null) : new ReserveOutcome(false, new OrderReason(reserved.Error!.Code, reserved.Error.Message));
        })
        .AddActivity(Submit, (ticket, context) => exchange.SubmitAsync(ticket.ToExchangeOrder(), context.CancellationToken))
        .AddActivity(Poll, (ticket, context) => exchange.StatusAsync(ticket.ToExchangeOrder(), context.CancellationToken))
        .AddActivity(Fill, async (input, context) =>
        {
            var ticket = input.Ticket;
            var filled = await desk.FillAsync(ticket.AccountStream, ticket.OrderId, ticket.Market, input.Mark, input.Execution, context.CancellationToken);
            if (filled.IsSuccess)
            {
                return new FillOutcome(FillResult.Filled, filled.Value is { } opened ? TradingViews.AsOpened(opened) : null);
            }

            switch (filled.Error!.Code)
            {
                case "limit-not-reached":
                    hooks.LimitNotReached(ticket.OrderId);
                    return new FillOutcome(FillResult.NotReached);
                case "order-not-working":
                    var order = await desk.FindAsync(ticket.AccountStream, ticket.OrderId, context.CancellationToken);
                    return new FillOutcome(FillResult.Released, ReleasedBy: order?.ReleaseReason ?? ReleaseReason.Cancelled);
                default:
                    return new FillOutcome(FillResult.Refused, Refusal: new OrderReason(filled.Error.Code, filled.Error.Message));
            }
        })
        .AddActivity(Release, async (input, context) =>
        {
            var ticket = input.Ticket;
            if (!await exchange.CancelAsync(ticket.ToExchangeOrder(), context.CancellationToken))
            {
                // It filled on the exchange before the cancel reached it: record the fill, never give back margin that
                // a position on the exchange uses.
                var ack = await exchange.StatusAsync(ticket.ToExchangeOrder(), context.CancellationToken);
                var fill = await desk.FillAsync(ticket.AccountStream, ticket.OrderId, ticket.Market, ack.FillMark, ack.Execution, context.CancellationToken);
                if (ack.Status == ExchangeAckStatus.Filled && fill.IsSuccess)
                {
                    return new ReleaseOutcome(false, null, fill.Value is { } opened ? TradingViews.AsOpened(opened) : null);
                }

                throw new InvalidOperationException(
                    $"Order {ticket.OrderId} could not be cancelled on the exchange and its fill could not be recorded ({ack.Status}, {fill.Error}).");
            }

            var released = await desk.ReleaseAsync(ticket.AccountStream, ticket.OrderId, input.Reason, context.CancellationToken);
            if (released.IsSuccess)
            {
                return new ReleaseOutcome(true, released.Value.ReleaseReason);
            }

            // Filled first: the release lost the race, and the trade goes on with its position. An order the account
            // never reserved (the reservation was refused) has nothing to give back.
            return released.Error!.Code switch
            {
                "order-not-working" => new ReleaseOutcome(false, null),
                "order-not-found" => new ReleaseOutcome(true, input.Reason),
                _ => throw new InvalidOperationException(released.Error.ToString()),
            };
        })
        .AddActivity(Trigger, async (ticket, context) =>
        {
            var closed = await desk.TriggerAsync(ticket.AccountStream, ticket.OrderId, ticket.Market, context.CancellationToken);
            if (!closed.IsSuccess && closed.Error!.Code == "protection-not-triggered")
            {
                hooks.ProtectionNotTriggered(ticket.OrderId);
            }

            return new TriggerOutcome(closed.IsSuccess);
        });
}

/// <summary>The price watchers report a crossing once; when the lifecycle finds it no longer holds, it re-arms them.</summary>
public sealed record TradeWatchHooks(Action<Guid> LimitNotReached, Action<Guid> ProtectionNotTriggered);
