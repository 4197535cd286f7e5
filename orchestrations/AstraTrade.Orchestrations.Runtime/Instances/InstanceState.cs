namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// One generation of an instance, folded from its stream: status, the workflow's state, and everything outstanding
/// (calls, timers, waits, buffered events, held messages, compensations). A snapshot is never changed once published
/// (readers use it without a lock): a transition works on a <see cref="Clone"/>.
/// </summary>
internal sealed class InstanceState
{
    public InstanceState(string instanceId, int generation)
    {
        InstanceId = instanceId;
        Generation = generation;
    }

    public string InstanceId { get; }

    public int Generation { get; }

    /// <summary>The stream's version: the number of events folded.</summary>
    public long Version { get; set; }

    public string Name { get; private set; } = string.Empty;

    public byte[] Input { get; private set; } = [];

    public string? Owner { get; private set; }

    public DateTimeOffset CreatedTime { get; private set; }

    public DateTimeOffset LastUpdatedTime { get; private set; }

    public WorkflowRuntimeStatus Status { get; private set; }

    /// <summary>The first step has run (so a resume returns to Running, not Pending).</summary>
    public bool Started { get; private set; }

    /// <summary>The workflow's state as JSON, after the last step; null before the first.</summary>
    public byte[]? State { get; private set; }

    /// <summary>The same state as an object, when this process produced it (saves reading the JSON back).</summary>
    public object? StateObject { get; set; }

    public byte[]? CustomStatus { get; private set; }

    public byte[]? Output { get; private set; }

    /// <summary>Why the instance failed or was terminated.</summary>
    public string? Reason { get; private set; }

    public Dictionary<int, PendingCall> Calls { get; private set; } = [];

    public Dictionary<int, DateTimeOffset> Timers { get; private set; } = [];

    public List<string> Waits { get; private set; } = [];

    public List<BufferedEventData> Buffered { get; private set; } = [];

    public List<MessageData> Held { get; private set; } = [];

    /// <summary>Registered compensations, oldest first.</summary>
    public List<CompensationData> Compensations { get; private set; } = [];

    public CompensationRun? Compensation { get; private set; }

    public int NextCallId { get; private set; } = 1;

    public int NextTimerId { get; private set; } = 1;

    /// <summary>Steps run in this generation.</summary>
    public int Steps { get; private set; }

    /// <summary>Set when this generation ended with continue-as-new: the instance lives on in the next one.</summary>
    public ContinuedAsNew? Continuation { get; private set; }

    public bool Purged { get; private set; }

    public bool IsFinished => Status is WorkflowRuntimeStatus.Completed or WorkflowRuntimeStatus.Failed or WorkflowRuntimeStatus.Terminated;

    /// <summary>Steps can run: started or not, not suspended, not finished, not continued.</summary>
    public bool IsActive => Status is WorkflowRuntimeStatus.Pending or WorkflowRuntimeStatus.Running && Continuation is null && !Purged;

    public InstanceState Clone()
    {
        var copy = (InstanceState)MemberwiseClone();
        copy.Calls = new Dictionary<int, PendingCall>(Calls);
        copy.Timers = new Dictionary<int, DateTimeOffset>(Timers);
        copy.Waits = [.. Waits];
        copy.Buffered = [.. Buffered];
        copy.Held = [.. Held];
        copy.Compensations = [.. Compensations];
        copy.Compensation = Compensation?.Clone();
        return copy;
    }

    /// <summary>Applies one runtime event (the fold).</summary>
    public void Apply(object runtimeEvent)
    {
        switch (runtimeEvent)
        {
            case InstanceCreated e:
                Name = e.Name;
                Input = e.Input.Utf8;
                Owner = e.Owner;
                CreatedTime = e.CreatedTime;
                Status = WorkflowRuntimeStatus.Pending;
                Buffered = e.Events is null ? [] : [.. e.Events];
                Touch(e.At);
                break;
            case StepApplied e:
                ApplyStep(e);
                break;
            case ActivityRetryScheduled e:
                if (Calls.TryGetValue(e.CallId, out var retried))
                {
                    Calls[e.CallId] = retried with { Attempt = e.FailedAttempt + 1, NextAttemptAt = e.NextAttemptAt, LastError = e.Error };
                }

                Touch(e.At);
                break;
            case EventReceived e:
                Buffered.Add(new BufferedEventData(e.Name, e.Payload, e.At));
                Touch(e.At);
                break;
            case MessageHeld e:
                Held.Add(e.Message);
                ConsumeSource(e.Message);
                Touch(e.At);
                break;
            case InstanceSuspended e:
                Status = WorkflowRuntimeStatus.Suspended;
                Touch(e.At);
                break;
            case InstanceResumed e:
                Status = e.Status;
                Touch(e.At);
                break;
            case InstanceTerminated e:
                Status = WorkflowRuntimeStatus.Terminated;
                Reason = e.Reason;
                ClearOutstanding();
                Touch(e.At);
                break;
            case InstanceCompleted e:
                Status = WorkflowRuntimeStatus.Completed;
                Output = e.Output.Utf8;
                ClearOutstanding();
                Touch(e.At);
                break;
            case InstanceFailed e:
                Status = WorkflowRuntimeStatus.Failed;
                Reason = e.Reason;
                ClearOutstanding();
                Touch(e.At);
                break;
            case CompensationStarted e:
                ApplyCompensationStarted(e);
                break;
            case CompensationAdvanced e:
                ApplyCompensationAdvanced(e);
                break;
            case ContinuedAsNew e:
                Continuation = e;
                ClearOutstanding();
                Touch(e.At);
                break;
            case InstancePurged e:
                Purged = true;
                Touch(e.At);
                break;
        }
    }

