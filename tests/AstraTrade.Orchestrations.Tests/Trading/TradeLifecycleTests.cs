using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Orchestrations.Trading;
using OrderType = AstraTrade.Domain.Trading.OrderType;

namespace AstraTrade.Orchestrations.Tests.Trading;

/// <summary>
/// The trade lifecycle's state machine, step by step, including the paths the practice exchange never takes (a
/// pending order's confirm timeout) and the races the account settles (a release that finds the order filled). Each
/// state goes through JSON between steps, as the runtime may hand it over. (Over the real host: TradeLifecycleTests in
/// the functional tests.)
/// </summary>
public sealed class TradeLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly TradeLifecycle _workflow = new();
    private readonly Dictionary<int, string> _calls = [];
    private TradeLifecycle.State _state = null!;
    private DateTimeOffset _now = T0;
    private int _nextCall = 1;
    private int _nextTimer = 1;

    private static OrderTicket Ticket(OrderType type = OrderType.Market, decimal? limit = null) => new(
        Guid.NewGuid(), Guid.NewGuid(), "account-practice-x", "practice", "BTC-USD", PositionSide.Long, 10, 100m, type, limit, null, null, "key", T0);

    [Fact]
    public void A_refused_reservation_ends_the_trade_as_rejected_with_the_rule_and_nothing_to_release()
    {
        var start = Start(Ticket());
        Assert.Equal(TradeActivities.Reserve.Name, Assert.Single(start.Calls).Activity);

        var step = Complete(TradeActivities.Reserve, new ReserveOutcome(false, new OrderReason("insufficient-balance", "no")));

        Assert.True(step.Completed);
        Assert.Equal(("rejected", "rejected", "insufficient-balance"), (step.Output!.Status, step.Output.Lifecycle, step.Output.Reason!.Code));
        Assert.Empty(step.Compensations);
    }

    [Fact]
    public void A_market_order_is_reserved_submitted_confirmed_and_then_watched_until_its_position_ends()
    {
        var ticket = Ticket();
        Start(ticket);
        var reserved = Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        Assert.Equal(TradeActivities.Release.Name, Assert.Single(reserved.Compensations).Activity);
        Assert.Equal(TradeActivities.Submit.Name, Assert.Single(reserved.Calls).Activity);

        var submitted = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Filled, new MarkPrice(50_000m, T0)));
        var fill = Assert.Single(submitted.Calls);
        Assert.Equal((TradeActivities.Fill.Name, 50_000m), (fill.Activity, ((FillInput)fill.Input!).Mark!.Price));

        var filled = Complete(TradeActivities.Fill, new FillOutcome(FillResult.Filled));
        Assert.Equal(["position-ended", "protection-triggered"], filled.Waits);
        Assert.Equal("open", ((TradeStatus)filled.CustomStatus!).Lifecycle);

        var ended = Raise(TradeEvents.PositionEnded, new PositionEnded("closed", "take-profit", 51_000m, 10m, 0.5m, 109.5m, T0.AddMinutes(5)));
        Assert.True(ended.Completed);
        Assert.Equal(("filled", "closed", "take-profit", 109.5m), (ended.Output!.Status, ended.Output.Lifecycle, ended.Output.Reason!.Code, ended.Output.Close!.Payout));
    }

    [Fact]
    public void A_resting_limit_order_works_until_its_expiry_then_releases_its_margin()
    {
        var ticket = Ticket(OrderType.Limit, 49_000m);
        Start(ticket);
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        var resting = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Resting));

        Assert.Equal(T0.AddHours(24), Assert.Single(resting.Timers).Due);
        Assert.Equal(["limit-reached", "cancel", "order-released"], resting.Waits);
        Assert.Equal("working", ((TradeStatus)resting.CustomStatus!).Lifecycle);

        _now = T0.AddHours(24);
        var expired = Handle(new TimerFired(resting.Timers[0].Id, T0.AddHours(24)));
        var release = Assert.Single(expired.Calls);
        Assert.Equal((TradeActivities.Release.Name, ReleaseReason.Expired), (release.Activity, ((ReleaseInput)release.Input!).Reason));

        var done = Complete(TradeActivities.Release, new ReleaseOutcome(true, ReleaseReason.Expired));
        Assert.Equal(("expired", "expired"), (done.Output!.Status, done.Output.Lifecycle));
    }

    [Fact]
    public void A_limit_whose_price_went_back_goes_on_working_and_a_fill_cancels_the_expiry()
    {
        Start(Ticket(OrderType.Limit, 49_000m));
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        var resting = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Resting));

        Raise(TradeEvents.LimitReached, new LimitReached(48_990m, T0));
        var notReached = Complete(TradeActivities.Fill, new FillOutcome(FillResult.NotReached));
        Assert.Equal(["limit-reached", "cancel", "order-released"], notReached.Waits);

        Raise(TradeEvents.LimitReached, new LimitReached(48_990m, T0));
        var filled = Complete(TradeActivities.Fill, new FillOutcome(FillResult.Filled));
        Assert.Equal([resting.Timers[0].Id], filled.CancelledTimers);
        Assert.Equal("open", ((TradeStatus)filled.CustomStatus!).Lifecycle);
    }

    [Fact]
    public void A_cancel_that_loses_the_race_to_a_fill_leaves_the_trade_open()
    {
        Start(Ticket(OrderType.Limit, 49_000m));
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Resting));

        var cancelling = Raise(TradeEvents.Cancel, new CancelRequested(T0));
        Assert.Equal(ReleaseReason.Cancelled, ((ReleaseInput)Assert.Single(cancelling.Calls).Input!).Reason);
        var raced = Complete(TradeActivities.Release, new ReleaseOutcome(false, null));

        Assert.False(raced.Completed);
        Assert.Equal(["position-ended", "protection-triggered"], raced.Waits);
    }

    [Fact]
    public void A_pending_exchange_order_not_confirmed_in_time_is_released_as_rejected()
    {
        Start(Ticket());
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        var pending = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Pending));
        Assert.Equal(T0 + TradeLifecycle.ConfirmTimeout, Assert.Single(pending.Timers).Due);
        Assert.Equal(["exchange-fill"], pending.Waits);

        _now = T0 + TradeLifecycle.ConfirmTimeout;
        var timedOut = Handle(new TimerFired(pending.Timers[0].Id, _now));
        var release = (ReleaseInput)Assert.Single(timedOut.Calls).Input!;
        Assert.Equal((ReleaseReason.Rejected, "exchange-timeout"), (release.Reason, release.Why!.Code));

        var done = Complete(TradeActivities.Release, new ReleaseOutcome(true, ReleaseReason.Rejected));
        Assert.Equal(("rejected", "exchange-timeout"), (done.Output!.Lifecycle, done.Output.Reason!.Code));
    }

    private static OrderTicket LiveTicket(OrderType type = OrderType.Market, decimal? limit = null) =>
        Ticket(type, limit) with { AccountStream = "account-live-" + Guid.NewGuid().ToString("N"), Account = "live" };

    [Fact]
    public void A_pending_live_order_is_polled_with_a_doubling_wait_and_fills_with_what_the_exchange_executed()
    {
        Start(LiveTicket());
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        var pending = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Pending));
        Assert.Equal([T0 + TradeLifecycle.ConfirmTimeout, T0 + TradeLifecycle.FirstPoll], pending.Timers.Select(t => t.Due));

        _now = T0 + TradeLifecycle.FirstPoll;
        var poll = Handle(new TimerFired(pending.Timers[1].Id, _now));
        Assert.Equal(TradeActivities.Poll.Name, Assert.Single(poll.Calls).Activity);
        var still = Complete(TradeActivities.Poll, new ExchangeAck(ExchangeAckStatus.Pending));
        Assert.Equal(_now + 2 * TradeLifecycle.FirstPoll, Assert.Single(still.Timers).Due);

        _now += 2 * TradeLifecycle.FirstPoll;
        Handle(new TimerFired(still.Timers[0].Id, _now));
        var execution = new ExchangeExecution(50_010m, 0.02m, 0.5m, _now);
        var filled = Complete(TradeActivities.Poll, new ExchangeAck(ExchangeAckStatus.Filled, new MarkPrice(50_010m, _now), Execution: execution));
        var fill = (FillInput)Assert.Single(filled.Calls).Input!;
        Assert.Equal(execution, fill.Execution);

        var open = Complete(TradeActivities.Fill, new FillOutcome(FillResult.Filled));
        Assert.Equal("open", ((TradeStatus)open.CustomStatus!).Lifecycle);
        Assert.Contains(pending.Timers[0].Id, open.CancelledTimers); // the confirm timeout
    }

    [Fact]
    public void A_live_orders_polls_back_off_to_once_a_minute()
    {
        Start(LiveTicket(OrderType.Limit, 49_000m));
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        var step = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Resting));
        var waits = new List<TimeSpan>();
        var poll = step.Timers.Single(t => t.Due < T0.AddHours(1));
        for (var i = 0; i < 8; i++)
        {
            waits.Add(poll.Due - _now);
            _now = poll.Due;
            Handle(new TimerFired(poll.Id, _now));
            poll = Assert.Single(Complete(TradeActivities.Poll, new ExchangeAck(ExchangeAckStatus.Resting)).Timers);
        }

        Assert.Equal([2, 4, 8, 16, 32, 60, 60, 60], waits.Select(w => w.TotalSeconds));
    }

    [Fact]
    public void A_live_limit_the_exchange_expired_gives_its_margin_back_as_expired()
    {
        Start(LiveTicket(OrderType.Limit, 49_000m));
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        var resting = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Resting));

        _now = T0 + TradeLifecycle.FirstPoll;
        Handle(new TimerFired(resting.Timers.Single(t => t.Due == _now).Id, _now));
        var ended = Complete(TradeActivities.Poll, new ExchangeAck(ExchangeAckStatus.Rejected, Code: "exchange-expired", Message: "expired"));

        var release = (ReleaseInput)Assert.Single(ended.Calls).Input!;
        Assert.Equal((ReleaseReason.Expired, "exchange-expired"), (release.Reason, release.Why!.Code));
    }

    [Fact]
    public void A_poll_answering_after_a_cancel_started_does_not_start_a_second_settlement()
    {
        Start(LiveTicket(OrderType.Limit, 49_000m));
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        var resting = Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Resting));
        _now = T0 + TradeLifecycle.FirstPoll;
        Handle(new TimerFired(resting.Timers.Single(t => t.Due == _now).Id, _now));

        Raise(TradeEvents.Cancel, new CancelRequested(_now));
        var late = Complete(TradeActivities.Poll, new ExchangeAck(ExchangeAckStatus.Filled, new MarkPrice(49_000m, _now), Execution: new ExchangeExecution(49_000m, 0.02m, 0.4m, _now)));
        Assert.Empty(late.Calls);
        Assert.Empty(late.Timers);

        // The release finds the fill on the exchange and records it: the trade goes on open, with its position.
        var raced = Complete(TradeActivities.Release, new ReleaseOutcome(false, null));
        Assert.Equal("open", ((TradeStatus)raced.CustomStatus!).Lifecycle);
    }

    [Fact]
    public void A_refused_fill_releases_the_reservation_and_a_failed_activity_fails_the_trade()
    {
        Start(Ticket());
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Filled, new MarkPrice(50_000m, T0)));
        var refused = Complete(TradeActivities.Fill, new FillOutcome(FillResult.Refused, Refusal: new OrderReason("stale-price", "old")));
        Assert.Equal(ReleaseReason.Rejected, ((ReleaseInput)Assert.Single(refused.Calls).Input!).Reason);

        var failed = Handle(new ActivityFailed(_nextCall - 1, TradeActivities.Release.Name, "store down", 5));
        Assert.NotNull(failed.FailReason);
        Assert.Equal("failed", ((TradeStatus)failed.CustomStatus!).Lifecycle);
    }

    [Fact]
    public void A_release_by_a_reset_ends_a_working_order_as_cancelled_with_the_reason()
    {
        Start(Ticket(OrderType.Limit, 49_000m));
        Complete(TradeActivities.Reserve, new ReserveOutcome(true, null));
        Complete(TradeActivities.Submit, new ExchangeAck(ExchangeAckStatus.Resting));

        var released = Raise(TradeEvents.OrderReleased, new OrderReleasedNotice(ReleaseReason.Reset, T0));

        Assert.Equal(("cancelled", "reset"), (released.Output!.Lifecycle, released.Output.Reason!.Code));
    }

    private RecordingContext<OrderTicket, TradeStatus> Start(OrderTicket ticket)
    {
        var step = Context();
        _state = RoundTrip(_workflow.Start(ticket, step));
        return Record(step);
    }

    private RecordingContext<OrderTicket, TradeStatus> Handle(WorkflowMessage message)
    {
        var step = Context();
        _state = RoundTrip(_workflow.Handle(_state, message, step));
        return Record(step);
    }

    private RecordingContext<OrderTicket, TradeStatus> Complete<TIn, TOut>(Activity<TIn, TOut> activity, TOut result)
    {
        var call = _calls.Where(c => c.Value == activity.Name).Max(c => c.Key);
        return Handle(new ActivityCompleted(call, activity.Name, JsonSerializer.SerializeToUtf8Bytes(result, WorkflowJson.DefaultOptions)));
    }

    private RecordingContext<OrderTicket, TradeStatus> Raise<T>(ExternalEvent<T> externalEvent, T payload) =>
        Handle(new EventRaised(externalEvent.Name, JsonSerializer.SerializeToUtf8Bytes(payload, WorkflowJson.DefaultOptions)));

    private RecordingContext<OrderTicket, TradeStatus> Context() => new("order-x", _now, _nextCall, _nextTimer);

    private RecordingContext<OrderTicket, TradeStatus> Record(RecordingContext<OrderTicket, TradeStatus> step)
    {
        foreach (var (id, activity, _) in step.Calls)
        {
            _calls[id] = activity;
        }

        _nextCall = step.NextCallId;
        _nextTimer = step.NextTimerId;
        return step;
    }

    private static TradeLifecycle.State RoundTrip(TradeLifecycle.State state) =>
        JsonSerializer.Deserialize<TradeLifecycle.State>(JsonSerializer.SerializeToUtf8Bytes(state, WorkflowJson.DefaultOptions), WorkflowJson.DefaultOptions)!;
}
