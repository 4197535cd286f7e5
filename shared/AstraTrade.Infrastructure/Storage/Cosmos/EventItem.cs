using System.Globalization;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// One append as the events container stores it: a single item, so the append is atomic without a transactional batch.
/// <code>
/// { "id": "3",                       // the stream version the append follows: two appends based on one version collide
///   "stream": "account-…",           // the partition key
///   "kind": "append",
///   "first": 4, "last": 5,           // the versions it holds
///   "recordedAt": "2026-11-21T10:15:00.1234567+00:00",
///   "traceparent": "00-…-…-01",      // only when the append was made in a recorded trace (RecordedEvent.TraceParent)
///   "events": [ { "id": "…guid…", "type": "order-placed", "data": "{\"…\":…}" }, … ] }
/// </code>
/// An event's data is kept as a JSON string, not as embedded JSON: Cosmos DB stores numbers as doubles and rewrites
/// JSON text, so embedded decimals (money) would lose precision and the bytes would not come back as written.
/// </summary>
internal sealed record EventItem(string StreamId, long First, long Last, DateTimeOffset RecordedAt, IReadOnlyList<RecordedEvent> Events)
{
    public const string Kind = "append";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The item id of the append that follows <paramref name="version"/>.</summary>
    public static string IdFor(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>Encodes an append of <paramref name="events"/> to a stream at version <paramref name="basis"/>.</summary>
    /// <exception cref="ArgumentException">An event's data is not UTF-8.</exception>
    public static byte[] Encode(string streamId, long basis, IReadOnlyList<EventData> events, DateTimeOffset recordedAt, string? traceParent = null)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", IdFor(basis));
            writer.WriteString("stream", streamId);
            writer.WriteString("kind", Kind);
            writer.WriteNumber("first", basis + 1);
            writer.WriteNumber("last", basis + events.Count);
            writer.WriteString("recordedAt", recordedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            if (traceParent is not null)
            {
                writer.WriteString("traceparent", traceParent);
            }

            writer.WriteStartArray("events");
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                string data;
                try
                {
                    data = StrictUtf8.GetString(e.Data.Span);
                }
                catch (DecoderFallbackException ex)
                {
                    throw new ArgumentException($"Event {i}'s data is not UTF-8 (events carry UTF-8 JSON).", nameof(events), ex);
                }

                writer.WriteStartObject();
                writer.WriteString("id", e.EventId);
                writer.WriteString("type", e.Type);
                writer.WriteString("data", data);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads an item of the events container; null when it is not an append (or not one this code wrote).</summary>
    public static EventItem? TryDecode(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || !item.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != Kind
            || !item.TryGetProperty("stream", out var stream) || stream.ValueKind != JsonValueKind.String
            || !item.TryGetProperty("first", out var first) || !first.TryGetInt64(out var firstVersion)
            || !item.TryGetProperty("last", out var last) || !last.TryGetInt64(out var lastVersion)
            || !item.TryGetProperty("recordedAt", out var recorded) || recorded.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParseExact(recorded.GetString(), "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var recordedAt)
            || !item.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array
            || events.GetArrayLength() != lastVersion - firstVersion + 1 || firstVersion < 1)
        {
            return null;
        }

        var streamId = stream.GetString()!;
        var traceParent = item.TryGetProperty("traceparent", out var trace) && trace.ValueKind == JsonValueKind.String ? trace.GetString() : null;
        var recordedEvents = new RecordedEvent[events.GetArrayLength()];
        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object
                || !e.TryGetProperty("id", out var id) || !id.TryGetGuid(out var eventId)
                || !e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !e.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            recordedEvents[index] = new RecordedEvent(
                streamId, firstVersion + index, eventId, type.GetString()!, Encoding.UTF8.GetBytes(data.GetString()!), recordedAt, traceParent);
            index++;
        }

        return new EventItem(streamId, firstVersion, lastVersion, recordedAt, recordedEvents);
    }

    /// <summary>The items of a query or change-feed answer (<c>{"Documents": [...]}</c>) that are appends, in order.</summary>
    public static List<EventItem> DecodeAll(Stream content)
    {
        using var document = JsonDocument.Parse(content);
        var items = new List<EventItem>();
        if (document.RootElement.TryGetProperty("Documents", out var documents) && documents.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in documents.EnumerateArray())
            {
                if (TryDecode(element) is { } item)
                {
                    items.Add(item);
                }
            }
        }

        return items;
    }

    /// <summary>Whether this stored append holds exactly these events (a retry of it, whose acknowledgement was lost).</summary>
    public bool HoldsExactly(IReadOnlyList<EventData> events)
    {
        if (Events.Count != events.Count)
        {
            return false;
        }

        for (var i = 0; i < events.Count; i++)
        {
            if (Events[i].EventId != events[i].EventId)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Checks an append before it is encoded, with the embedded store's rules for names.</summary>
    public static void Validate(string streamId, long expectedVersion, IReadOnlyList<EventData> events)
    {
        Limits.CheckName(streamId, "stream id", nameof(streamId));
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        for (var i = 0; i < events.Count; i++)
        {
            var data = events[i] ?? throw new ArgumentException($"Event {i} is null.", nameof(events));
            if (data.EventId == Guid.Empty)
            {
                throw new ArgumentException($"Event {i} has an empty EventId; event ids identify retries, so each must be unique.", nameof(events));
            }

            Limits.CheckName(data.Type, "event type", nameof(events));
        }
    }
}
