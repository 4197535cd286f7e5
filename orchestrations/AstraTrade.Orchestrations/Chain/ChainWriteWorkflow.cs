using AstraTrade.Application.Nft.Chain;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Chain;

/// <summary>
/// One write to Starknet through the operator account (docs/nft.md, "Chain writes"), one instance per purpose:
/// check (optional: has it happened already?) → prepare (nonce, fee, signature; the signed transaction is persisted by
/// the operator and then stored in this state before anything is sent) → submit → poll the status with backoff on durable
/// timers → Accepted with its block, or Reverted with its reason → tell whoever asked. After a crash at any instant the
/// instance goes on from its stored state, and every step it may repeat is idempotent (the prepare returns the persisted
/// transaction, a resubmission of the same signed transaction is "already known"), so one purpose never has two
/// transactions that could both run. A new transaction is signed only for a dead one: refused by the node, or its nonce
/// used by another transaction, so that it can never run.
/// Only the latest call and the latest timer count; anything else that arrives (a late answer) changes nothing.
/// </summary>
public sealed class ChainWriteWorkflow(ChainWriteTimings timings)
    : Workflow<ChainWriteInput, ChainWriteWorkflow.State, ChainWriteOutcome>(WorkflowName, ChainWriteJson.Default.Options)
{
    /// <summary>Stored with every instance: never rename.</summary>
    public const string WorkflowName = "chain.write";

    /// <summary>Raised to instances that wait for Starknet configuration (an app start with it configured does).</summary>
    public static readonly ExternalEvent<string> Recheck = new("chain-recheck", ChainWriteJson.Default.Options);

    public ChainWriteWorkflow()
        : this(ChainWriteTimings.Default)
    {
    }

    public enum ChainStep
    {
        Checking,
        Preparing,
        Submitting,
        Polling,
        Verifying,
        Notifying,
        Done,
    }

    /// <param name="Step">What runs now (a call is out), or when <see cref="Timer"/> fires.</param>
    /// <param name="Transaction">The purpose's signed transaction, once prepared: what every submission sends.</param>
    /// <param name="Transactions">How many were signed for the purpose.</param>
    /// <param name="Replaces">While preparing a replacement: the dead transaction's hash.</param>
    /// <param name="SentAt">When the node last took the transaction (for the stuck check).</param>
    /// <param name="Waiting">Why it waits (configuration, or a step that kept failing), while it does.</param>
    /// <param name="Outcome">The outcome, once known (during verifying: the tentative one).</param>
    public sealed record State(
        ChainWriteInput Input,
        ChainStep Step,
        int Call,
        int? Timer,
        SignedInvoke? Transaction,
        int Transactions,
        string? Replaces,
        DateTimeOffset? SentAt,
        int Polls,
        int Resubmits,
        string? Finality,
        string? Waiting,
        ChainWriteOutcome? Outcome);

    public override State Start(ChainWriteInput input, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        var state = new State(input, ChainStep.Checking, 0, null, null, 0, null, null, 0, 0, null, null, null);
        return Run(state, input.DoneWhen is null ? ChainStep.Preparing : ChainStep.Checking, context);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context) => message switch
    {
        ActivityCompleted done when done.CallId == state.Call && state.Timer is null => Completed(state, done, context),
        ActivityFailed failed when failed.CallId == state.Call && state.Timer is null =>
            Later(state with { Waiting = $"{failed.ActivityName} failed {failed.Attempts} times: {failed.Error}" }, state.Step, timings.RetryLater, context),
        TimerFired fired when fired.TimerId == state.Timer => Run(state with { Timer = null }, state.Step, context),
        EventRaised raised when raised.Is(Recheck) && state.Timer is { } timer && state.Step is ChainStep.Checking or ChainStep.Preparing or ChainStep.Verifying =>
            Rechecked(state, timer, context),
        _ => state,
    };

    private State Completed(State state, ActivityCompleted done, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        switch (state.Step)
        {
            case ChainStep.Checking:
            {
                var check = done.ResultAs(ChainWriteActivities.CheckDone);
                return check.Unavailable is { } why ? WaitForConfiguration(state, ChainStep.Checking, why, context)
                    : check.Done ? Finish(state, new ChainWriteOutcome(context.InstanceId, ChainWriteResult.AlreadyDone, null, null, null, 0), context)
                    : Run(state with { Waiting = null }, ChainStep.Preparing, context);
            }

            case ChainStep.Verifying:
            {
                var check = done.ResultAs(ChainWriteActivities.CheckDone);
                return check.Unavailable is { } why ? WaitForConfiguration(state, ChainStep.Verifying, why, context)
                    : Finish(state, check.Done ? state.Outcome! with { Result = ChainWriteResult.AlreadyDone } : state.Outcome!, context);
            }

            case ChainStep.Preparing:
                return Prepared(state, done.ResultAs(ChainWriteActivities.Prepare), context);
            case ChainStep.Submitting:
                return Submitted(state, done.ResultAs(ChainWriteActivities.Submit), context);
            case ChainStep.Polling:
                return Polled(state with { Polls = state.Polls + 1 }, done.ResultAs(ChainWriteActivities.Check), context);
            case ChainStep.Notifying:
                context.Complete(state.Outcome!);
                return Show(state with { Step = ChainStep.Done }, context);
            default:
                return state;
        }
    }

    private State Prepared(State state, PrepareResult prepared, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        if (prepared.Unavailable is { } why)
        {
            return WaitForConfiguration(state, ChainStep.Preparing, why, context);
        }

        if (prepared.WouldFail is { } failure)
        {
            return Ended(state, new ChainWriteOutcome(context.InstanceId, ChainWriteResult.Failed, state.Transaction?.Hash, null, $"The transaction would fail: {failure}", state.Transactions), context);
        }

        // A first transaction, or a replacement (which may be identical to a refused one: same nonce given back, same
        // fee, and signatures are deterministic). A prepare that merely ran again returns the same one.
        var signed = state.Transaction is null || state.Replaces is not null;
        var next = state with
        {
            Transaction = prepared.Transaction!,
            Transactions = state.Transactions + (signed ? 1 : 0),
            Replaces = null,
            SentAt = signed ? null : state.SentAt,
            Waiting = null,
        };
        return Run(next, ChainStep.Submitting, context);
    }

    private State Submitted(State state, SubmitResult submitted, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        var tx = state.Transaction!;
        if (submitted.Status == SubmitStatus.Refused)
        {
            return Dead(state, $"The node refused {tx.Hash}: {submitted.Reason}", context);
        }

        if (state.SentAt is null && state.Input.Notify is { SentEvent: { } sentEvent } notify)
        {
            // Told once per transaction, on the side: the answer is not waited for.
            context.CallActivity(ChainWriteActivities.Notify, new NotifyInput(notify.InstanceId, sentEvent, null, new ChainWriteSent(context.InstanceId, tx.Hash, tx.Nonce, tx.Revision)), timings.Transient);
        }

        return Later(state with { SentAt = context.Now, Waiting = null }, ChainStep.Polling, timings.PollDelay(state.Polls), context);
    }

    private State Polled(State state, TransactionCheck check, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        var tx = state.Transaction!;
        switch (check.State)
        {
            case TransactionState.Accepted:
                return Finish(state with { Finality = check.Finality }, new ChainWriteOutcome(context.InstanceId, ChainWriteResult.Accepted, tx.Hash, check.BlockNumber, null, state.Transactions), context);
            case TransactionState.Reverted:
                return Ended(state with { Finality = check.Finality }, new ChainWriteOutcome(context.InstanceId, ChainWriteResult.Reverted, tx.Hash, check.BlockNumber, check.Reason, state.Transactions), context);
            case TransactionState.Dead:
                return Dead(state, check.Reason ?? $"{tx.Hash} can never run.", context);
        }

        // Unknown, or received and not executed: once it has waited long enough, send the same transaction again (the node
        // may have dropped it). A transaction already executed only waits for its block.
        var next = state with { Finality = check.Finality };
        var stuck = check.State == TransactionState.Unknown || check.Finality is "RECEIVED" or "CANDIDATE";
        return stuck && context.Now - state.SentAt >= timings.StuckAfter
            ? Run(next with { Resubmits = state.Resubmits + 1 }, ChainStep.Submitting, context)
            : Later(next, ChainStep.Polling, timings.PollDelay(state.Polls), context);
    }

    /// <summary>The transaction can never run: sign a replacement, unless the purpose has used up its transactions.</summary>
    private State Dead(State state, string reason, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context) =>
        state.Transactions >= timings.MaxTransactions
            ? Finish(state, new ChainWriteOutcome(context.InstanceId, ChainWriteResult.Failed, state.Transaction?.Hash, null, reason, state.Transactions), context)
            : Later(state with { Replaces = state.Transaction!.Hash, Waiting = reason, Polls = 0 }, ChainStep.Preparing, timings.ReplaceAfter, context);

    /// <summary>A revert or a failing estimate: with a done-check, ask it first (the write may have happened another way,
    /// e.g. an earlier transaction of this purpose), otherwise that is the outcome.</summary>
    private State Ended(State state, ChainWriteOutcome outcome, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context) =>
        state.Input.DoneWhen is null ? Finish(state, outcome, context) : Run(state with { Outcome = outcome }, ChainStep.Verifying, context);

    private State Finish(State state, ChainWriteOutcome outcome, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        var finished = state with { Outcome = outcome, Waiting = null };
        if (state.Input.Notify is not null)
        {
            return Run(finished, ChainStep.Notifying, context);
        }

        context.Complete(outcome);
        return Show(finished with { Step = ChainStep.Done }, context);
    }

    private State WaitForConfiguration(State state, ChainStep step, string why, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        context.WaitForEvent(Recheck);
        return Later(state with { Waiting = why }, step, timings.ConfigurationRecheck, context);
    }

    private State Rechecked(State state, int timer, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        context.CancelTimer(timer);
        return Run(state with { Timer = null }, state.Step, context);
    }

    /// <summary>Calls the step's activity now.</summary>
    private State Run(State state, ChainStep step, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        var input = state.Input;
        var call = step switch
        {
            ChainStep.Checking or ChainStep.Verifying => context.CallActivity(ChainWriteActivities.CheckDone, input.DoneWhen!, timings.Transient),
            ChainStep.Preparing => context.CallActivity(ChainWriteActivities.Prepare, new PrepareInput(input.Calls, state.Replaces), timings.Transient),
            ChainStep.Submitting => context.CallActivity(ChainWriteActivities.Submit, state.Transaction!, timings.Transient),
            ChainStep.Polling => context.CallActivity(ChainWriteActivities.Check, state.Transaction!, timings.Transient),
            ChainStep.Notifying => context.CallActivity(
                ChainWriteActivities.Notify, new NotifyInput(input.Notify!.InstanceId, input.Notify.FinishedEvent, state.Outcome, null), timings.Transient),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Nothing runs in this step."),
        };
        return Show(state with { Step = step, Call = call, Timer = null }, context);
    }

    /// <summary>Runs the step when a timer fires.</summary>
    private static State Later(State state, ChainStep step, TimeSpan delay, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context) =>
        Show(state with { Step = step, Timer = context.StartTimer(delay) }, context);

    private static State Show(State state, IWorkflowContext<ChainWriteInput, ChainWriteOutcome> context)
    {
        context.SetCustomStatus(new ChainWriteStatus(
            StepName(state.Step), state.Transaction?.Hash, state.Transaction?.Nonce, state.Finality, state.Polls, state.Resubmits, state.Waiting));
        return state;
    }

    private static string StepName(ChainStep step) => step.ToString().ToLowerInvariant();
}
