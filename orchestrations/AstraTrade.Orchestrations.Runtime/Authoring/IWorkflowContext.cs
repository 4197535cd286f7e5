namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// What one step of a workflow (<see cref="Workflow{TInput,TState,TOutput}.Start"/> or
/// <see cref="Workflow{TInput,TState,TOutput}.Handle"/>) can ask of the runtime. Nothing happens while the step runs:
/// the commands are collected, stored with the step's new state in one append, and carried out after it. So a step
/// that throws, or whose append loses a race, leaves no trace, and a step never waits for anything.
/// </summary>
/// <typeparam name="TInput">The workflow's input, for <see cref="ContinueAsNew"/>.</typeparam>
/// <typeparam name="TOutput">The workflow's output, for <see cref="Complete"/>.</typeparam>
public interface IWorkflowContext<in TInput, in TOutput>
{
    string InstanceId { get; }

    /// <summary>1, then one more after each continue-as-new.</summary>
    int Generation { get; }

    /// <summary>The step's time: when the runtime took the message, recorded with the step. Use it instead of a clock.</summary>
    DateTimeOffset Now { get; }

    /// <summary>A new id derived from the instance, generation, step and how many ids the step took before; use it
    /// instead of <see cref="Guid.NewGuid"/>, e.g. for idempotency keys handed to activities.</summary>
    Guid NewGuid();

    /// <summary>Runs <paramref name="activity"/> with <paramref name="input"/> (at least once), retried by
    /// <paramref name="retry"/> (no retry when null); the workflow later gets <see cref="ActivityCompleted"/> or
    /// <see cref="ActivityFailed"/> with the returned call id.</summary>
    int CallActivity<TActivityInput, TActivityOutput>(
        Activity<TActivityInput, TActivityOutput> activity, TActivityInput input, RetryPolicy? retry = null);

    /// <summary>Starts a durable timer; the workflow gets <see cref="TimerFired"/> with the returned id once, at or after
    /// <paramref name="dueTime"/>, unless it cancels the timer first.</summary>
    int StartTimer(DateTimeOffset dueTime);

    /// <summary>Starts a durable timer due <paramref name="delay"/> after <see cref="Now"/>.</summary>
    int StartTimer(TimeSpan delay);

    /// <summary>Cancels a pending timer: it will not fire. Unknown or fired timers are ignored.</summary>
    void CancelTimer(int timerId);

    /// <summary>Waits for one external event called <paramref name="name"/>: the next one raised (or the oldest one
    /// already buffered, delivered right after this step) arrives as <see cref="EventRaised"/>, and the wait ends.
    /// Waiting again for a name already waited for changes nothing.</summary>
    void WaitForEvent(string name);

    /// <inheritdoc cref="WaitForEvent(string)"/>
    void WaitForEvent<TPayload>(ExternalEvent<TPayload> externalEvent);

    /// <summary>Ends a wait (e.g. when its timeout timer fired); events of that name are buffered again.</summary>
    void StopWaitingForEvent(string name);

    /// <summary>Sets the status shown to clients (JSON-serialized with the workflow's options).</summary>
    void SetCustomStatus<TStatus>(TStatus customStatus);

    /// <summary>Registers how to undo what this step did: if the workflow later compensates
    /// (<see cref="Compensate"/>, or <see cref="Fail"/>), <paramref name="activity"/> runs with
    /// <paramref name="input"/>, after the compensations registered later and before those registered earlier.</summary>
    void OnCompensate<TActivityInput, TActivityOutput>(
        Activity<TActivityInput, TActivityOutput> activity, TActivityInput input, RetryPolicy? retry = null);

    /// <summary>Runs the registered compensations, newest first and one at a time, then delivers <see cref="Compensated"/>.
    /// The registrations are used up; the workflow goes on running meanwhile.</summary>
    void Compensate();

    /// <summary>Ends the instance as Completed with <paramref name="output"/>. Outstanding calls and timers are abandoned;
    /// registered compensations are dropped.</summary>
    void Complete(TOutput output);

    /// <summary>Ends the instance as Failed with <paramref name="reason"/>, after running the registered compensations
    /// (newest first). Outstanding calls, timers and waits are abandoned.</summary>
    void Fail(string reason);

    /// <summary>Ends this generation and starts the next with <paramref name="input"/>, under the same instance id: the
    /// workflow starts over (<see cref="Workflow{TInput,TState,TOutput}.Start"/>) with a fresh, short history.
    /// Buffered external events carry over; outstanding calls, timers, waits and compensations do not.</summary>
    void ContinueAsNew(TInput input);
}
