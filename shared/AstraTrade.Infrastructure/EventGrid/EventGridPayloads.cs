using System.Text;
using System.Text.Json;
using AstraTrade.Application.Integration;

namespace AstraTrade.Infrastructure.EventGrid;

/// <summary>
/// Reads what Event Grid delivers into <see cref="IntegrationEvent"/>s: one event or a JSON array of them, each in the
/// CloudEvents 1.0 JSON format (our topic's schema) or the Event Grid event schema (which Event Grid's own
/// subscription-validation event uses). Everything the consumer relies on is checked, and a bad payload is refused
/// with an <see cref="IntegrationEventFormatException"/> naming the event and the field.
/// </summary>
public static class EventGridPayloads
{
    /// <summary>The Event Grid schema event that asks a webhook to prove it wants the subscription.</summary>
    public const string SubscriptionValidationEventType = "Microsoft.EventGrid.SubscriptionValidationEvent";

    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 64 };

    /// <exception cref="IntegrationEventFormatException">The payload is not JSON or holds something that is not an event.</exception>
    public static IReadOnlyList<IntegrationEvent> Parse(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json, Strict);
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new IntegrationEventFormatException($"The payload is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <exception cref="IntegrationEventFormatException">The element is not an event or an array of events.</exception>
    public static IReadOnlyList<IntegrationEvent> Parse(JsonElement payload)
    {
        switch (payload.ValueKind)
        {
            case JsonValueKind.Object:
                return [ParseEvent(payload, null)];
            case JsonValueKind.Array:
                var events = new List<IntegrationEvent>(payload.GetArrayLength());
                var index = 0;
                foreach (var element in payload.EnumerateArray())
                {
                    events.Add(ParseEvent(element, index++));
                }

                if (events.Count == 0)
                {
                    throw new IntegrationEventFormatException("The payload is an empty array: there is no event in it.");
                }

                return events;
            default:
                throw new IntegrationEventFormatException($"The payload must be an event object or an array of events, not {Kind(payload)}.");
        }
    }

    /// <summary>The code Event Grid expects back from a webhook, when <paramref name="e"/> is its validation event.</summary>
    public static bool TryGetValidationCode(IntegrationEvent e, out string code)
    {
        ArgumentNullException.ThrowIfNull(e);
        code = "";
        if (e.Type != SubscriptionValidationEventType)
        {
            return false;
        }

        if (e.Data.ValueKind != JsonValueKind.Object
            || !e.Data.TryGetProperty("validationCode", out var value)
            || value.ValueKind != JsonValueKind.String
            || string.IsNullOrEmpty(value.GetString()))
        {
            throw new IntegrationEventFormatException($"The subscription validation event {e.Id} has no 'data.validationCode' string.");
        }

        code = value.GetString()!;
        return true;
    }

    private static IntegrationEvent ParseEvent(JsonElement element, int? index)
    {
        var where = index is null ? "The event" : $"Event {index}";
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new IntegrationEventFormatException($"{where} must be a JSON object, not {Kind(element)}.");
        }

        var reader = new Fields(element, where);
        if (element.TryGetProperty("specversion", out _))
        {
            return CloudEvent(reader);
        }

        if (element.TryGetProperty("eventType", out _))
        {
            return EventGridEvent(reader);
        }

        throw new IntegrationEventFormatException(
            $"{where} is neither a CloudEvent (no 'specversion') nor an Event Grid event (no 'eventType').");
    }

    /// <summary>CloudEvents 1.0, JSON format: id, source, specversion and type are required; we require time too,
    /// because every event we publish has one and consumers order and report by it.</summary>
    private static IntegrationEvent CloudEvent(Fields fields)
    {
        var version = fields.RequiredString("specversion");
        if (version != "1.0")
        {
            throw fields.Error($"has specversion '{version}'; only CloudEvents 1.0 is accepted");
        }

        var id = fields.RequiredString("id");
        var source = fields.RequiredString("source");
        var type = fields.RequiredString("type");
        var time = fields.RequiredTime("time");
        var subject = fields.OptionalString("subject");
        var contentType = fields.OptionalString("datacontenttype");
        var data = CloudEventData(fields, contentType);
        return new IntegrationEvent(id, type, source, subject, time, data, fields.OptionalString("traceparent"));
    }

    private static JsonElement CloudEventData(Fields fields, string? contentType)
    {
        var json = contentType is null || IsJson(contentType);
        if (fields.Element.TryGetProperty("data_base64", out var base64))
        {
            if (fields.Element.TryGetProperty("data", out _))
            {
                throw fields.Error("has both 'data' and 'data_base64'");
            }

            if (!json)
            {
                throw fields.Error($"carries '{contentType}' data; only JSON data is accepted");
            }

            if (base64.ValueKind != JsonValueKind.String || !base64.TryGetBytesFromBase64(out var bytes))
            {
                throw fields.Error("has a 'data_base64' that is not base64");
            }

            try
            {
                using var decoded = JsonDocument.Parse(bytes, Strict);
                return decoded.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw fields.Error($"has 'data_base64' that is not JSON ({ex.Message})", ex);
            }
        }

        if (!json)
        {
            throw fields.Error($"carries '{contentType}' data; only JSON data is accepted");
        }

        return fields.Element.TryGetProperty("data", out var data) ? data.Clone() : Null();
    }

    /// <summary>The Event Grid event schema: id, eventType, eventTime required; the topic is the source.</summary>
    private static IntegrationEvent EventGridEvent(Fields fields)
    {
        var id = fields.RequiredString("id");
        var type = fields.RequiredString("eventType");
        var time = fields.RequiredTime("eventTime");
        var subject = fields.OptionalString("subject");
        var topic = fields.OptionalString("topic") ?? "";
        var data = fields.Element.TryGetProperty("data", out var value) ? value.Clone() : Null();
        return new IntegrationEvent(id, type, topic, subject, time, data);
    }

    private static bool IsJson(string contentType)
    {
        var mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase);
    }

    private static JsonElement Null()
    {
        using var document = JsonDocument.Parse("null"u8.ToArray());
        return document.RootElement.Clone();
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private readonly record struct Fields(JsonElement Element, string Where)
    {
        public string RequiredString(string name) =>
            OptionalString(name) is { Length: > 0 } value ? value : throw Error($"has no '{name}'");

        public string? OptionalString(string name)
        {
            if (!Element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Error($"has a '{name}' that is {Kind(value)}, not a string");
        }

        public DateTimeOffset RequiredTime(string name)
        {
            var text = RequiredString(name);
            return Element.GetProperty(name).TryGetDateTimeOffset(out var time)
                ? time
                : throw Error($"has a '{name}' that is not an RFC 3339 timestamp ('{Truncate(text)}')");
        }

        public IntegrationEventFormatException Error(string what, Exception? inner = null)
        {
            var id = Element.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? $" (id '{Truncate(value.GetString()!)}')" : "";
            return new IntegrationEventFormatException($"{Where}{id} {what}.", inner);
        }

        private static string Truncate(string text) => text.Length <= 64 ? text : new StringBuilder(text, 0, 64, 67).Append("...").ToString();
    }
}
