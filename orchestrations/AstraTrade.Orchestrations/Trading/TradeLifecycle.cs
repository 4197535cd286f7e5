using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Trading;

/// <summary>
/// One order's life (issue: validate → reserve margin → execute → confirm → position open → watch stop-loss,
/// take-profit and liquidation → close → settle). The account decider validates and reserves in one write, the
/// exchange executes, the fill it reports is confirmed into the account (a pending exchange order has a confirm
/// timeout), and the open position is watched: the tick watcher raises its stop-loss or take-profit crossing, and the
/// feed tells the lifecycle when the position ended however it ended (the owner, a liquidation, a reset, a
/// settlement), with the numbers the ledger settled. A failure after the reservation releases it. XP follows the
/// closing event through the feed, as for every close.
/// A live order's exchange (Extended) does not push its fills: while it rests or is pending, the lifecycle asks the
/// exchange on a durable timer, every 2 s at first and backing off to once a minute.
/// </summary>
public sealed class TradeLifecycle() : Workflow<OrderTicket, TradeLifecycle.State, TradeStatus>(Name)
{
    public new const string Name = "trading.order";

    /// <summary>How long an exchange may take to confirm an order it took as pending.</summary>
    public static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Store or exchange hiccups: a few quick retries, then the trade fails visibly and releases its margin.</summary>
    public static readonly RetryPolicy Transient = new(5, TimeSpan.FromMilliseconds(200), 2.0, TimeSpan.FromSeconds(5));

    /// <summary>The first and the longest wait between two polls of a live order's exchange.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan LongestPoll = TimeSpan.FromMinutes(1);

    /// <param name="Timer">The limit order's expiry or the pending order's confirm timeout, while one runs.</param>
    /// <param name="PollTimer">The next poll of a live order's exchange, while one is due.</param>
    /// <param name="PollDelay">The wait before that poll (doubles each time, up to <see cref="LongestPoll"/>).</param>
    /// <param name="Settling">A fill or a release is under way: a poll answering now must not start another.</param>
    public sealed record State(OrderTicket Ticket, TradeStatus Status, int? Timer, int? PollTimer = null, TimeSpan? PollDelay = null, bool Settling = false);

    /// <summary>The instance id of an order's lifecycle: one per order, so a second start of the same order is refused.</summary>
    public static string InstanceId(Guid orderId) => $"order-{orderId:N}";

    public static bool TryParseInstanceId(string instanceId, out Guid orderId)
    {
        orderId = Guid.Empty;
        return instanceId.StartsWith("order-", StringComparison.Ordinal) && Guid.TryParseExact(instanceId.AsSpan(6), "N", out orderId);
    }

    public override State Start(OrderTicket input, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.CallActivity(TradeActivities.Reserve, input, Transient);
        return Show(new State(input, TradeStatus.Pending(context.Now), null), context);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<OrderTicket, TradeStatus> context) => message switch
    {
        ActivityCompleted c when c.Is(TradeActivities.Reserve) => Reserved(state, c.ResultAs(TradeActivities.Reserve), context),
        ActivityCompleted c when c.Is(TradeActivities.Submit) => Submitted(state, c.ResultAs(TradeActivities.Submit), context),
        ActivityCompleted c when c.Is(TradeActivities.Fill) => Filled(state, c.ResultAs(TradeActivities.Fill), context),
        ActivityCompleted c when c.Is(TradeActivities.Release) => Released(state, c.ResultAs(TradeActivities.Release), context),
        ActivityCompleted c when c.Is(TradeActivities.Trigger) => Triggered(state, c.ResultAs(TradeActivities.Trigger), context),
        ActivityCompleted c when c.Is(TradeActivities.Poll) => Polled(state with { PollTimer = null }, c.ResultAs(TradeActivities.Poll), context),
        EventRaised e when e.Is(TradeEvents.LimitReached) && state.Status.Lifecycle == "working" => StartFill(state, null, null, context),
        EventRaised e when e.Is(TradeEvents.ExchangeFill) && state.Status.Lifecycle == "pending" =>
            StartFill(state, e.PayloadAs(TradeEvents.ExchangeFill).Mark, null, context),
        EventRaised e when e.Is(TradeEvents.Cancel) && state.Status.Lifecycle == "working" =>
            StartRelease(state, ReleaseReason.Cancelled, null, context),
        EventRaised e when e.Is(TradeEvents.OrderReleased) =>
            End(state, Ended(e.PayloadAs(TradeEvents.OrderReleased).Reason, null, context.Now, state.Status), context),
        EventRaised e when e.Is(TradeEvents.ProtectionTriggered) => CallTrigger(state, context),
        EventRaised e when e.Is(TradeEvents.PositionEnded) => Closed(state, e.PayloadAs(TradeEvents.PositionEnded), context),
        TimerFired t when t.TimerId == state.PollTimer && state.Status.Lifecycle is "working" or "pending" => CallPoll(state, context),
        TimerFired t when t.TimerId == state.Timer && state.Status.Lifecycle == "working" =>
            StartRelease(state with { Timer = null }, ReleaseReason.Expired, null, context),
        TimerFired t when t.TimerId == state.Timer && state.Status.Lifecycle == "pending" =>
            StartRelease(state with { Timer = null }, ReleaseReason.Rejected, new OrderReason("exchange-timeout", "The exchange did not confirm the order in time."), context),
        ActivityFailed f => Broken(state, f, context),
        _ => state,
    };

