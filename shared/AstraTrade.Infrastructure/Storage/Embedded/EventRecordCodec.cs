using System.Buffers.Binary;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The payload of an append record in events.log (integers little-endian, names UTF-8 after a 16-bit byte count):
/// <code>
/// kind 0x01 or 0x02 (1) | stream id (2 + S) | version of the first event (8) | event count N (4) | N events
/// event: global position (8) | event id (16) | recorded at, UTC ticks (8) | type (2 + T) | data length (4) | data
///        [kind 0x02 only: trace parent (2 + P)]
/// </code>
/// Kind 0x02 carries the W3C trace context the append was made in (RecordedEvent.TraceParent), so that work the feed
/// causes joins the request's trace; kind 0x01 (no trace context) is what appends without one write, and what files
/// written before trace contexts hold. An event is self-contained from its global position onwards, so the index
/// points at it alone and a read fetches only its bytes.
/// </summary>
internal static class EventRecordCodec
{
    public const byte AppendKind = 1;

    public const byte TracedAppendKind = 2;

    /// <summary>The global position and event id, which the idempotency check reads, are an event's first bytes.</summary>
    public const int IdentityLength = IdOffset + 16;

    private const int IdOffset = 8;
    private const int RecordedAtOffset = IdOffset + 16;
    private const int TypeOffset = RecordedAtOffset + 8;
    private const int RecordOverhead = 1 + 2 + 8 + 4;
    private const int EventOverhead = TypeOffset + 2 + 4;

    public static int MeasureRecord(int streamIdBytes) => RecordOverhead + streamIdBytes;

    /// <param name="traceParentBytes">The trace parent's UTF-8 length, or -1 without one.</param>
    public static int MeasureEvent(int typeBytes, int dataLength, int traceParentBytes = -1) =>
        EventOverhead + typeBytes + dataLength + (traceParentBytes < 0 ? 0 : 2 + traceParentBytes);

    /// <summary>Writes an append into <paramref name="payload"/>, which must be exactly its measured size.</summary>
    /// <exception cref="ArgumentException">The events no longer have the size measured when they were queued.</exception>
    public static void Encode(
        Span<byte> payload, string streamId, long firstVersion, long firstPosition, long recordedAtTicks, IReadOnlyList<EventData> events,
        string? traceParent)
    {
        var writer = new PayloadWriter(payload);
        writer.WriteByte(traceParent is null ? AppendKind : TracedAppendKind);
        writer.WriteName(streamId);
        writer.WriteInt64(firstVersion);
        writer.WriteInt32(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var data = events[i];
            writer.WriteInt64(firstPosition + i);
            writer.WriteGuid(data.EventId);
            writer.WriteInt64(recordedAtTicks);
            writer.WriteName(data.Type);
            writer.WriteBlob(data.Data.Span);
            if (traceParent is not null)
            {
                writer.WriteName(traceParent);
            }
        }

        if (!writer.IsFull)
        {
            throw new ArgumentException("The events changed size while the append was queued.");
        }
    }

    /// <summary>The global position of an event, from the start of its slice.</summary>
    public static long ReadPosition(ReadOnlySpan<byte> eventStart) => BinaryPrimitives.ReadInt64LittleEndian(eventStart);

    /// <summary>The event id, from the start of its slice.</summary>
    public static Guid ReadEventId(ReadOnlySpan<byte> eventStart) => new(eventStart.Slice(IdOffset, 16));

    /// <summary>Decodes the event whose slice is <paramref name="buffer"/>[offset..offset+length]; its data stays in
    /// <paramref name="buffer"/> rather than being copied.</summary>
    public static RecordedEvent ReadEvent(byte[] buffer, int offset, int length, string streamId, long version, StringCache types)
    {
        var slice = buffer.AsSpan(offset, length);
        var eventId = ReadEventId(slice);
        var recordedAt = new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(slice[RecordedAtOffset..]), TimeSpan.Zero);
        var typeLength = BinaryPrimitives.ReadUInt16LittleEndian(slice[TypeOffset..]);
        var type = types.Get(slice.Slice(TypeOffset + 2, typeLength));
        var dataOffset = TypeOffset + 2 + typeLength + 4;
        var dataLength = BinaryPrimitives.ReadInt32LittleEndian(slice[(dataOffset - 4)..]);
        var traceOffset = dataOffset + dataLength;
        string? traceParent = null;
        if (traceOffset < length)
        {
            var traceLength = BinaryPrimitives.ReadUInt16LittleEndian(slice[traceOffset..]);
            traceParent = System.Text.Encoding.UTF8.GetString(slice.Slice(traceOffset + 2, traceLength));
        }

        return new RecordedEvent(streamId, version, eventId, type, buffer.AsMemory(offset + dataOffset, dataLength), recordedAt, traceParent);
    }
}

/// <summary>Walks an append record: its stream and first version, then each event's slice and global position.</summary>
internal ref struct EventRecordReader
{
    private PayloadReader _reader;
    private int _remaining;
    private readonly bool _traced;

    public EventRecordReader(ReadOnlySpan<byte> payload)
    {
        _reader = new PayloadReader(payload);
        var kind = _reader.ReadByte();
        if (kind is not (EventRecordCodec.AppendKind or EventRecordCodec.TracedAppendKind))
        {
            throw new InvalidDataException($"record kind {kind} is not an event append.");
        }

        _traced = kind == EventRecordCodec.TracedAppendKind;
        StreamId = _reader.ReadName();
        FirstVersion = _reader.ReadInt64();
        _remaining = _reader.ReadInt32();
        if (_remaining < 1)
        {
            throw new InvalidDataException($"an append holds at least one event, not {_remaining}.");
        }
    }

    public ReadOnlySpan<byte> StreamId { get; }

    public long FirstVersion { get; }

    /// <summary>The next event's slice (offset and length within the payload) and global position.</summary>
    public bool TryReadEvent(out int offset, out int length, out long position)
    {
        if (_remaining == 0)
        {
            if (!_reader.IsAtEnd)
            {
                throw new InvalidDataException("the record has bytes after its last event.");
            }

            (offset, length, position) = (0, 0, 0);
            return false;
        }

        offset = _reader.Position;
        position = _reader.ReadInt64();
        _reader.ReadGuid();
        _reader.ReadInt64();
        _reader.ReadName();
        _reader.ReadBlob();
        if (_traced)
        {
            _reader.ReadName();
        }

        length = _reader.Position - offset;
        _remaining--;
        return true;
    }
}
