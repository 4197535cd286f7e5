using System.Security.Cryptography;
using System.Text;

namespace AstraTrade.Orchestrations.Runtime;

internal enum StepEnding
{
    None,
    Complete,
    Fail,
    ContinueAsNew,
}

/// <summary>Collects one step's commands (see <see cref="IWorkflowContext{TInput,TOutput}"/>); nothing is carried out
/// until the step is stored.</summary>
/// <param name="deliveredEvent">The name of the event this step delivers: its wait ends with this step.</param>
internal sealed class StepBuilder(InstanceState instance, DateTimeOffset now, string? deliveredEvent)
{
    private int _guids;

    public string InstanceId => instance.InstanceId;

    public int Generation => instance.Generation;

    public DateTimeOffset Now { get; } = now;

    public List<CallData>? Calls { get; private set; }

    public List<TimerData>? Timers { get; private set; }

    public List<int>? CancelledTimers { get; private set; }

    public List<string>? Waits { get; private set; }

    public List<string>? StoppedWaits { get; private set; }

    public byte[]? CustomStatus { get; private set; }

    public List<CompensationData>? Compensations { get; private set; }

    public bool CompensateRequested { get; private set; }

    public StepEnding Ending { get; private set; }

    /// <summary>The output (Complete) or the next generation's input (ContinueAsNew).</summary>
    public byte[]? EndingJson { get; private set; }

    public string? FailReason { get; private set; }

    public Guid NewGuid()
    {
        // Deterministic: the same instance, generation, step and count give the same id, however often the step runs.
        var seed = Encoding.UTF8.GetBytes($"{instance.InstanceId}/{instance.Generation}/{instance.Steps}/{_guids++}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(seed, hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant 10
        return new Guid(bytes, bigEndian: true);
    }

    public int CallActivity(string activity, byte[] input, RetryPolicy? retry)
    {
        retry?.Validate();
        var id = instance.NextCallId + (Calls?.Count ?? 0);
        (Calls ??= []).Add(new CallData(id, activity, new RawJson(input), retry));
        return id;
    }

    public int StartTimer(DateTimeOffset dueTime)
    {
        var id = instance.NextTimerId + (Timers?.Count ?? 0);
        (Timers ??= []).Add(new TimerData(id, dueTime.ToUniversalTime()));
        return id;
    }

    public void CancelTimer(int timerId)
    {
        if (Timers?.RemoveAll(t => t.Id == timerId) > 0)
        {
            return;
        }

        if (instance.Timers.ContainsKey(timerId) || instance.Held.Exists(h => h.TimerId == timerId))
        {
            (CancelledTimers ??= []).Add(timerId);
        }
    }

    public void WaitForEvent(string name)
    {
        StoppedWaits?.Remove(name);
        var waiting = instance.Waits.Contains(name) && name != deliveredEvent;
        if (!waiting && !(Waits?.Contains(name) ?? false))
        {
            (Waits ??= []).Add(name);
        }
    }

    public void StopWaitingForEvent(string name)
    {
        Waits?.Remove(name);
        if (instance.Waits.Contains(name) && name != deliveredEvent)
        {
            (StoppedWaits ??= []).Add(name);
        }
    }

    public void SetCustomStatus(byte[] json) => CustomStatus = json;

    public void OnCompensate(string activity, byte[] input, RetryPolicy? retry)
    {
        retry?.Validate();
        (Compensations ??= []).Add(new CompensationData(activity, new RawJson(input), retry));
    }

    public void Compensate()
    {
        if (instance.Compensation is not null)
        {
            throw new InvalidOperationException("A compensation is already running; wait for its Compensated message.");
        }

        CompensateRequested = true;
    }

    public void End(StepEnding ending, byte[]? json, string? failReason)
    {
        if (Ending != StepEnding.None)
        {
            throw new InvalidOperationException($"The step already ended the instance ({Ending}); a step can end it once.");
        }

        Ending = ending;
        EndingJson = json;
        FailReason = failReason;
    }
}
