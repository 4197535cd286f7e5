using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// A queue message: a nudge telling a worker what to look at. It carries ids only; what to do is decided against the
/// instance's stored state, so a duplicate or stale message does nothing (deliveries are at least once). It may also
/// carry the trace context it was enqueued in (<see cref="TraceParent"/>), so the step or activity it causes joins the
/// trace of the request that started the workflow.
/// </summary>
internal sealed record WorkItem(
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("i")] string InstanceId,
    [property: JsonPropertyName("g")] int Generation,
    [property: JsonPropertyName("c")] int? CallId = null,
    [property: JsonPropertyName("n")] int? Attempt = null,
    [property: JsonPropertyName("t")] int? TimerId = null,
    [property: JsonPropertyName("d")] DateTimeOffset? Due = null,
    [property: JsonPropertyName("p")] string? TraceParent = null)
{
    /// <summary>Run whatever the instance can run now: its first step, held messages, buffered events awaited.</summary>
    public const string RunKind = "run";

    /// <summary>Run attempt <see cref="Attempt"/> of call <see cref="CallId"/>.</summary>
    public const string ActivityKind = "activity";

    /// <summary>Timer <see cref="TimerId"/> is due at <see cref="Due"/>.</summary>
    public const string TimerKind = "timer";

    public static WorkItem Run(string instanceId, int generation) => new(RunKind, instanceId, generation);

    public static WorkItem ActivityAttempt(string instanceId, int generation, int callId, int attempt) =>
        new(ActivityKind, instanceId, generation, CallId: callId, Attempt: attempt);

    public static WorkItem Timer(string instanceId, int generation, int timerId, DateTimeOffset due) =>
        new(TimerKind, instanceId, generation, TimerId: timerId, Due: due);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, RuntimeJsonContext.Default.WorkItem);

    /// <summary>The item, or null when <paramref name="body"/> is not one (such a message is poison).</summary>
    public static WorkItem? TryParse(ReadOnlySpan<byte> body)
    {
        try
        {
            var item = JsonSerializer.Deserialize(body, RuntimeJsonContext.Default.WorkItem);
            return item is { InstanceId: not null, Kind: RunKind or ActivityKind or TimerKind } && item.Generation > 0
                   && (item.Kind != ActivityKind || item is { CallId: not null, Attempt: not null })
                   && (item.Kind != TimerKind || item is { TimerId: not null, Due: not null })
                ? item
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>A work item to enqueue once the transition that produced it is stored.</summary>
internal readonly record struct ScheduledWork(WorkItem Item, DateTimeOffset VisibleAt);
