using System.Text.Json;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// A place in the change feed of the events container. The change feed can only resume after a whole page of items
/// (its continuation token), and one item holds several events, while a feed page of the port holds at most the number
/// of events asked for. So a checkpoint is the continuation token a page was read from (null for the beginning), how many
/// of that page's events were already delivered, and the id of the last one delivered:
/// <c>{"c":"&lt;continuation&gt;"}</c> after a whole page, <c>{"c":"…","s":3,"e":"&lt;event id&gt;"}</c> within one.
/// Reading from a token again yields the same items first (events are never updated, and later changes come after them),
/// so skipping <c>s</c> events continues exactly; the event id guards against a page that changed shape (a partition
/// split): then the page is delivered from the event after it, or again from its start, which at-least-once allows.
/// </summary>
internal readonly record struct CosmosFeedCheckpoint(string? Continuation, int Skip, Guid LastEventId)
{
    public static FeedCheckpoint After(string? continuation) =>
        continuation is null ? FeedCheckpoint.Start : Write(new CosmosFeedCheckpoint(continuation, 0, Guid.Empty));

    public static FeedCheckpoint Within(string? continuation, int skip, Guid lastEventId) =>
        Write(new CosmosFeedCheckpoint(continuation, skip, lastEventId));

    /// <exception cref="ArgumentException">Not a checkpoint of this store.</exception>
    public static CosmosFeedCheckpoint Parse(FeedCheckpoint checkpoint, string paramName)
    {
        if (checkpoint.IsStart)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(checkpoint.Value);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("c", out var c) && c.ValueKind is JsonValueKind.String or JsonValueKind.Null)
            {
                var continuation = c.GetString();
                if (!root.TryGetProperty("s", out var s))
                {
                    if (continuation is not null)
                    {
                        return new CosmosFeedCheckpoint(continuation, 0, Guid.Empty);
                    }
                }
                else if (s.TryGetInt32(out var skip) && skip > 0 && root.TryGetProperty("e", out var e) && e.TryGetGuid(out var eventId))
                {
                    return new CosmosFeedCheckpoint(continuation, skip, eventId);
                }
            }
        }
        catch (JsonException)
        {
        }

        throw new ArgumentException(
            $"'{checkpoint.Value}' is not a checkpoint of the Cosmos DB event store (they are JSON objects holding a change-feed continuation).",
            paramName);
    }

    private static FeedCheckpoint Write(CosmosFeedCheckpoint checkpoint)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("c", checkpoint.Continuation);
            if (checkpoint.Skip > 0)
            {
                writer.WriteNumber("s", checkpoint.Skip);
                writer.WriteString("e", checkpoint.LastEventId);
            }

            writer.WriteEndObject();
        }

        return new FeedCheckpoint(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