    private static State Reserved(State state, ReserveOutcome outcome, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        if (!outcome.Reserved)
        {
            return End(state, state.Status with { Status = "rejected", Lifecycle = "rejected", Reason = outcome.Rejection, UpdatedAt = context.Now }, context);
        }

        // From here on a failure gives the reservation back.
        context.OnCompensate(TradeActivities.Release, new ReleaseInput(state.Ticket, ReleaseReason.Rejected), Transient);
        context.CallActivity(TradeActivities.Submit, state.Ticket, Transient);
        return state with { Status = state.Status with { Reserved = true } };
    }

    private static State Submitted(State state, ExchangeAck ack, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        switch (ack.Status)
        {
            case ExchangeAckStatus.Filled:
                return StartFill(state, ack.FillMark, ack.Execution, context);
            case ExchangeAckStatus.Resting:
                var expiry = context.StartTimer(state.Ticket.ExpiresAt ?? context.Now + OrderTicket.LimitOrderLifetime);
                return Work(SchedulePoll(state with { Timer = expiry }, context), context);
            case ExchangeAckStatus.Pending:
                context.WaitForEvent(TradeEvents.ExchangeFill);
                return SchedulePoll(state with { Timer = context.StartTimer(ConfirmTimeout) }, context);
            default:
                return StartRelease(state, ReleaseReason.Rejected, new OrderReason(ack.Code ?? "exchange-rejected", ack.Message ?? "The exchange refused the order."), context);
        }
    }

    private static State Work(State state, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.WaitForEvent(TradeEvents.LimitReached);
        context.WaitForEvent(TradeEvents.Cancel);
        context.WaitForEvent(TradeEvents.OrderReleased);
        return Show(state with { Status = state.Status with { Status = "working", Lifecycle = "working", UpdatedAt = context.Now } }, context);
    }

    private static State StartFill(State state, MarkPrice? mark, ExchangeExecution? execution, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.StopWaitingForEvent(TradeEvents.LimitReached.Name);
        context.StopWaitingForEvent(TradeEvents.Cancel.Name);
        context.CallActivity(TradeActivities.Fill, new FillInput(state.Ticket, mark, execution), Transient);
        return StopPolling(state with { Settling = true }, context);
    }

    /// <summary>Live orders only: the simulated exchange reports its fills through the price watcher.</summary>
    private static State SchedulePoll(State state, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        if (!state.Ticket.IsLive)
        {
            return state;
        }

        var delay = state.PollDelay is { } previous ? TimeSpan.FromTicks(Math.Min(previous.Ticks * 2, LongestPoll.Ticks)) : FirstPoll;
        return state with { PollTimer = context.StartTimer(context.Now + delay), PollDelay = delay };
    }

    private static State StopPolling(State state, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        if (state.PollTimer is { } poll)
        {
            context.CancelTimer(poll);
        }

        return state with { PollTimer = null };
    }

    private static State CallPoll(State state, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.CallActivity(TradeActivities.Poll, state.Ticket, Transient);
        return state;
    }

    /// <summary>What the exchange says now: filled (record it), ended without a fill (give the margin back), or still
    /// open (ask again later). A cancel or expiry that got there first has already moved the lifecycle on.</summary>
    private static State Polled(State state, ExchangeAck ack, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        if (state.Settling || state.Status.Lifecycle is not ("working" or "pending"))
        {
            return state;
        }

        return ack.Status switch
        {
            ExchangeAckStatus.Filled => StartFill(state, ack.FillMark, ack.Execution, context),
            ExchangeAckStatus.Rejected => StartRelease(
                state,
                ack.Code == "exchange-expired" ? ReleaseReason.Expired : ReleaseReason.Rejected,
                new OrderReason(ack.Code ?? "exchange-rejected", ack.Message ?? "The exchange ended the order without a fill."),
                context),
            _ => SchedulePoll(state, context),
        };
    }

