using System.Diagnostics;

namespace AstraTrade.Application.Diagnostics;

/// <summary>
/// W3C trace contexts carried across the hops that are not HTTP calls: stored with events (RecordedEvent.TraceParent),
/// on workflow work items and on integration events (the CloudEvents <c>traceparent</c> extension), so that what a
/// request causes later (a workflow step, a feed reaction, an Event Grid consumer) joins the request's trace.
/// </summary>
public static class TraceContext
{
    /// <summary>The current activity's <c>traceparent</c> when its trace is being recorded; null otherwise (nothing
    /// is carried for traces nobody keeps).</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Recorded: true } activity ? activity.Id : null;

    /// <summary>The context a stored <c>traceparent</c> names, or default when it is absent or malformed.</summary>
    public static ActivityContext Parse(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}

/// <summary>The app's own activity source and meter (OpenTelemetry picks both up by name, Functions/Platform/Telemetry.cs).</summary>
public static class AstraTradeDiagnostics
{
    public const string Name = "AstraTrade";

    public static readonly ActivitySource Source = new(Name);

    public static readonly System.Diagnostics.Metrics.Meter Meter = new(Name);
}
