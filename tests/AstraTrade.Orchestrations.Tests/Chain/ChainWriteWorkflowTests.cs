using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Tests.Chain;

/// <summary>
/// The chain-write workflow's state machine, step by step: what it asks of the runtime for each message. The state goes
/// through JSON between steps, as the runtime may hand it over. (With the host, the operator and a node: ChainWriteHostTests.)
/// </summary>
public sealed class ChainWriteWorkflowTests
{
    private const string Id = "chain-achievement-test";
    private static readonly DateTimeOffset T0 = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly ChainCall Record = new(ChainContracts.Achievements, "record_achievement", ["0x1", "0x2"]);
    private static readonly ChainCall Recorded = new(ChainContracts.Achievements, "is_recorded", ["0x1", "0x2"]);
    private static readonly ChainWriteTimings Timings = ChainWriteTimings.Default with { MaxTransactions = 3 };

    private readonly ChainWriteWorkflow _workflow = new(Timings);
    private ChainWriteWorkflow.State _state = null!;
    private DateTimeOffset _now = T0;
    private int _nextCall = 1;
    private int _nextTimer = 1;

    [Fact]
    public void With_a_done_check_it_asks_first_and_a_done_write_ends_without_signing()
    {
        var started = Start(new ChainWriteInput([Record], Recorded));
        Assert.Equal("chain.check-done", Assert.Single(started.Calls).Activity);
        SameJson(Recorded, started.Calls[0].Input);

        var done = Answer(ChainWriteActivities.CheckDone, new DoneCheck(true));

        Assert.True(done.Completed);
        Assert.Equal(new ChainWriteOutcome(Id, ChainWriteResult.AlreadyDone, null, null, null, 0), done.Output);
        Assert.Empty(done.Calls);
    }

