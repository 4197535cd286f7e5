using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using AstraTrade.Application.Ports;

namespace AstraTrade.Orchestrations.Runtime;

// The events of an instance's stream (wf-{instanceId}-{generation}). Every transition of an instance appends some of
// these in one append. Names are versioned and never reused: the log is the audit trail and is read forever.
// User payloads (inputs, states, results, outputs) are embedded as raw JSON, so the history reads as plain JSON.

/// <summary>UTF-8 JSON embedded as is in a runtime event.</summary>
[JsonConverter(typeof(RawJsonConverter))]
internal sealed class RawJson(byte[] utf8)
{
    public static RawJson Null { get; } = new("null"u8.ToArray());

    public byte[] Utf8 { get; } = utf8;
}

internal sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonMarshal.GetRawUtf8Value(document.RootElement).ToArray());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
}

internal sealed record CallData(int Id, string Activity, RawJson Input, RetryPolicy? Retry);

internal sealed record TimerData(int Id, DateTimeOffset Due);

internal sealed record CompensationData(string Activity, RawJson Input, RetryPolicy? Retry);

internal sealed record BufferedEventData(string Name, RawJson Payload, DateTimeOffset At);

/// <summary>A <see cref="WorkflowMessage"/> as stored.</summary>
internal sealed record MessageData(
    string Kind,
    int? CallId = null,
    string? Activity = null,
    RawJson? Result = null,
    string? Error = null,
    int? Attempts = null,
    int? TimerId = null,
    DateTimeOffset? Due = null,
    string? Name = null,
    RawJson? Payload = null,
    List<CompensationFailure>? Failures = null)
{
    public const string ActivityCompletedKind = "activity-completed";
    public const string ActivityFailedKind = "activity-failed";
    public const string TimerFiredKind = "timer-fired";
    public const string EventRaisedKind = "event-raised";
    public const string CompensatedKind = "compensated";

    public static MessageData From(WorkflowMessage message) => message switch
    {
        ActivityCompleted m => new(ActivityCompletedKind, CallId: m.CallId, Activity: m.ActivityName, Result: new RawJson(m.Result.ToArray())),
        ActivityFailed m => new(ActivityFailedKind, CallId: m.CallId, Activity: m.ActivityName, Error: m.Error, Attempts: m.Attempts),
        TimerFired m => new(TimerFiredKind, TimerId: m.TimerId, Due: m.DueTime),
        EventRaised m => new(EventRaisedKind, Name: m.Name, Payload: new RawJson(m.Payload.ToArray())),
        Compensated m => new(CompensatedKind, Failures: [.. m.Failures]),
        _ => throw new ArgumentException($"Unknown message {message.GetType().Name}.", nameof(message)),
    };

    public WorkflowMessage ToMessage() => Kind switch
    {
        ActivityCompletedKind => new ActivityCompleted(CallId!.Value, Activity!, (Result ?? RawJson.Null).Utf8),
        ActivityFailedKind => new ActivityFailed(CallId!.Value, Activity!, Error ?? string.Empty, Attempts ?? 0),
        TimerFiredKind => new TimerFired(TimerId!.Value, Due!.Value),
        EventRaisedKind => new EventRaised(Name!, (Payload ?? RawJson.Null).Utf8),
        CompensatedKind => new Compensated(Failures ?? []),
        _ => throw new InvalidOperationException($"Unknown stored message kind '{Kind}'."),
    };
}

/// <summary>The instance (or, after continue-as-new, its next generation) was created.</summary>
/// <param name="CreatedTime">When the instance was first created; kept across generations.</param>
/// <param name="Events">External events carried over from the previous generation, still buffered.</param>
internal sealed record InstanceCreated(
    DateTimeOffset At, string Name, RawJson Input, string? Owner, DateTimeOffset CreatedTime, List<BufferedEventData>? Events);

/// <summary>The workflow ran one step: <see cref="Message"/> (null for Start) produced <see cref="State"/> and these commands.</summary>
/// <param name="Held">The message was taken from those held while suspended.</param>
internal sealed record StepApplied(
    DateTimeOffset At,
    MessageData? Message,
    bool Held,
    RawJson State,
    List<CallData>? Calls,
    List<TimerData>? Timers,
    List<int>? CancelledTimers,
    List<string>? Waits,
    List<string>? StoppedWaits,
    RawJson? CustomStatus,
    List<CompensationData>? Compensations);

/// <summary>Attempt <see cref="FailedAttempt"/> of a call failed; the next starts at <see cref="NextAttemptAt"/>.</summary>
internal sealed record ActivityRetryScheduled(DateTimeOffset At, int CallId, int FailedAttempt, string Error, DateTimeOffset NextAttemptAt);

/// <summary>An external event arrived and is buffered until the workflow waits for it.</summary>
internal sealed record EventReceived(DateTimeOffset At, string Name, RawJson Payload);

/// <summary>A message arrived while the instance was suspended; it is delivered after the resume.</summary>
internal sealed record MessageHeld(DateTimeOffset At, MessageData Message);

internal sealed record InstanceSuspended(DateTimeOffset At, string? Reason);

/// <param name="Status">The status the instance returned to (Pending if it had not started, else Running).</param>
internal sealed record InstanceResumed(DateTimeOffset At, string? Reason, WorkflowRuntimeStatus Status);

internal sealed record InstanceTerminated(DateTimeOffset At, string? Reason);

