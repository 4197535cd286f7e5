using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// An external event's signature: its name and payload type, shared by the workflow that waits for it
/// (<see cref="IWorkflowContext{TInput,TOutput}.WaitForEvent{TPayload}"/>, <see cref="EventRaised.PayloadAs{TPayload}"/>)
/// and the code that raises it (<see cref="WorkflowClient.RaiseEventAsync{TPayload}"/>).
/// </summary>
public sealed class ExternalEvent<TPayload>
{
    private readonly JsonTypeInfo<TPayload> _payload;

    public ExternalEvent(string name, JsonSerializerOptions? json = null)
    {
        Name = Names.Check(name, "event name");
        _payload = WorkflowJson.TypeInfo<TPayload>(json);
    }

    public string Name { get; }

    public override string ToString() => Name;

    internal byte[] Write(TPayload payload) => WorkflowJson.Write(payload, _payload);

    internal TPayload Read(ReadOnlySpan<byte> json) => WorkflowJson.Read(json, _payload);
}
