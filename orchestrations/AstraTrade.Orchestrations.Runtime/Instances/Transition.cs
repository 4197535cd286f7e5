using AstraTrade.Application.Ports;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// One transition of an instance, decided on a copy of its state: the runtime events to append (all in one append,
/// to the generation's stream, at the expected version) and the work to enqueue once they are stored. Each event is
/// applied to <see cref="Working"/> as it is added, so later decisions see earlier ones.
/// </summary>
internal sealed class Transition
{
    /// <summary>More steps than this in one transition continue in the next (a run item is enqueued).</summary>
    private const int MaxStepsPerTransition = 100;

    private readonly WorkflowRegistry _registry;

    private Transition(InstanceState working, long expectedVersion, DateTimeOffset now, WorkflowRegistry registry)
    {
        Working = working;
        ExpectedVersion = expectedVersion;
        Now = now;
        _registry = registry;
    }

    public InstanceState Working { get; }

    public long ExpectedVersion { get; }

    public DateTimeOffset Now { get; }

    public List<object> Events { get; } = [];

    public List<ScheduledWork> Work { get; } = [];

    /// <summary>Ends with continue-as-new: the next generation must be created after this append.</summary>
    public bool ContinuesAsNew => Working.Continuation is not null && Events.Exists(e => e is ContinuedAsNew);

    public static Transition Of(InstanceState current, DateTimeOffset now, WorkflowRegistry registry) =>
        new(current.Clone(), current.Version, now, registry);

    public static Transition NewGeneration(string instanceId, int generation, DateTimeOffset now, WorkflowRegistry registry) =>
        new(new InstanceState(instanceId, generation), Application.Ports.ExpectedVersion.NoStream, now, registry);

    public void Add(object runtimeEvent)
    {
        Working.Apply(runtimeEvent);
        Events.Add(runtimeEvent);
    }

    public void Enqueue(WorkItem item, DateTimeOffset visibleAt) => Work.Add(new ScheduledWork(item, visibleAt));

    public void EnqueueRun() => Enqueue(WorkItem.Run(Working.InstanceId, Working.Generation), Now);

    /// <summary>Creates the instance (or generation) and asks for its first step.</summary>
    public void Create(string name, byte[] input, string? owner, DateTimeOffset createdTime, List<BufferedEventData>? carriedEvents)
    {
        Add(new InstanceCreated(Now, name, new RawJson(input), owner, createdTime, carriedEvents is { Count: > 0 } ? carriedEvents : null));
        EnqueueRun();
    }

    /// <summary>Runs whatever can run now: the first step, held messages (in order), compensations, awaited buffered events.</summary>
    public void Drain()
    {
        for (var steps = 0; steps < MaxStepsPerTransition; steps++)
        {
            var w = Working;
            if (!w.IsActive)
            {
                return;
            }

            if (w.Status == WorkflowRuntimeStatus.Pending)
            {
                RunStep(null, held: false);
            }
            else if (w.Held.Count > 0)
            {
                Deliver(w.Held[0], held: true);
            }
            else if (w.Compensation is { CurrentCallId: null } run)
            {
                AdvanceCompensation(run);
            }
            else if (w.Buffered.Find(b => w.Waits.Contains(b.Name)) is { } buffered)
            {
                RunStep(new MessageData(MessageData.EventRaisedKind, Name: buffered.Name, Payload: buffered.Payload), held: false);
            }
            else
            {
                return;
            }
        }

        EnqueueRun();
    }

    /// <summary>An attempt of a call ended: deliver the result, or schedule the next attempt, or deliver the failure.
    /// Nothing happens for a call that is no longer pending or an attempt that is not the current one.</summary>
    public void OnActivityResult(int callId, int attempt, byte[]? result, string? error)
    {
        var w = Working;
        if (!w.Calls.TryGetValue(callId, out var call) || call.Attempt != attempt)
        {
            return;
        }

        MessageData message;
        if (error is null)
        {
            message = new MessageData(MessageData.ActivityCompletedKind, CallId: callId, Activity: call.Activity, Result: new RawJson(result!));
        }
        else
        {
            if ((call.Retry ?? RetryPolicy.None).NextAttemptAt(attempt, call.ScheduledAt, Now) is { } next)
            {
                Add(new ActivityRetryScheduled(Now, callId, attempt, error, next));
                Enqueue(WorkItem.ActivityAttempt(w.InstanceId, w.Generation, callId, attempt + 1), next);
                return;
            }

            message = new MessageData(MessageData.ActivityFailedKind, CallId: callId, Activity: call.Activity, Error: error, Attempts: attempt);
        }

        Receive(message);
    }

    /// <summary>Fails a call at once, whatever its retry policy (its message is poison).</summary>
    public void FailCall(int callId, string error)
    {
        if (Working.Calls.TryGetValue(callId, out var call))
        {
            Receive(new MessageData(MessageData.ActivityFailedKind, CallId: callId, Activity: call.Activity, Error: error, Attempts: call.Attempt));
        }
    }

    /// <summary>A timer is due (the caller checked the time): deliver it once, if it is still pending.</summary>
    public void OnTimerDue(int timerId)
    {
        if (Working.Timers.TryGetValue(timerId, out var due) && due <= Now)
        {
            Receive(new MessageData(MessageData.TimerFiredKind, TimerId: timerId, Due: due));
        }
    }

