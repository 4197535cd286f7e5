using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Nft;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Tests.Nft;

/// <summary>The Genesis mint workflow's state machine, for what the host tests reach only by chance: notices of another
/// attempt's chain write, rechecks while not waiting, a request that does not exist.</summary>
public sealed class GenesisMintWorkflowTests
{
    private static readonly Guid User = Guid.Parse("5e9a0000-0000-4000-8000-0000000000b2");
    private static readonly GenesisMintInput Input = new(User, "LEVEL_10");
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly GenesisMintWorkflow _workflow = new(GenesisMintTimings.Default);
    private GenesisMintWorkflow.State _state = null!;
    private int _nextCall = 1;
    private int _nextTimer = 1;

    [Fact]
    public void A_mint_with_no_request_fails_the_instance()
    {
        Start();

        var missing = Answer(GenesisMintActivities.Prepare, new MintReadiness(MintReadinessKind.Missing, ""));

        Assert.Contains("No Genesis mint was requested", missing.FailReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Waiting_it_listens_for_a_recheck_and_a_recheck_at_another_time_changes_nothing()
    {
        Start();
        var waiting = Answer(GenesisMintActivities.Prepare, new MintReadiness(MintReadinessKind.Waiting, "1", Reason: "awaiting-wallet"));
        Assert.Equal(["mint-recheck"], waiting.Waits);
        Assert.Equal(Now + GenesisMintTimings.Default.RecheckInterval, Assert.Single(waiting.Timers).Due);
        Assert.Equal(new GenesisMintStatusView("preparing", 0, null, "awaiting-wallet"), waiting.CustomStatus);

        var woken = Handle(new EventRaised("mint-recheck", "\"wallet-linked\""u8.ToArray()));
        Assert.Equal("nft.mint-prepare", Assert.Single(woken.Calls).Activity);
        Assert.Single(woken.CancelledTimers);

        // A second recheck while the prepare runs asks nothing more.
        Assert.Empty(Handle(new EventRaised("mint-recheck", "\"wallet-linked\""u8.ToArray())).Calls);
    }

    [Fact]
    public void Only_the_current_attempts_chain_write_counts()
    {
        Start();
        Answer(GenesisMintActivities.Prepare, new MintReadiness(MintReadinessKind.Ready, "1", 2, "0xabc"));
        var minting = Answer(GenesisMintActivities.StartAttempt, true);
        Assert.Equal(["chain-write-finished", "chain-write-sent"], minting.Waits);
        var current = GenesisMintWorkflow.ChainWriteId(User, "LEVEL_10", 2);
        var earlier = GenesisMintWorkflow.ChainWriteId(User, "LEVEL_10", 1);

        // A late notice of attempt 1: ignored, and the instance keeps listening for attempt 2's.
        var lateSent = Handle(Raised(GenesisMintWorkflow.ChainSent, new ChainWriteSent(earlier, "0x1", "0x0", 1)));
        Assert.Empty(lateSent.Calls);
        Assert.Equal(["chain-write-sent"], lateSent.Waits);
        var lateEnd = Handle(Raised(GenesisMintWorkflow.ChainFinished, new ChainWriteOutcome(earlier, ChainWriteResult.Reverted, "0x1", 5, "old", 1)));
        Assert.Empty(lateEnd.Calls);
        Assert.Equal(["chain-write-finished"], lateEnd.Waits);

        var sent = Handle(Raised(GenesisMintWorkflow.ChainSent, new ChainWriteSent(current, "0x2", "0x1", 1)));
        Assert.Equal("nft.mint-record-sent", Assert.Single(sent.Calls).Activity);
        Assert.Equal(new RecordSentInput(Input, 2, "0x2"), sent.Calls[0].Input);

        var outcome = new ChainWriteOutcome(current, ChainWriteResult.Accepted, "0x2", 9, null, 1);
        var finished = Handle(Raised(GenesisMintWorkflow.ChainFinished, outcome));
        Assert.Equal(["chain-write-sent"], finished.StoppedWaits);
        Assert.Equal("nft.mint-record-outcome", Assert.Single(finished.Calls).Activity);

        var done = Answer(GenesisMintActivities.RecordOutcome, new MintProgress("minted", 2, "1", "0x2"));
        Assert.True(done.Completed);
        Assert.Equal(new GenesisMintOutcome("1", "minted", 2, "0x2"), done.Output);
    }

    [Fact]
    public void A_request_that_moved_on_meanwhile_is_read_again()
    {
        Start();
        Answer(GenesisMintActivities.Prepare, new MintReadiness(MintReadinessKind.Ready, "1", 1, "0xabc"));

        var refused = Answer(GenesisMintActivities.StartAttempt, false);

        Assert.Equal("nft.mint-prepare", Assert.Single(refused.Calls).Activity);
    }

    private RecordingContext<GenesisMintInput, GenesisMintOutcome> Start()
    {
        var step = Context();
        _state = RoundTrip(_workflow.Start(Input, step));
        return Remember(step);
    }

    private RecordingContext<GenesisMintInput, GenesisMintOutcome> Handle(WorkflowMessage message)
    {
        var step = Context();
        _state = RoundTrip(_workflow.Handle(_state, message, step));
        return Remember(step);
    }

    private RecordingContext<GenesisMintInput, GenesisMintOutcome> Answer<TIn, TOut>(Activity<TIn, TOut> activity, TOut result) =>
        Handle(new ActivityCompleted(_state.Call, activity.Name, JsonSerializer.SerializeToUtf8Bytes(result, Info<TOut>())));

    private static EventRaised Raised<T>(ExternalEvent<T> externalEvent, T payload) =>
        new(externalEvent.Name, JsonSerializer.SerializeToUtf8Bytes(payload, Info<T>()));

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)GenesisMintJson.Default.Options.GetTypeInfo(typeof(T));

    private RecordingContext<GenesisMintInput, GenesisMintOutcome> Context() => new("nft-mint-test", Now, _nextCall, _nextTimer);

    private RecordingContext<GenesisMintInput, GenesisMintOutcome> Remember(RecordingContext<GenesisMintInput, GenesisMintOutcome> step)
    {
        _nextCall = step.NextCallId;
        _nextTimer = step.NextTimerId;
        return step;
    }

    private static GenesisMintWorkflow.State RoundTrip(GenesisMintWorkflow.State state) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(state, GenesisMintJson.Default.State), GenesisMintJson.Default.State)!;
}