    private static State Filled(State state, FillOutcome outcome, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        switch (outcome.Result)
        {
            case FillResult.Filled:
                if (state.Timer is { } timer)
                {
                    context.CancelTimer(timer);
                }

                context.StopWaitingForEvent(TradeEvents.OrderReleased.Name);
                context.WaitForEvent(TradeEvents.PositionEnded);
                context.WaitForEvent(TradeEvents.ProtectionTriggered);
                return Show(state with
                {
                    Timer = null,
                    Status = state.Status with
                    {
                        Status = "filled",
                        Lifecycle = "open",
                        FillPrice = outcome.Opened?.EntryPrice ?? state.Status.FillPrice,
                        Fee = outcome.Opened?.OpenFee ?? state.Status.Fee,
                        Opened = outcome.Opened ?? state.Status.Opened,
                        UpdatedAt = context.Now,
                    },
                }, context);
            case FillResult.NotReached:
                return Work(state with { Settling = false }, context);
            case FillResult.Released:
                return End(state, Ended(outcome.ReleasedBy ?? ReleaseReason.Cancelled, null, context.Now, state.Status), context);
            default:
                return StartRelease(state, ReleaseReason.Rejected, outcome.Refusal, context);
        }
    }

    private static State StartRelease(State state, ReleaseReason reason, OrderReason? why, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.StopWaitingForEvent(TradeEvents.LimitReached.Name);
        context.StopWaitingForEvent(TradeEvents.Cancel.Name);
        context.StopWaitingForEvent(TradeEvents.OrderReleased.Name);
        context.CallActivity(TradeActivities.Release, new ReleaseInput(state.Ticket, reason, why), Transient);
        return StopPolling(state with { Settling = true, Status = state.Status with { Reason = why ?? state.Status.Reason } }, context);
    }

    private static State Released(State state, ReleaseOutcome outcome, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        if (!outcome.Released)
        {
            // It filled before the release: the trade goes on with its position.
            return Filled(state, new FillOutcome(FillResult.Filled, outcome.Opened), context);
        }

        return End(state, Ended(outcome.Reason ?? ReleaseReason.Cancelled, state.Status.Reason, context.Now, state.Status), context);
    }

    private static State CallTrigger(State state, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.CallActivity(TradeActivities.Trigger, state.Ticket, Transient);
        return state;
    }

    private static State Triggered(State state, TriggerOutcome outcome, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        // Closed: the feed reports the end. Not closed (the mark went back, or the position had already ended):
        // watch for the next crossing.
        if (!outcome.Closed)
        {
            context.WaitForEvent(TradeEvents.ProtectionTriggered);
        }

        return state;
    }

    private static State Closed(State state, PositionEnded ended, IWorkflowContext<OrderTicket, TradeStatus> context) =>
        End(state, state.Status with
        {
            Lifecycle = "closed",
            Status = "filled",
            Reason = new OrderReason(ended.Reason, ended.Status == "liquidated" ? "The position was liquidated." : $"The position was closed ({ended.Reason})."),
            Close = ended,
            UpdatedAt = context.Now,
        }, context);

    private static State Broken(State state, ActivityFailed failed, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        // Fail runs the registered compensation (the release of the reservation, a no-op once filled).
        var status = state.Status with
        {
            Lifecycle = "failed",
            Reason = new OrderReason("trade-failed", $"{failed.ActivityName} failed after {failed.Attempts} attempts: {failed.Error}"),
            UpdatedAt = context.Now,
        };
        context.SetCustomStatus(status);
        context.Fail(status.Reason.Message);
        return state with { Status = status };
    }

    private static TradeStatus Ended(ReleaseReason reason, OrderReason? why, DateTimeOffset now, TradeStatus status)
    {
        var name = reason switch
        {
            ReleaseReason.Expired => "expired",
            ReleaseReason.Rejected => "rejected",
            _ => "cancelled",
        };
        var explained = why ?? new OrderReason(TradingViews.Name(reason), reason switch
        {
            ReleaseReason.Cancelled => "Cancelled by its owner.",
            ReleaseReason.Expired => $"Unfilled after {OrderTicket.LimitOrderLifetime.TotalHours:0} hours.",
            ReleaseReason.Reset => "The practice account was reset.",
            ReleaseReason.Settlement => "The tournament ended before it filled.",
            _ => "The exchange refused the order.",
        });
        return status with { Status = name, Lifecycle = name, Reason = explained, UpdatedAt = now };
    }

    private static State End(State state, TradeStatus status, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.SetCustomStatus(status);
        context.Complete(status);
        return state with { Status = status };
    }

    private static State Show(State state, IWorkflowContext<OrderTicket, TradeStatus> context)
    {
        context.SetCustomStatus(state.Status);
        return state;
    }
}