    [Fact]
    public void Prepare_then_submit_the_persisted_transaction_then_poll_with_doubling_waits_until_accepted()
    {
        Start(new ChainWriteInput([Record]));
        Assert.Equal(ChainWriteWorkflow.ChainStep.Preparing, _state.Step);

        var prepared = Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));
        Assert.Equal("chain.submit", Assert.Single(prepared.Calls).Activity);
        SameJson(Tx("0xa1"), prepared.Calls[0].Input);
        SameJson(Tx("0xa1"), _state.Transaction); // stored with the step, before the submission runs

        var sent = Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Sent));
        Assert.Equal(T0 + TimeSpan.FromSeconds(2), Assert.Single(sent.Timers).Due);

        List<TimeSpan> waits = [];
        for (var i = 0; i < 8; i++)
        {
            var due = _state.Timer is { } t ? Due(t) : throw new InvalidOperationException("no timer");
            waits.Add(due - _now);
            Assert.Equal("chain.check", Assert.Single(Fire(due).Calls).Activity);
            Answer(ChainWriteActivities.Check, new TransactionCheck(TransactionState.Pending, "PRE_CONFIRMED"));
        }

        Assert.Equal([2, 4, 8, 16, 32, 60, 60, 60], waits.Select(w => (int)w.TotalSeconds));
        Fire(Due(_state.Timer!.Value));
        var accepted = Answer(ChainWriteActivities.Check, new TransactionCheck(TransactionState.Accepted, "ACCEPTED_ON_L2", 812_346));

        Assert.True(accepted.Completed);
        Assert.Equal(new ChainWriteOutcome(Id, ChainWriteResult.Accepted, "0xa1", 812_346, null, 1), accepted.Output);
    }

    [Fact]
    public void A_transaction_unknown_or_only_received_for_too_long_is_sent_again_as_it_is()
    {
        Start(new ChainWriteInput([Record]));
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));
        Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Sent));
        var sentAt = _now;

        // Polls before StuckAfter just wait; the first one after it sends the same transaction again.
        while (true)
        {
            var check = Fire(Due(_state.Timer!.Value));
            Assert.Equal("chain.check", Assert.Single(check.Calls).Activity);
            var answered = Answer(ChainWriteActivities.Check, new TransactionCheck(TransactionState.Pending, "RECEIVED"));
            if (answered.Calls.Count > 0)
            {
                Assert.True(_now - sentAt >= Timings.StuckAfter);
                Assert.Equal("chain.submit", answered.Calls[0].Activity);
                SameJson(Tx("0xa1"), answered.Calls[0].Input);
                break;
            }

            Assert.True(_now - sentAt < Timings.StuckAfter);
        }

        // "Already known" counts as sent: polling goes on, and the stuck clock starts again.
        var again = Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.AlreadyKnown));
        Assert.Single(again.Timers);
        Assert.Equal(_now, _state.SentAt);
        Assert.Equal(1, _state.Resubmits);
        Assert.Equal(1, _state.Transactions);
    }

    [Fact]
    public void An_executed_transaction_waiting_for_its_block_is_never_sent_again()
    {
        Start(new ChainWriteInput([Record]));
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));
        Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Sent));

        for (var i = 0; i < 20; i++)
        {
            Fire(Due(_state.Timer!.Value));
            var polled = Answer(ChainWriteActivities.Check, new TransactionCheck(TransactionState.Pending, "PRE_CONFIRMED"));
            Assert.Empty(polled.Calls);
        }
    }

    [Fact]
    public void A_dead_transaction_is_replaced_after_a_wait_until_the_purpose_runs_out_of_transactions()
    {
        Start(new ChainWriteInput([Record]));
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));

        var refused = Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Refused, "54 balance too low"));
        Assert.Equal(_now + Timings.ReplaceAfter, Assert.Single(refused.Timers).Due);
        var replacing = Fire(_now + Timings.ReplaceAfter);
        Assert.Equal("chain.prepare", Assert.Single(replacing.Calls).Activity);
        SameJson(new PrepareInput([Record], "0xa1"), replacing.Calls[0].Input);

        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa2", nonce: "0x5", revision: 2)));
        Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Sent));
        Fire(Due(_state.Timer!.Value));
        Answer(ChainWriteActivities.Check, new TransactionCheck(TransactionState.Dead, Reason: "nonce used"));
        Fire(Due(_state.Timer!.Value));
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa3", revision: 3)));
        Assert.Equal(3, _state.Transactions);

        var last = Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Refused, "55 validation failed"));
        Assert.True(last.Completed);
        Assert.Equal(new ChainWriteOutcome(Id, ChainWriteResult.Failed, "0xa3", null, "The node refused 0xa3: 55 validation failed", 3), last.Output);
    }

    [Fact]
    public void A_revert_is_checked_against_the_done_check_before_it_is_believed()
    {
        Start(new ChainWriteInput([Record], Recorded));
        Answer(ChainWriteActivities.CheckDone, new DoneCheck(false));
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));
        Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Sent));
        Fire(Due(_state.Timer!.Value));

        var reverted = Answer(ChainWriteActivities.Check, new TransactionCheck(TransactionState.Reverted, "ACCEPTED_ON_L2", 7, "Achievement already recorded"));
        Assert.Equal("chain.check-done", Assert.Single(reverted.Calls).Activity);

        var done = Answer(ChainWriteActivities.CheckDone, new DoneCheck(true));
        Assert.Equal(new ChainWriteOutcome(Id, ChainWriteResult.AlreadyDone, "0xa1", 7, "Achievement already recorded", 1), done.Output);
    }

    [Fact]
    public void Without_configuration_it_waits_for_a_recheck_or_its_timer_and_shows_why()
    {
        Start(new ChainWriteInput([Record]));

        var waiting = Answer(ChainWriteActivities.Prepare, new PrepareResult(null, Unavailable: "No Starknet node is configured."));
        Assert.Equal(["chain-recheck"], waiting.Waits);
        Assert.Equal(_now + Timings.ConfigurationRecheck, Assert.Single(waiting.Timers).Due);
        Assert.Equal(new ChainWriteStatus("preparing", null, null, null, 0, 0, "No Starknet node is configured."), waiting.CustomStatus);

        var timer = _state.Timer!.Value;
        var rechecked = Handle(new EventRaised("chain-recheck", "\"app-started\""u8.ToArray()));
        Assert.Equal([timer], rechecked.CancelledTimers);
        Assert.Equal("chain.prepare", Assert.Single(rechecked.Calls).Activity);

        // The cancelled timer, should it still arrive, changes nothing.
        Assert.Empty(Handle(new TimerFired(timer, _now)).Calls);
    }

    [Fact]
    public void A_step_whose_retries_ran_out_runs_again_later_and_never_gives_up()
    {
        Start(new ChainWriteInput([Record]));
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));

        var failed = Handle(new ActivityFailed(_nextCall - 1, "chain.submit", "StarknetRpcTransportException: connection refused", 6));
        Assert.Equal(_now + Timings.RetryLater, Assert.Single(failed.Timers).Due);
        Assert.Contains("connection refused", _state.Waiting, StringComparison.Ordinal);

        var again = Fire(_now + Timings.RetryLater);
        Assert.Equal("chain.submit", Assert.Single(again.Calls).Activity);
        SameJson(Tx("0xa1"), again.Calls[0].Input);
    }

    [Fact]
    public void Whoever_asked_is_told_the_outcome_and_once_per_transaction_that_it_was_sent()
    {
        Start(new ChainWriteInput([Record], Notify: new ChainWriteNotify("nft-mint-x", "chain-write-finished", "chain-write-sent")));
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));

        var sent = Answer(ChainWriteActivities.Submit, new SubmitResult(SubmitStatus.Sent));
        var notice = Assert.Single(sent.Calls);
        Assert.Equal("chain.notify", notice.Activity);
        SameJson(new NotifyInput("nft-mint-x", "chain-write-sent", null, new ChainWriteSent(Id, "0xa1", "0x4", 1)), notice.Input);

        // The notice's answer is not waited for; polling goes on.
        Assert.Empty(Handle(Completed(notice.Id, ChainWriteActivities.Notify, true)).Calls);
        Fire(Due(_state.Timer!.Value));
        var accepted = Answer(ChainWriteActivities.Check, new TransactionCheck(TransactionState.Accepted, "ACCEPTED_ON_L2", 9));
        Assert.False(accepted.Completed);
        var outcome = new ChainWriteOutcome(Id, ChainWriteResult.Accepted, "0xa1", 9, null, 1);
        Assert.Equal("chain.notify", Assert.Single(accepted.Calls).Activity);
        SameJson(new NotifyInput("nft-mint-x", "chain-write-finished", outcome, null), accepted.Calls[0].Input);

        var told = Answer(ChainWriteActivities.Notify, true);
        Assert.True(told.Completed);
        Assert.Equal(outcome, told.Output);
    }

    [Fact]
    public void Late_answers_and_stale_timers_change_nothing()
    {
        Start(new ChainWriteInput([Record]));
        var prepareCall = _nextCall - 1;
        Answer(ChainWriteActivities.Prepare, new PrepareResult(Tx("0xa1")));

        var late = Handle(Completed(prepareCall, ChainWriteActivities.Prepare, new PrepareResult(Tx("0xff"))));
        Assert.Empty(late.Calls);
        SameJson(Tx("0xa1"), _state.Transaction);
        Assert.Empty(Handle(new TimerFired(99, _now)).Calls);
    }

    [Fact]
    public void Inputs_are_read_strictly()
    {
        var input = ChainWriteJson.Default.ChainWriteInput;
        var valid = """{"calls":[{"contract":"achievements","entrypoint":"record_achievement","calldata":["0x1","0x2"]}]}""";
        Assert.Equal("record_achievement", JsonSerializer.Deserialize(valid, input)!.Calls[0].Entrypoint);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("{}", input));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"calls":[{"contract":"achievements","entrypoint":"record_achievement"}]}""", input));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(valid.Replace("]}", "],\"to\":\"0x1\"}", StringComparison.Ordinal), input));
    }

    /// <summary>Records holding lists compare by reference; what the runtime stores is their JSON.</summary>
    private static void SameJson(object expected, object? actual) =>
        Assert.Equal(
            JsonSerializer.Serialize(expected, expected.GetType(), ChainWriteJson.Default.Options),
            JsonSerializer.Serialize(actual, expected.GetType(), ChainWriteJson.Default.Options));

    private static SignedInvoke Tx(string hash, string nonce = "0x4", int revision = 1) =>
        new(Id, revision, hash, "0xa57", "0x534e5f5345504f4c4941", nonce, ["0x1"], new InvokeFeeBounds("0x0", "0x1", "0x2", "0x3", "0x4", "0x5"), ["0x6", "0x7"]);

    private DateTimeOffset Due(int timer) => _timers[timer];

    private readonly Dictionary<int, DateTimeOffset> _timers = [];

    private RecordingContext<ChainWriteInput, ChainWriteOutcome> Start(ChainWriteInput input)
    {
        var step = Context();
        _state = RoundTrip(_workflow.Start(input, step));
        return Remember(step);
    }

    private RecordingContext<ChainWriteInput, ChainWriteOutcome> Handle(WorkflowMessage message)
    {
        var step = Context();
        _state = RoundTrip(_workflow.Handle(_state, message, step));
        return Remember(step);
    }

    private RecordingContext<ChainWriteInput, ChainWriteOutcome> Answer<TIn, TOut>(Activity<TIn, TOut> activity, TOut result) =>
        Handle(Completed(_state.Call, activity, result));

    private RecordingContext<ChainWriteInput, ChainWriteOutcome> Fire(DateTimeOffset due)
    {
        _now = due;
        return Handle(new TimerFired(_state.Timer!.Value, due));
    }

    private static ActivityCompleted Completed<TIn, TOut>(int call, Activity<TIn, TOut> activity, TOut result) =>
        new(call, activity.Name, JsonSerializer.SerializeToUtf8Bytes(result, (JsonTypeInfo<TOut>)ChainWriteJson.Default.Options.GetTypeInfo(typeof(TOut))));

    private RecordingContext<ChainWriteInput, ChainWriteOutcome> Context() => new(Id, _now, _nextCall, _nextTimer);

    private RecordingContext<ChainWriteInput, ChainWriteOutcome> Remember(RecordingContext<ChainWriteInput, ChainWriteOutcome> step)
    {
        _nextCall = step.NextCallId;
        _nextTimer = step.NextTimerId;
        foreach (var (id, due) in step.Timers)
        {
            _timers[id] = due;
        }

        return step;
    }

    private static ChainWriteWorkflow.State RoundTrip(ChainWriteWorkflow.State state) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state, ChainWriteJson.Default.State), ChainWriteJson.Default.State)!;
}
