using System.Collections.Concurrent;
using System.Text;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// Where an event's bytes are in the event log, packed into one long (offset in the high 40 bits, length in the low
/// 24) because the index holds one per event.
/// </summary>
internal readonly struct EventLocation
{
    public const long MaxOffset = (1L << 40) - 1;

    public const int MaxLength = (1 << 24) - 1;

    private readonly long _packed;

    public EventLocation(long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, MaxOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        _packed = (offset << 24) | (uint)length;
    }

    public long Offset => _packed >>> 24;

    public int Length => (int)(_packed & MaxLength);

    public long End => Offset + Length;
}

/// <summary>One stream: event i (from 0) has version i + 1.</summary>
internal sealed class StreamEntry(string id)
{
    public string Id { get; } = id;

    public AppendOnlyList<EventLocation> Events { get; } = new();
}

/// <summary>The event at global position p is <c>Stream.Events[Index]</c>.</summary>
internal readonly record struct EventRef(StreamEntry Stream, int Index)
{
    public EventLocation Location => Stream.Events[Index];

    public long Version => Index + 1L;
}

/// <summary>
/// The in-memory indexes of the event log: each stream's event locations, and the global positions in commit order.
/// Both are derived from record bytes by <see cref="Stage"/>, the same code on open and on every write, so the
/// index after a restart is exactly the index before it. One writer stages and publishes; readers see the published.
/// </summary>
internal sealed class EventIndex
{
    private readonly ConcurrentDictionary<string, StreamEntry> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StreamEntry>.AlternateLookup<ReadOnlySpan<char>> _streamsByChars;
    private readonly AppendOnlyList<EventRef> _all = new();
    private int _streamCount;

    public EventIndex() => _streamsByChars = _streams.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The global position of the last published event (0 when there is none).</summary>
    public long Head => _all.Count;

    /// <summary>The global position the next staged event gets. Writer only.</summary>
    public long NextPosition => _all.StagedCount + 1L;

    public int StreamCount => Volatile.Read(ref _streamCount);

    /// <summary>A stream that has events (or, for the writer, staged events).</summary>
    public StreamEntry? FindStream(string streamId) => _streams.GetValueOrDefault(streamId);

    /// <summary>The event at <paramref name="position"/>, 1 ≤ position ≤ <see cref="Head"/>.</summary>
    public EventRef At(long position) => _all[checked((int)(position - 1))];

    /// <summary>Stages the events of one append record and returns their stream. Writer only.</summary>
    /// <exception cref="InvalidDataException">The record does not continue the stream or the global sequence.</exception>
    public StreamEntry Stage(long payloadOffset, ReadOnlySpan<byte> payload)
    {
        var record = new EventRecordReader(payload);
        var stream = GetOrAddStream(record.StreamId);
        var events = stream.Events;
        if (record.FirstVersion != events.StagedCount + 1L)
        {
            throw new InvalidDataException(
                $"stream '{stream.Id}' is at version {events.StagedCount}, but the record appends version {record.FirstVersion}.");
        }

        while (record.TryReadEvent(out var offsetInPayload, out var length, out var position))
        {
            if (position != NextPosition)
            {
                throw new InvalidDataException($"the next global position is {NextPosition}, but the record holds {position}.");
            }

            if (length > EventLocation.MaxLength)
            {
                throw new InvalidDataException($"an event of {length} bytes is larger than the index can address.");
            }

            events.Stage(new EventLocation(payloadOffset + offsetInPayload, length));
            _all.Stage(new EventRef(stream, events.StagedCount - 1));
        }

        return stream;
    }

    /// <summary>Makes the staged events of <paramref name="stream"/> readable by stream. Writer only.</summary>
    public void Publish(StreamEntry stream)
    {
        if (stream.Events.Count == 0 && stream.Events.StagedCount > 0)
        {
            Volatile.Write(ref _streamCount, _streamCount + 1);
        }

        stream.Events.Publish();
    }

    /// <summary>Moves the head to the last staged event. Writer only, after publishing those events' streams, so a
    /// reader that finds a position can always resolve it.</summary>
    public void PublishHead() => _all.Publish();

    private StreamEntry GetOrAddStream(ReadOnlySpan<byte> utf8Id)
    {
        Span<char> chars = stackalloc char[Encoding.UTF8.GetMaxCharCount(utf8Id.Length)];
        var id = chars[..Encoding.UTF8.GetChars(utf8Id, chars)];
        if (_streamsByChars.TryGetValue(id, out var stream))
        {
            return stream;
        }

        stream = new StreamEntry(id.ToString());
        _streams[stream.Id] = stream;
        return stream;
    }
}
