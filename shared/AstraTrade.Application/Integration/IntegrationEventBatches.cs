using System.Buffers;
using System.Text.Json;

namespace AstraTrade.Application.Integration;

/// <summary>
/// Splits events, in order, into publish requests within <see cref="IntegrationRelayOptions"/>: a request is a JSON
/// array of CloudEvents, so its size is the brackets, the commas and each event's envelope.
/// </summary>
public static class IntegrationEventBatches
{
    /// <summary>Room for how an SDK may write an envelope differently from <see cref="EncodedSize"/> (another time
    /// format, escaping, spacing): a request is cut this much per event below the limit.</summary>
    public const int SlackPerEvent = 64;

    /// <exception cref="InvalidOperationException">One event alone is over the request size limit: it can never be
    /// published, so it is refused here with its id rather than sent to fail at the topic.</exception>
    public static IEnumerable<IReadOnlyList<IntegrationEvent>> Split(IReadOnlyList<IntegrationEvent> events, IntegrationRelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        var chunk = new List<IntegrationEvent>();
        long bytes = 2; // [ ]
        foreach (var e in events)
        {
            var size = EncodedSize(e) + SlackPerEvent;
            if (2 + size > options.MaxRequestBytes)
            {
                throw new InvalidOperationException(
                    $"Integration event {e.Id} ({e.Type}) takes {size} bytes; a request may take {options.MaxRequestBytes}.");
            }

            var separator = chunk.Count == 0 ? 0 : 1;
            if (chunk.Count == options.MaxEventsPerRequest || bytes + separator + size > options.MaxRequestBytes)
            {
                yield return chunk;
                chunk = [];
                bytes = 2;
                separator = 0;
            }

            chunk.Add(e);
            bytes += separator + size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>The UTF-8 size of the event as a CloudEvents 1.0 JSON envelope with JSON data.</summary>
    public static int EncodedSize(IntegrationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCloudEvent(writer, e);
        }

        return buffer.WrittenCount;
    }

    /// <summary>Writes the CloudEvents 1.0 JSON form of <paramref name="e"/> (structured mode, JSON data).</summary>
    private static void WriteCloudEvent(Utf8JsonWriter writer, IntegrationEvent e)
    {
        writer.WriteStartObject();
        writer.WriteString("specversion", "1.0");
        writer.WriteString("id", e.Id);
        writer.WriteString("source", e.Source);
        writer.WriteString("type", e.Type);
        writer.WriteString("time", e.Time);
        if (e.Subject is not null)
        {
            writer.WriteString("subject", e.Subject);
        }

        writer.WriteString("datacontenttype", "application/json");
        writer.WritePropertyName("data");
        e.Data.WriteTo(writer);
        writer.WriteEndObject();
    }
}
