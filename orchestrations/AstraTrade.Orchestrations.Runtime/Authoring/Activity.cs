using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// An activity's signature: its name and the types of its input and result. Workflows call activities through it
/// (<see cref="IWorkflowContext{TInput,TOutput}.CallActivity{TActivityInput,TActivityOutput}"/>), and a host
/// registers its implementation with <see cref="WorkflowRegistry.AddActivity{TInput,TOutput}"/>. Declare each once,
/// as a static field, so the workflow and the implementation share it:
/// <code>public static readonly Activity&lt;ReserveMargin, Reservation&gt; Reserve = new("trading.reserve-margin");</code>
/// The name is stored with every call: never rename an activity that running workflows may still call.
/// </summary>
public sealed class Activity<TInput, TOutput>
{
    private readonly JsonTypeInfo<TInput> _input;
    private readonly JsonTypeInfo<TOutput> _output;

    /// <param name="name">Unique among the host's activities; letters, digits and <c>.-_:</c>.</param>
    /// <param name="json">The serializer options for the input and result; <see cref="WorkflowJson.DefaultOptions"/> when null.</param>
    public Activity(string name, JsonSerializerOptions? json = null)
    {
        Name = Names.Check(name, "activity name");
        _input = WorkflowJson.TypeInfo<TInput>(json);
        _output = WorkflowJson.TypeInfo<TOutput>(json);
    }

    public string Name { get; }

    public override string ToString() => Name;

    internal byte[] WriteInput(TInput input) => WorkflowJson.Write(input, _input);

    internal TInput ReadInput(ReadOnlySpan<byte> json) => WorkflowJson.Read(json, _input);

    internal byte[] WriteOutput(TOutput output) => WorkflowJson.Write(output, _output);

    internal TOutput ReadOutput(ReadOnlySpan<byte> json) => WorkflowJson.Read(json, _output);
}

/// <summary>
/// What an activity implementation knows about the call it serves. An activity runs at least once per call (a crash
/// or a lost lease can run an attempt again), so its side effects must be idempotent: key them with
/// <see cref="IdempotencyKey"/>, which is the same for every attempt and every redelivery of one call.
/// </summary>
public sealed class ActivityContext
{
    internal ActivityContext(
        string instanceId, int generation, int callId, int attempt, DateTimeOffset scheduledAt, bool isCompensation, CancellationToken cancellationToken)
    {
        InstanceId = instanceId;
        Generation = generation;
        CallId = callId;
        Attempt = attempt;
        ScheduledAt = scheduledAt;
        IsCompensation = isCompensation;
        CancellationToken = cancellationToken;
        IdempotencyKey = $"{instanceId}/{generation}/{callId}";
    }

    public string InstanceId { get; }

    /// <summary>The instance's generation (1, then one more after each continue-as-new).</summary>
    public int Generation { get; }

    /// <summary>The call's id within the generation.</summary>
    public int CallId { get; }

    /// <summary>1 for the first attempt, 2 for the first retry, …; a redelivered attempt keeps its number.</summary>
    public int Attempt { get; }

    /// <summary>"{instanceId}/{generation}/{callId}": one per call, whatever the attempt or delivery.</summary>
    public string IdempotencyKey { get; }

    /// <summary>When the workflow scheduled the call.</summary>
    public DateTimeOffset ScheduledAt { get; }

    /// <summary>True when the call undoes an earlier step (<see cref="IWorkflowContext{TInput,TOutput}.OnCompensate{TActivityInput,TActivityOutput}"/>).</summary>
    public bool IsCompensation { get; }

    /// <summary>Cancelled when the host stops; the attempt then runs again later.</summary>
    public CancellationToken CancellationToken { get; }
}
