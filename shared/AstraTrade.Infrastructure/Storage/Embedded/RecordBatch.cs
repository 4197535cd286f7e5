namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The records of one group-commit write, framed back to back in one buffer so that they reach the file in a single
/// write. A record is added in two steps, <see cref="Reserve"/> then <see cref="Seal"/>; a reservation that is never
/// sealed is simply overwritten by the next one, so an encoder that gives up leaves nothing behind.
/// </summary>
internal sealed class RecordBatch
{
    private const int InitialCapacity = 64 << 10;
    private const int RetainedCapacity = 8 << 20;

    private byte[] _buffer = new byte[InitialCapacity];
    private int _length;
    private int _reservedAt = -1;
    private int _reservedLength;

    /// <summary>Where in the file the batch will be written.</summary>
    public long FileOffset { get; private set; }

    public int Length => _length;

    public bool IsEmpty => _length == 0;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public void Reset(long fileOffset)
    {
        if (_buffer.Length > RetainedCapacity)
        {
            _buffer = new byte[InitialCapacity];
        }

        FileOffset = fileOffset;
        _length = 0;
        _reservedAt = -1;
    }

    /// <summary>Reserves a record whose payload is exactly <paramref name="payloadLength"/> bytes and returns the
    /// payload to fill in; <paramref name="payloadOffset"/> is where that payload will lie in the file.</summary>
    public Span<byte> Reserve(int payloadLength, out long payloadOffset)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(payloadLength, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, RecordFormat.MaxPayloadLength);
        var end = _length + RecordFormat.HeaderLength + payloadLength;
        if (end > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(end, _buffer.Length * 2));
        }

        _reservedAt = _length;
        _reservedLength = payloadLength;
        payloadOffset = FileOffset + _length + RecordFormat.HeaderLength;
        return _buffer.AsSpan(_length + RecordFormat.HeaderLength, payloadLength);
    }

    /// <summary>Frames the reserved record, which then belongs to the batch.</summary>
    public void Seal()
    {
        if (_reservedAt < 0)
        {
            throw new InvalidOperationException("There is no reserved record to seal.");
        }

        var payload = _buffer.AsSpan(_reservedAt + RecordFormat.HeaderLength, _reservedLength);
        RecordFormat.WriteHeader(_buffer.AsSpan(_reservedAt, RecordFormat.HeaderLength), payload, firstOfWrite: _reservedAt == 0);
        _length = _reservedAt + RecordFormat.HeaderLength + _reservedLength;
        _reservedAt = -1;
    }

    /// <summary>Bytes of a sealed record of this batch, by file offset (the batch is not in the file yet).</summary>
    public ReadOnlySpan<byte> Read(long fileOffset, int length)
    {
        var start = fileOffset - FileOffset;
        ArgumentOutOfRangeException.ThrowIfNegative(start, nameof(fileOffset));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, _length, nameof(length));
        return _buffer.AsSpan((int)start, length);
    }
}
