using System.Buffers.Binary;
using System.Text;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>Writes a record payload front to back; running out of room throws <see cref="ArgumentException"/>.</summary>
internal ref struct PayloadWriter(Span<byte> payload)
{
    private readonly Span<byte> _payload = payload;
    private int _position;

    public readonly bool IsFull => _position == _payload.Length;

    public void WriteByte(byte value) => Advance(1)[0] = value;

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Advance(sizeof(int)), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Advance(sizeof(long)), value);

    public void WriteGuid(Guid value)
    {
        if (!value.TryWriteBytes(Advance(16)))
        {
            throw new ArgumentException("No room for a GUID.");
        }
    }

    /// <summary>A string as its UTF-8 byte count (16 bits) and bytes.</summary>
    public void WriteName(string value)
    {
        var lengthField = Advance(sizeof(ushort));
        var written = Encoding.UTF8.GetBytes(value, _payload[_position..]);
        BinaryPrimitives.WriteUInt16LittleEndian(lengthField, checked((ushort)written));
        _position += written;
    }

    /// <summary>Bytes as their count (32 bits) and themselves.</summary>
    public void WriteBlob(ReadOnlySpan<byte> value)
    {
        WriteInt32(value.Length);
        value.CopyTo(Advance(value.Length));
    }

    private Span<byte> Advance(int count)
    {
        var span = _payload.Slice(_position, count);
        _position += count;
        return span;
    }
}

/// <summary>Reads a record payload front to back; anything out of bounds is <see cref="InvalidDataException"/>.</summary>
internal ref struct PayloadReader(ReadOnlySpan<byte> payload)
{
    private readonly ReadOnlySpan<byte> _payload = payload;
    private int _position;

    public readonly int Position => _position;

    public readonly bool IsAtEnd => _position == _payload.Length;

    public byte ReadByte() => Take(1)[0];

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(sizeof(ushort)));

    public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(sizeof(long)));

    public Guid ReadGuid() => new(Take(16));

    /// <summary>The UTF-8 bytes of a name written by <see cref="PayloadWriter.WriteName"/>.</summary>
    public ReadOnlySpan<byte> ReadName()
    {
        var length = ReadUInt16();
        if (length > Limits.MaxNameBytes)
        {
            throw new InvalidDataException($"a name of {length} bytes is longer than any the store writes.");
        }

        return Take(length);
    }

    /// <summary>The bytes of a blob written by <see cref="PayloadWriter.WriteBlob"/>, as (offset, length) in the payload.</summary>
    public (int Offset, int Length) ReadBlob()
    {
        var length = ReadInt32();
        if (length < 0)
        {
            throw new InvalidDataException($"a blob cannot be {length} bytes long.");
        }

        var offset = _position;
        Take(length);
        return (offset, length);
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _payload.Length - _position)
        {
            throw new InvalidDataException($"the payload ends at byte {_payload.Length}, before a field of {count} bytes at byte {_position}.");
        }

        var span = _payload.Slice(_position, count);
        _position += count;
        return span;
    }
}