    private void ApplyStep(StepApplied e)
    {
        Steps++;
        Started = true;
        if (Status == WorkflowRuntimeStatus.Pending)
        {
            Status = WorkflowRuntimeStatus.Running;
        }

        if (e.Message is { } message)
        {
            if (e.Held)
            {
                Held.RemoveAt(0);
            }
            else
            {
                ConsumeSource(message);
            }

            if (message.Kind == MessageData.CompensatedKind)
            {
                Compensation = null;
            }
        }

        State = e.State.Utf8;
        StateObject = null;
        foreach (var call in e.Calls ?? [])
        {
            Calls[call.Id] = new PendingCall(call.Id, call.Activity, call.Input.Utf8, call.Retry, e.At, 1, e.At, IsCompensation: false, LastError: null);
            NextCallId = Math.Max(NextCallId, call.Id + 1);
        }

        foreach (var timer in e.Timers ?? [])
        {
            Timers[timer.Id] = timer.Due;
            NextTimerId = Math.Max(NextTimerId, timer.Id + 1);
        }

        foreach (var timerId in e.CancelledTimers ?? [])
        {
            Timers.Remove(timerId);

            // A fire held while suspended does not outlive the timer's cancellation either.
            Held.RemoveAll(h => h.Kind == MessageData.TimerFiredKind && h.TimerId == timerId);
        }

        foreach (var name in e.Waits ?? [])
        {
            if (!Waits.Contains(name))
            {
                Waits.Add(name);
            }
        }

        foreach (var name in e.StoppedWaits ?? [])
        {
            Waits.Remove(name);
        }

        if (e.CustomStatus is { } customStatus)
        {
            CustomStatus = customStatus.Utf8;
        }

        Compensations.AddRange(e.Compensations ?? []);
        Touch(e.At);
    }

    /// <summary>A message taken for delivery: what it answers is no longer outstanding.</summary>
    private void ConsumeSource(MessageData message)
    {
        switch (message.Kind)
        {
            case MessageData.ActivityCompletedKind or MessageData.ActivityFailedKind:
                Calls.Remove(message.CallId!.Value);
                break;
            case MessageData.TimerFiredKind:
                Timers.Remove(message.TimerId!.Value);
                break;
            case MessageData.EventRaisedKind:
                Waits.Remove(message.Name!);
                var index = Buffered.FindIndex(b => b.Name == message.Name);
                if (index >= 0)
                {
                    Buffered.RemoveAt(index);
                }

                break;
        }
    }

    private void ApplyCompensationStarted(CompensationStarted e)
    {
        Compensations.Clear();
        Compensation = new CompensationRun(
            [.. e.Compensations],
            e.FailReason ?? Compensation?.FailReason,
            Compensation?.Failures ?? [],
            Compensation?.CurrentCallId);
        if (e.FailReason is not null)
        {
            // The workflow has decided to fail: only the compensation goes on.
            foreach (var call in Calls.Values.Where(c => !c.IsCompensation).ToList())
            {
                Calls.Remove(call.Id);
            }

            Timers.Clear();
            Waits.Clear();
            Held.RemoveAll(h => h.CallId is not { } id || id != Compensation.CurrentCallId);
        }

        Touch(e.At);
    }

    private void ApplyCompensationAdvanced(CompensationAdvanced e)
    {
        var run = Compensation!;
        if (e.FinishedCallId is { } finished)
        {
            if (e.Held)
            {
                Held.RemoveAt(0);
            }

            Calls.Remove(finished);
            run.CurrentCallId = null;
            if (e.Error is not null)
            {
                run.Failures.Add(new CompensationFailure(e.FinishedActivity ?? string.Empty, e.Error));
            }
        }

        if (e.StartedCallId is { } started)
        {
            var next = run.Remaining[0];
            run.Remaining.RemoveAt(0);
            run.CurrentCallId = started;
            Calls[started] = new PendingCall(started, next.Activity, next.Input.Utf8, next.Retry, e.At, 1, e.At, IsCompensation: true, LastError: null);
            NextCallId = Math.Max(NextCallId, started + 1);
        }

        Touch(e.At);
    }

    private void ClearOutstanding()
    {
        Calls.Clear();
        Timers.Clear();
        Waits.Clear();
        Held.Clear();
        Compensations.Clear();
        Compensation = null;
    }

    private void Touch(DateTimeOffset at) => LastUpdatedTime = at;
}

/// <summary>An activity call not yet answered.</summary>
/// <param name="ScheduledAt">When the workflow made the call; retry timeouts count from here.</param>
/// <param name="Attempt">The attempt to run next (or running).</param>
/// <param name="NextAttemptAt">When that attempt may start.</param>
internal sealed record PendingCall(
    int Id,
    string Activity,
    byte[] Input,
    RetryPolicy? Retry,
    DateTimeOffset ScheduledAt,
    int Attempt,
    DateTimeOffset NextAttemptAt,
    bool IsCompensation,
    string? LastError);

/// <summary>Compensations being run, one at a time.</summary>
internal sealed class CompensationRun(List<CompensationData> remaining, string? failReason, List<CompensationFailure> failures, int? currentCallId)
{
    public List<CompensationData> Remaining { get; } = remaining;

    /// <summary>Set when the instance fails once the compensations have run.</summary>
    public string? FailReason { get; } = failReason;

    public List<CompensationFailure> Failures { get; } = failures;

    public int? CurrentCallId { get; set; } = currentCallId;

    public CompensationRun Clone() => new([.. Remaining], FailReason, [.. Failures], CurrentCallId);
}
