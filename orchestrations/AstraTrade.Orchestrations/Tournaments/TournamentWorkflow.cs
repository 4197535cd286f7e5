using AstraTrade.Application.Eventing;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Tournaments;

/// <summary>
/// One instance per tournament (DOMAIN.md §3), id <c>tournament-{id}</c>: registration → live → finalizing →
/// completed, or cancelled (too few players at the start, or an admin) with refunds. It sleeps on a durable timer until
/// the next phase change is due, then has an activity apply it; the aggregate stays the truth, so every decision here
/// follows the status the last activity read, never the clock or the instance's own idea of the phase. An admin's
/// cancellation arrives as an event; the instance then reads the tournament and ends once it is closed.
/// Only the latest call and the latest timer count: the result of a call overtaken by a newer one (an event arrived
/// while it ran) is ignored, since the newer one read the tournament later.
/// </summary>
public sealed class TournamentWorkflow()
    : Workflow<TournamentWorkflowInput, TournamentWorkflow.State, TournamentOutcome>(WorkflowName, TournamentWorkflowJson.Default.Options)
{
    /// <summary>Stored with every instance: never rename.</summary>
    public const string WorkflowName = "tournaments.lifecycle";

    /// <summary>For transient failures (store conflicts, a stale price at settlement): about two minutes of attempts.</summary>
    public static readonly RetryPolicy Retry = new(MaxAttempts: 8, FirstRetryInterval: TimeSpan.FromSeconds(1), BackoffCoefficient: 2, MaxRetryInterval: TimeSpan.FromMinutes(1));

    /// <summary>A tournament must not be left unfinished: after the retries, the instance waits this long and tries again.</summary>
    public static readonly TimeSpan RetryLater = TimeSpan.FromMinutes(5);

    /// <summary>When a change is already due but the activity's clock did not apply it yet (another process's clock
    /// runs behind this one), the instance looks again this much later.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);

    /// <param name="Phase">The status the last activity read; null before the first answer.</param>
    /// <param name="Call">The latest activity call; only its answer counts.</param>
    /// <param name="Timer">The pending timer, if the instance waits.</param>
    public sealed record State(string TournamentId, TournamentStatus? Phase, int Call, int? Timer);

    public static string InstanceId(string tournamentId) => StreamIds.Tournament(tournamentId);

    public override State Start(TournamentWorkflowInput input, IWorkflowContext<TournamentWorkflowInput, TournamentOutcome> context)
    {
        context.WaitForEvent(TournamentActivities.Cancelled);
        return new State(input.TournamentId, null, context.CallActivity(TournamentActivities.Advance, input.TournamentId, Retry), null);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<TournamentWorkflowInput, TournamentOutcome> context)
    {
        switch (message)
        {
            case ActivityCompleted done when done.CallId == state.Call:
                return OnProgress(state, done.ResultAs(TournamentActivities.Advance), context);
            case ActivityFailed failed when failed.CallId == state.Call:
                var retryAt = context.Now + RetryLater;
                context.SetCustomStatus(new TournamentWorkflowStatus(state.Phase, retryAt, failed.Error));
                return state with { Timer = context.StartTimer(retryAt) };
            case TimerFired fired when fired.TimerId == state.Timer:
                // A live tournament has reached its end (the finalization applies the end itself); any other wakes up
                // to the change it waited for.
                var activity = state.Phase is TournamentStatus.Live or TournamentStatus.Finalizing ? TournamentActivities.Finalize : TournamentActivities.Advance;
                return state with { Call = context.CallActivity(activity, state.TournamentId, Retry), Timer = null };
            case EventRaised raised when raised.Is(TournamentActivities.Cancelled):
                // Keep listening: an event raised by hand, for a tournament that goes on, must not deafen the instance.
                context.WaitForEvent(TournamentActivities.Cancelled);
                return state with { Call = context.CallActivity(TournamentActivities.Advance, state.TournamentId, Retry) };
            default:
                return state; // the answer of an overtaken call, or a replaced timer
        }
    }

    private static State OnProgress(State state, TournamentProgress progress, IWorkflowContext<TournamentWorkflowInput, TournamentOutcome> context)
    {
        if (state.Timer is { } pending)
        {
            context.CancelTimer(pending);
        }

        var next = state with { Phase = progress.Status, Timer = null };
        switch (progress.Status)
        {
            case TournamentStatus.NotCreated:
                context.Fail($"There is no tournament '{state.TournamentId}'.");
                return next;
            case TournamentStatus.Completed or TournamentStatus.Cancelled:
                context.SetCustomStatus(new TournamentWorkflowStatus(progress.Status, null, null));
                context.Complete(new TournamentOutcome(state.TournamentId, progress.Status));
                return next;
            case TournamentStatus.Finalizing:
                context.SetCustomStatus(new TournamentWorkflowStatus(progress.Status, null, null));
                return next with { Call = context.CallActivity(TournamentActivities.Finalize, state.TournamentId, Retry) };
            default:
                var due = progress.NextChangeAt is { } at && at > context.Now ? at : context.Now + Recheck;
                context.SetCustomStatus(new TournamentWorkflowStatus(progress.Status, due, null));
                return next with { Timer = context.StartTimer(due) };
        }
    }
}