    /// <summary>Buffers an external event; asks for a run if the workflow waits for it.</summary>
    public void ReceiveEvent(string name, byte[] payload)
    {
        Add(new EventReceived(Now, name, new RawJson(payload)));
        if (Working.IsActive && Working.Waits.Contains(name))
        {
            EnqueueRun();
        }
    }

    /// <summary>Fails the instance (after its compensations) unless it has already finished.</summary>
    public void FailInstance(string reason)
    {
        if (!Working.IsFinished && Working.Continuation is null)
        {
            Fail(reason);
        }
    }

    private void Receive(MessageData message)
    {
        if (Working.Status == WorkflowRuntimeStatus.Suspended)
        {
            Add(new MessageHeld(Now, message));
            return;
        }

        Deliver(message, held: false);
        Drain();
    }

    private void Deliver(MessageData message, bool held)
    {
        var w = Working;
        var isCompensationResult = message.CallId is { } callId
                                   && message.Kind is MessageData.ActivityCompletedKind or MessageData.ActivityFailedKind
                                   && w.Compensation?.CurrentCallId == callId;
        if (isCompensationResult)
        {
            // One event ends this compensation call and starts the next, if any.
            int? next = w.Compensation!.Remaining.Count > 0 ? w.NextCallId : null;
            var error = message.Kind == MessageData.ActivityFailedKind ? message.Error ?? "failed" : null;
            Add(new CompensationAdvanced(Now, message.CallId, message.Activity, error, held, next));
            if (next is { } nextCallId)
            {
                Enqueue(WorkItem.ActivityAttempt(w.InstanceId, w.Generation, nextCallId, 1), Now);
            }
        }
        else
        {
            RunStep(message, held);
        }
    }

    private void AdvanceCompensation(CompensationRun run)
    {
        if (run.Remaining.Count > 0)
        {
            var callId = Working.NextCallId;
            Add(new CompensationAdvanced(Now, null, null, null, Held: false, StartedCallId: callId));
            Enqueue(WorkItem.ActivityAttempt(Working.InstanceId, Working.Generation, callId, 1), Now);
        }
        else if (run.FailReason is { } reason)
        {
            var failures = run.Failures.Count == 0
                ? string.Empty
                : $" (compensation failed: {string.Join("; ", run.Failures.Select(f => $"{f.ActivityName}: {f.Error}"))})";
            Add(new InstanceFailed(Now, reason + failures));
        }
        else
        {
            RunStep(new MessageData(MessageData.CompensatedKind, Failures: [.. run.Failures]), held: false);
        }
    }

    private void RunStep(MessageData? message, bool held)
    {
        var w = Working;
        if (_registry.FindWorkflow(w.Name) is not { } workflow)
        {
            Fail($"The workflow '{w.Name}' is not registered in this host.");
            return;
        }

        var step = new StepBuilder(w, Now, message?.Kind == MessageData.EventRaisedKind ? message.Name : null);
        StepOutcome outcome;
        try
        {
            outcome = message is null
                ? workflow.Start(w.Input, step)
                : workflow.Handle(w.StateObject, w.State, message.ToMessage(), step);
        }
#pragma warning disable CA1031 // A workflow's exception fails its instance, whatever it is.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail($"The workflow threw {ex.GetType().Name}: {ex.Message}");
            return;
        }

        Add(new StepApplied(
            Now,
            message,
            held,
            new RawJson(outcome.StateJson),
            step.Calls,
            step.Timers,
            step.CancelledTimers,
            step.Waits,
            step.StoppedWaits,
            step.CustomStatus is { } status ? new RawJson(status) : null,
            step.Compensations));
        w.StateObject = outcome.State;

        foreach (var call in step.Calls ?? [])
        {
            Enqueue(WorkItem.ActivityAttempt(w.InstanceId, w.Generation, call.Id, 1), Now);
        }

        foreach (var timer in step.Timers ?? [])
        {
            Enqueue(WorkItem.Timer(w.InstanceId, w.Generation, timer.Id, timer.Due), timer.Due);
        }

        switch (step.Ending)
        {
            case StepEnding.Complete:
                Add(new InstanceCompleted(Now, new RawJson(step.EndingJson!)));
                break;
            case StepEnding.Fail:
                Fail(step.FailReason!);
                break;
            case StepEnding.ContinueAsNew:
                Add(new ContinuedAsNew(Now, new RawJson(step.EndingJson!), w.Buffered.Count > 0 ? [.. w.Buffered] : null));
                break;
            default:
                if (step.CompensateRequested)
                {
                    Add(new CompensationStarted(Now, null, NewestFirst(w.Compensations)));
                }

                break;
        }
    }

    /// <summary>Fails now, or first compensates what was registered (newest first).</summary>
    private void Fail(string reason)
    {
        var w = Working;
        if (w.Compensations.Count == 0 && w.Compensation is null)
        {
            Add(new InstanceFailed(Now, reason));
            return;
        }

        var remaining = NewestFirst(w.Compensations);
        remaining.AddRange(w.Compensation?.Remaining ?? []);
        Add(new CompensationStarted(Now, reason, remaining));
    }

    private static List<CompensationData> NewestFirst(List<CompensationData> registered)
    {
        var list = new List<CompensationData>(registered);
        list.Reverse();
        return list;
    }
}
