using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Tests;

/// <summary>
/// What one step of a workflow asked for, recorded instead of carried out, so a state machine can be tested step by
/// step without a host. Call and timer ids continue from <paramref name="nextCallId"/> and <paramref name="nextTimerId"/>,
/// as the runtime numbers them within a generation.
/// </summary>
internal sealed class RecordingContext<TInput, TOutput>(string instanceId, DateTimeOffset now, int nextCallId, int nextTimerId)
    : IWorkflowContext<TInput, TOutput>
{
    private int _nextCallId = nextCallId;
    private int _nextTimerId = nextTimerId;

    public string InstanceId => instanceId;

    public int Generation => 1;

    public DateTimeOffset Now => now;

    public List<(int Id, string Activity, object? Input)> Calls { get; } = [];

    public List<(int Id, DateTimeOffset Due)> Timers { get; } = [];

    public List<int> CancelledTimers { get; } = [];

    public List<string> Waits { get; } = [];

    public List<string> StoppedWaits { get; } = [];

    public object? CustomStatus { get; private set; }

    public bool Completed { get; private set; }

    public TOutput? Output { get; private set; }

    public string? FailReason { get; private set; }

    public int NextCallId => _nextCallId;

    public int NextTimerId => _nextTimerId;

    public Guid NewGuid() => throw new NotSupportedException("Not used by the workflows under test.");

    public int CallActivity<TActivityInput, TActivityOutput>(Activity<TActivityInput, TActivityOutput> activity, TActivityInput input, RetryPolicy? retry = null)
    {
        var id = _nextCallId++;
        Calls.Add((id, activity.Name, input));
        return id;
    }

    public int StartTimer(DateTimeOffset dueTime)
    {
        var id = _nextTimerId++;
        Timers.Add((id, dueTime));
        return id;
    }

    public int StartTimer(TimeSpan delay) => StartTimer(now + delay);

    public void CancelTimer(int timerId) => CancelledTimers.Add(timerId);

    public void WaitForEvent(string name) => Waits.Add(name);

    public void WaitForEvent<TPayload>(ExternalEvent<TPayload> externalEvent) => Waits.Add(externalEvent.Name);

    public void StopWaitingForEvent(string name) => StoppedWaits.Add(name);

    public void SetCustomStatus<TStatus>(TStatus customStatus) => CustomStatus = customStatus;

    public List<(string Activity, object? Input)> Compensations { get; } = [];

    public void OnCompensate<TActivityInput, TActivityOutput>(Activity<TActivityInput, TActivityOutput> activity, TActivityInput input, RetryPolicy? retry = null) =>
        Compensations.Add((activity.Name, input));

    public void Compensate() => throw new NotSupportedException("Not used by the workflows under test.");

    public void Complete(TOutput output)
    {
        Completed = true;
        Output = output;
    }

    public void Fail(string reason) => FailReason = reason;

    public void ContinueAsNew(TInput input) => throw new NotSupportedException("Not used by the workflows under test.");
}
