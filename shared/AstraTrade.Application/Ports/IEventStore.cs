namespace AstraTrade.Application.Ports;

/// <summary>
/// The write side of the event-sourced core (ARCHITECTURE.md §3). A stream holds one aggregate's events;
/// versions are 1-based and dense (the first event of a stream has version 1). An append is atomic:
/// all of its events become visible together or none do, and once the call returns they are durable.
/// </summary>
public interface IEventStore
{
    /// <summary>
    /// Appends <paramref name="events"/> if the stream is at <paramref name="expectedVersion"/>
    /// (<see cref="ExpectedVersion.NoStream"/> for a new stream, <see cref="ExpectedVersion.Any"/> to skip the check).
    /// </summary>
    /// <exception cref="WrongExpectedVersionException">The stream moved on; reload, decide again, retry.</exception>
    ValueTask<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxCount"/> events with version ≥ <paramref name="fromVersion"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="maxCount"/> events with version ≤ <paramref name="fromVersion"/>, newest first
    /// (<see cref="long.MaxValue"/> starts at the end). Used for paged histories.</summary>
    ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamBackwardAsync(
        string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default);
}

public static class ExpectedVersion
{
    /// <summary>Append whatever the stream's version is.</summary>
    public const long Any = -1;

    /// <summary>The stream must not exist yet.</summary>
    public const long NoStream = 0;
}

/// <summary>An event to append. The store assigns its version and time.</summary>
/// <param name="Data">UTF-8 JSON.</param>
public sealed record EventData(Guid EventId, string Type, ReadOnlyMemory<byte> Data);

/// <summary>An event as stored.</summary>
/// <param name="TraceParent">The W3C trace context the append was made in, when that trace was being recorded
/// (Diagnostics/TraceContext.cs): stores capture it from the caller, so work the feed causes joins the trace.</param>
public sealed record RecordedEvent(
    string StreamId, long Version, Guid EventId, string Type, ReadOnlyMemory<byte> Data, DateTimeOffset RecordedAt, string? TraceParent = null);

/// <param name="Version">The stream's version after the append (the version of its last event).</param>
/// <param name="Checkpoint">A feed checkpoint at or after the appended events: reading the feed past it never
/// returns them, reading up to it always does.</param>
public readonly record struct AppendResult(long Version, FeedCheckpoint Checkpoint);

public sealed class WrongExpectedVersionException(string streamId, long expectedVersion, long actualVersion)
    : Exception($"Stream '{streamId}' is at version {actualVersion}, not {expectedVersion}.")
{
    public string StreamId { get; } = streamId;

    public long ExpectedVersion { get; } = expectedVersion;

    public long ActualVersion { get; } = actualVersion;
}
