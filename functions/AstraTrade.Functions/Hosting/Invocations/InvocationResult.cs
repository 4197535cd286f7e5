namespace AstraTrade.Functions.Hosting.Invocations;

/// <summary>
/// The custom handler's answer: <c>{"Outputs": {}, "Logs": [...], "ReturnValue": null}</c>. None of our non-HTTP
/// functions has an output binding (they write through the app's own ports), so Outputs is always empty; Logs show in
/// the host's invocation log. A non-2xx status fails the invocation, and the host retries it by the trigger's rules
/// (the queue redelivers, the change feed re-reads the batch, Event Grid retries with backoff).
/// </summary>
public sealed record InvocationResult(IReadOnlyDictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue)
{
    /// <summary>PascalCase property names, as the host's own payloads (the app's API JSON is camelCase).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions HostJson = new();

    public static InvocationResult Succeeded(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);

    public static InvocationResult Failed(params string[] logs) => new(new Dictionary<string, object?>(), logs, null);
}
