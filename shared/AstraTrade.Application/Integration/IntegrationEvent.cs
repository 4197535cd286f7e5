using System.Text.Json;

namespace AstraTrade.Application.Integration;

/// <summary>
/// An integration event as a consumer receives it: a CloudEvents 1.0 envelope (ARCHITECTURE.md §4) with its JSON data.
/// <see cref="Id"/> is stable across redeliveries (it is derived from the stored event), so consumers deduplicate by it.
/// </summary>
/// <param name="Type">One of <c>AstraTrade.Contracts.Events.IntegrationEventTypes</c>.</param>
/// <param name="Subject">What the event is about, e.g. <c>users/{userId:N}</c>.</param>
/// <param name="TraceParent">The W3C trace context of the stored event it came from (the CloudEvents <c>traceparent</c>
/// extension on the wire), so a consumer's work joins the trace of what caused it.</param>
public sealed record IntegrationEvent(
    string Id, string Type, string Source, string? Subject, DateTimeOffset Time, JsonElement Data, string? TraceParent = null);
