namespace AstraTrade.Application.Ports;

/// <summary>
/// Every appended event, in commit order within each stream, resumable from a checkpoint (the change feed of
/// ARCHITECTURE.md §4). Consumers are at-least-once: after a crash they resume from their last saved checkpoint
/// and may see events again, so they must be idempotent.
/// </summary>
public interface IEventFeed
{
    /// <summary>Up to <paramref name="maxCount"/> events after <paramref name="after"/>, and the checkpoint to resume from.</summary>
    ValueTask<FeedPage> ReadFeedAsync(FeedCheckpoint after, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Completes when events after <paramref name="after"/> may be available (spurious wake-ups are allowed).</summary>
    ValueTask WaitForEventsAsync(FeedCheckpoint after, CancellationToken cancellationToken = default);
}

/// <summary>An opaque, store-specific resume token (a global position for the embedded store, a continuation
/// token for Cosmos). Persist it as a string; compare it only by handing it back to the feed.</summary>
public readonly record struct FeedCheckpoint(string Value)
{
    public static FeedCheckpoint Start { get; } = new(string.Empty);

    public bool IsStart => string.IsNullOrEmpty(Value);

    public override string ToString() => IsStart ? "<start>" : Value;
}

public sealed record FeedPage(IReadOnlyList<RecordedEvent> Events, FeedCheckpoint Next);