internal sealed record InstanceCompleted(DateTimeOffset At, RawJson Output);

internal sealed record InstanceFailed(DateTimeOffset At, string Reason);

/// <summary>Compensation began: <see cref="Compensations"/> run in this order (newest registration first).</summary>
/// <param name="FailReason">Set when the workflow failed: the instance fails with it once compensation is over.</param>
internal sealed record CompensationStarted(DateTimeOffset At, string? FailReason, List<CompensationData> Compensations);

/// <summary>Compensation moved on: a compensation call ended (with an error if it failed for good), the next started.</summary>
/// <param name="Held">The ended call's result was taken from those held while suspended.</param>
internal sealed record CompensationAdvanced(
    DateTimeOffset At, int? FinishedCallId, string? FinishedActivity, string? Error, bool Held, int? StartedCallId);

/// <summary>This generation ended; the next one starts with <see cref="Input"/> and the buffered <see cref="Events"/>.</summary>
internal sealed record ContinuedAsNew(DateTimeOffset At, RawJson Input, List<BufferedEventData>? Events);

/// <summary>The instance was purged: the API no longer knows it; its id may be used again (in a new generation).</summary>
internal sealed record InstancePurged(DateTimeOffset At);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(InstanceCreated))]
[JsonSerializable(typeof(StepApplied))]
[JsonSerializable(typeof(ActivityRetryScheduled))]
[JsonSerializable(typeof(EventReceived))]
[JsonSerializable(typeof(MessageHeld))]
[JsonSerializable(typeof(InstanceSuspended))]
[JsonSerializable(typeof(InstanceResumed))]
[JsonSerializable(typeof(InstanceTerminated))]
[JsonSerializable(typeof(InstanceCompleted))]
[JsonSerializable(typeof(InstanceFailed))]
[JsonSerializable(typeof(CompensationStarted))]
[JsonSerializable(typeof(CompensationAdvanced))]
[JsonSerializable(typeof(ContinuedAsNew))]
[JsonSerializable(typeof(InstancePurged))]
[JsonSerializable(typeof(WorkItem))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;

/// <summary>The stored name of each runtime event, and its (de)serialization.</summary>
internal static class RuntimeEvents
{
    public const string Prefix = "workflow.";

    private static readonly (string Name, JsonTypeInfo Info)[] All =
    [
        ("workflow.created.v1", RuntimeJsonContext.Default.InstanceCreated),
        ("workflow.step.v1", RuntimeJsonContext.Default.StepApplied),
        ("workflow.activity-retry-scheduled.v1", RuntimeJsonContext.Default.ActivityRetryScheduled),
        ("workflow.event-received.v1", RuntimeJsonContext.Default.EventReceived),
        ("workflow.message-held.v1", RuntimeJsonContext.Default.MessageHeld),
        ("workflow.suspended.v1", RuntimeJsonContext.Default.InstanceSuspended),
        ("workflow.resumed.v1", RuntimeJsonContext.Default.InstanceResumed),
        ("workflow.terminated.v1", RuntimeJsonContext.Default.InstanceTerminated),
        ("workflow.completed.v1", RuntimeJsonContext.Default.InstanceCompleted),
        ("workflow.failed.v1", RuntimeJsonContext.Default.InstanceFailed),
        ("workflow.compensation-started.v1", RuntimeJsonContext.Default.CompensationStarted),
        ("workflow.compensation-advanced.v1", RuntimeJsonContext.Default.CompensationAdvanced),
        ("workflow.continued-as-new.v1", RuntimeJsonContext.Default.ContinuedAsNew),
        ("workflow.purged.v1", RuntimeJsonContext.Default.InstancePurged),
    ];

    private static readonly FrozenDictionary<string, JsonTypeInfo> ByName = All.ToFrozenDictionary(x => x.Name, x => x.Info);
    private static readonly FrozenDictionary<Type, string> NameByType = All.ToFrozenDictionary(x => x.Info.Type, x => x.Name);

    public static string Created => All[0].Name;

    public static string Step => All[1].Name;

    public static string Resumed => All[6].Name;

    public static string Terminated => All[7].Name;

    public static string Completed => All[8].Name;

    public static string Failed => All[9].Name;

    public static string Suspended => All[5].Name;

    public static string ContinuedAsNew => All[12].Name;

    public static string Purged => All[13].Name;

    public static string NameOf(object runtimeEvent) => NameByType[runtimeEvent.GetType()];

    /// <summary>"step" for "workflow.step.v1": the name a history shows.</summary>
    public static string ShortName(string type)
    {
        var start = type.StartsWith(Prefix, StringComparison.Ordinal) ? Prefix.Length : 0;
        var end = type.LastIndexOf(".v", StringComparison.Ordinal);
        return end > start ? type[start..end] : type[start..];
    }

    public static EventData Serialize(object runtimeEvent)
    {
        var name = NameOf(runtimeEvent);
        return new EventData(Guid.CreateVersion7(), name, JsonSerializer.SerializeToUtf8Bytes(runtimeEvent, ByName[name]));
    }

    /// <summary>The runtime event, or null for an event that is not one (the stream holds nothing else, but be lenient).</summary>
    public static object? Deserialize(RecordedEvent recorded) =>
        ByName.TryGetValue(recorded.Type, out var info) ? JsonSerializer.Deserialize(recorded.Data.Span, info) : null;

    public static bool IsRuntimeEvent(string type) => ByName.ContainsKey(type);
}
