using System.Buffers.Binary;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The framing of every log file in the data directory. A file is the 8 bytes <c>"ASTRLOG" 0x01</c>
/// (format version 1) followed by records, each a 16-byte header and its payload (integers little-endian):
/// <code>
/// offset size field
///  0     1    marker 0xAE: a record starts here (zero-filled or foreign bytes fail at once)
///  1     1    flags: bit 0 set on the first record of a group-commit write; other bits 0
///  2     2    reserved, 0
///  4     4    payload length L, 1 ≤ L ≤ MaxPayloadLength
///  8     4    CRC-32C of the payload
/// 12     4    CRC-32C of header bytes 0–11
/// 16     L    payload
/// </code>
/// The header checksum lets recovery test any offset for the start of a record without trusting a length first,
/// and the first-of-write flag lets it tell a torn final write from damage to acknowledged data
/// (see <see cref="RecordLogRecovery"/>).
/// </summary>
internal static class RecordFormat
{
    public const int FileHeaderLength = 8;

    public const int HeaderLength = 16;

    public const int MaxPayloadLength = 64 << 20;

    private const byte Marker = 0xAE;

    private const byte FirstOfWriteFlag = 1;

    public static ReadOnlySpan<byte> FileHeader => "ASTRLOG\u0001"u8;

    public static void WriteHeader(Span<byte> header, ReadOnlySpan<byte> payload, bool firstOfWrite)
    {
        header[0] = Marker;
        header[1] = firstOfWrite ? FirstOfWriteFlag : (byte)0;
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Compute(payload));
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32C.Compute(header[..12]));
    }

    /// <summary>Reads a header that is intact by its own checksum; says nothing yet about the payload.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out RecordHeader record)
    {
        record = default;
        if (header.Length < HeaderLength
            || header[0] != Marker
            || (header[1] & ~FirstOfWriteFlag) != 0
            || BinaryPrimitives.ReadUInt16LittleEndian(header[2..]) != 0
            || BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Crc32C.Compute(header[..12]))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        if (length is < 1 or > MaxPayloadLength)
        {
            return false;
        }

        record = new RecordHeader(length, BinaryPrimitives.ReadUInt32LittleEndian(header[8..]), header[1] == FirstOfWriteFlag);
        return true;
    }
}

internal readonly record struct RecordHeader(int PayloadLength, uint PayloadCrc, bool FirstOfWrite)
{
    public bool Matches(ReadOnlySpan<byte> payload) => payload.Length == PayloadLength && Crc32C.Compute(payload) == PayloadCrc;
}
