using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Nft;

/// <summary>
/// One user's mint of one Genesis kind (DOMAIN.md §6), id <c>nft-mint-{userId:N}-{achievement}</c>, started when the
/// achievement unlocks: at most one instance per user and achievement, as the request stream holds at most one request.
/// It reads the request, waits while there is no wallet or no Starknet configuration (a wallet link or an app start wakes
/// it; a long timer is the safety net), then runs each attempt as a chain write of its own
/// (<c>chain-nft-{userId:N}-{achievement}-{attempt}</c>) and records what the chain write reports: the transaction once
/// sent, then minted, or a failed attempt, after which the next one starts after a delay until the attempts are used up.
/// The request stream is the truth; this instance only moves it on, and every step it repeats is idempotent there.
/// </summary>
public sealed class GenesisMintWorkflow(GenesisMintTimings timings)
    : Workflow<GenesisMintInput, GenesisMintWorkflow.State, GenesisMintOutcome>(WorkflowName, GenesisMintJson.Default.Options)
{
    /// <summary>Stored with every instance: never rename.</summary>
    public const string WorkflowName = "nft.genesis-mint";

    /// <summary>Raised when the user links a wallet, or the app starts with Starknet configured: look again now.</summary>
    public static readonly ExternalEvent<string> Recheck = new("mint-recheck", GenesisMintJson.Default.Options);

    public static readonly ExternalEvent<ChainWriteOutcome> ChainFinished = new("chain-write-finished", GenesisMintJson.Default.Options);

    public static readonly ExternalEvent<ChainWriteSent> ChainSent = new("chain-write-sent", GenesisMintJson.Default.Options);

    public GenesisMintWorkflow()
        : this(GenesisMintTimings.Default)
    {
    }

    public enum MintStep
    {
        Preparing,
        Starting,
        Minting,
        Recording,
        Done,
    }

    /// <param name="Step">What runs now (a call is out), or when <see cref="Timer"/> fires; Minting waits for the chain write.</param>
    /// <param name="Attempt">The attempt under way (0 before the first).</param>
    /// <param name="Outcome">The chain write's outcome while it is being recorded.</param>
    public sealed record State(
        GenesisMintInput Input, MintStep Step, int Call, int? Timer, int Attempt, string? Recipient, ChainWriteOutcome? Outcome, string? Waiting);

    public static string InstanceId(Guid userId, string achievementId) => $"nft-mint-{userId:N}-{achievementId}";

    /// <summary>The chain write of one attempt.</summary>
    public static string ChainWriteId(Guid userId, string achievementId, int attempt) => $"chain-nft-{userId:N}-{achievementId}-{attempt}";

    public override State Start(GenesisMintInput input, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context) =>
        Run(new State(input, MintStep.Preparing, 0, null, 0, null, null, null), MintStep.Preparing, context);

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context) => message switch
    {
        ActivityCompleted done when done.CallId == state.Call && state.Timer is null => Completed(state, done, context),
        ActivityFailed failed when failed.CallId == state.Call && state.Timer is null =>
            Later(state with { Waiting = $"{failed.ActivityName} failed {failed.Attempts} times: {failed.Error}" }, state.Step, timings.RetryLater, context),
        TimerFired fired when fired.TimerId == state.Timer => Run(state with { Timer = null }, state.Step, context),
        EventRaised raised when raised.Is(Recheck) => Rechecked(state, context),
        EventRaised raised when raised.Is(ChainSent) => Sent(state, raised.PayloadAs(ChainSent), context),
        EventRaised raised when raised.Is(ChainFinished) => Finished(state, raised.PayloadAs(ChainFinished), context),
        _ => state,
    };

    private State Completed(State state, ActivityCompleted done, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        switch (state.Step)
        {
            case MintStep.Preparing:
                return Prepared(state, done.ResultAs(GenesisMintActivities.Prepare), context);
            case MintStep.Starting:
                if (!done.ResultAs(GenesisMintActivities.StartAttempt))
                {
                    return Run(state, MintStep.Preparing, context); // the request moved on meanwhile: read it again
                }

                context.WaitForEvent(ChainFinished);
                context.WaitForEvent(ChainSent);
                return Show(state with { Step = MintStep.Minting, Waiting = null }, context);
            case MintStep.Recording:
                var progress = done.ResultAs(GenesisMintActivities.RecordOutcome);
                return progress.Status == "pending"
                    ? Later(state with { Outcome = null }, MintStep.Preparing, timings.RetryDelay, context)
                    : End(state, new GenesisMintOutcome(progress.TokenId, progress.Status, progress.Attempts, progress.TransactionHash), context);
            default:
                return state;
        }
    }

    private State Prepared(State state, MintReadiness readiness, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        switch (readiness.Kind)
        {
            case MintReadinessKind.Missing:
                context.Fail($"No Genesis mint was requested for {state.Input.AchievementId} of user {state.Input.UserId:N}.");
                return state with { Step = MintStep.Done };
            case MintReadinessKind.Finished:
                return End(state, new GenesisMintOutcome(readiness.TokenId, readiness.Status!, readiness.Attempt, readiness.TransactionHash), context);
            case MintReadinessKind.Waiting:
                context.WaitForEvent(Recheck);
                return Later(state with { Waiting = readiness.Reason }, MintStep.Preparing, timings.RecheckInterval, context);
            default:
                return Run(state with { Attempt = readiness.Attempt, Recipient = readiness.Recipient, Waiting = null }, MintStep.Starting, context);
        }
    }

    private State Rechecked(State state, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        if (state.Step != MintStep.Preparing || state.Timer is not { } timer)
        {
            return state; // not waiting: nothing to look at again
        }

        context.CancelTimer(timer);
        return Run(state with { Timer = null }, MintStep.Preparing, context);
    }

    private State Sent(State state, ChainWriteSent sent, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        if (state.Step == MintStep.Minting && sent.Purpose == ChainWriteId(state.Input.UserId, state.Input.AchievementId, state.Attempt))
        {
            // Recorded on the side: the outcome does not wait for it.
            context.CallActivity(GenesisMintActivities.RecordSent, new RecordSentInput(state.Input, state.Attempt, sent.TransactionHash), timings.Transient);
            context.WaitForEvent(ChainSent); // a replacement transaction is sent too
        }
        else if (state.Step == MintStep.Minting)
        {
            context.WaitForEvent(ChainSent); // an earlier attempt's late notice: keep listening for this one's
        }

        return state;
    }

    private State Finished(State state, ChainWriteOutcome outcome, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        if (state.Step != MintStep.Minting)
        {
            return state;
        }

        if (outcome.Purpose != ChainWriteId(state.Input.UserId, state.Input.AchievementId, state.Attempt))
        {
            context.WaitForEvent(ChainFinished);
            return state;
        }

        context.StopWaitingForEvent(ChainSent.Name);
        return Run(state with { Outcome = outcome }, MintStep.Recording, context);
    }

    private static State End(State state, GenesisMintOutcome outcome, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        context.Complete(outcome);
        return Show(state with { Step = MintStep.Done, Waiting = null }, context);
    }

    private State Run(State state, MintStep step, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        var call = step switch
        {
            MintStep.Preparing => context.CallActivity(GenesisMintActivities.Prepare, state.Input, timings.Transient),
            MintStep.Starting => context.CallActivity(GenesisMintActivities.StartAttempt, new StartAttemptInput(state.Input, state.Attempt, state.Recipient!), timings.Transient),
            MintStep.Recording => context.CallActivity(GenesisMintActivities.RecordOutcome, new RecordOutcomeInput(state.Input, state.Attempt, state.Outcome!), timings.Transient),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Nothing runs in this step."),
        };
        return Show(state with { Step = step, Call = call, Timer = null }, context);
    }

    private static State Later(State state, MintStep step, TimeSpan delay, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context) =>
        Show(state with { Step = step, Timer = context.StartTimer(delay) }, context);

    private static State Show(State state, IWorkflowContext<GenesisMintInput, GenesisMintOutcome> context)
    {
        var chainWrite = state.Attempt > 0 ? ChainWriteId(state.Input.UserId, state.Input.AchievementId, state.Attempt) : null;
        context.SetCustomStatus(new GenesisMintStatusView(state.Step.ToString().ToLowerInvariant(), state.Attempt, chainWrite, state.Waiting));
        return state;
    }
}
