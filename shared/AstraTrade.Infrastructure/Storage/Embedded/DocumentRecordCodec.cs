using System.Text;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The payloads of documents.log (integers little-endian, names UTF-8 after a 16-bit byte count):
/// <code>
/// put:    kind 0x01 (1) | sequence (8) | collection (2 + C) | id (2 + I) | body length (4) | body
/// delete: kind 0x02 (1) | sequence (8) | collection (2 + C) | id (2 + I)
/// floor:  kind 0x03 (1) | sequence (8)
/// </code>
/// The sequence numbers every write store-wide and is the document's ETag. A compacted log drops deletes, so it ends
/// with a floor record carrying the highest sequence ever issued: without it, a later write could reissue an ETag
/// that a deleted document once had, and a stale IfMatch would succeed.
/// </summary>
internal static class DocumentRecordCodec
{
    public const byte PutKind = 1;
    public const byte DeleteKind = 2;
    public const byte FloorKind = 3;

    /// <param name="keyBytes">UTF-8 bytes of the collection and the id together.</param>
    public static int MeasurePut(int keyBytes, int bodyLength) => MeasureDelete(keyBytes) + 4 + bodyLength;

    /// <param name="keyBytes">UTF-8 bytes of the collection and the id together.</param>
    public static int MeasureDelete(int keyBytes) => 1 + 8 + 2 + 2 + keyBytes;

    public static int MeasureFloor() => 1 + 8;

    public static void EncodePut(Span<byte> payload, long sequence, DocumentKey key, ReadOnlySpan<byte> body)
    {
        var writer = Begin(payload, PutKind, sequence, key);
        writer.WriteBlob(body);
    }

    public static void EncodeDelete(Span<byte> payload, long sequence, DocumentKey key) => Begin(payload, DeleteKind, sequence, key);

    public static void EncodeFloor(Span<byte> payload, long sequence)
    {
        var writer = new PayloadWriter(payload);
        writer.WriteByte(FloorKind);
        writer.WriteInt64(sequence);
    }

    /// <summary>Decodes a record of any kind; <see cref="DocumentRecord.Body"/> is a copy, set for puts only.</summary>
    public static DocumentRecord Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new PayloadReader(payload);
        var kind = reader.ReadByte();
        var sequence = reader.ReadInt64();
        if (kind == FloorKind)
        {
            return End(ref reader, new DocumentRecord(kind, sequence, default, null));
        }

        if (kind is not (PutKind or DeleteKind))
        {
            throw new InvalidDataException($"record kind {kind} is not a document record.");
        }

        var key = new DocumentKey(Encoding.UTF8.GetString(reader.ReadName()), Encoding.UTF8.GetString(reader.ReadName()));
        if (kind == DeleteKind)
        {
            return End(ref reader, new DocumentRecord(kind, sequence, key, null));
        }

        var (offset, length) = reader.ReadBlob();
        return End(ref reader, new DocumentRecord(kind, sequence, key, payload.Slice(offset, length).ToArray()));
    }

    private static PayloadWriter Begin(Span<byte> payload, byte kind, long sequence, DocumentKey key)
    {
        var writer = new PayloadWriter(payload);
        writer.WriteByte(kind);
        writer.WriteInt64(sequence);
        writer.WriteName(key.Collection);
        writer.WriteName(key.Id);
        return writer;
    }

    private static DocumentRecord End(ref PayloadReader reader, DocumentRecord record) =>
        reader.IsAtEnd ? record : throw new InvalidDataException("the record has bytes after its last field.");
}

internal readonly record struct DocumentKey(string Collection, string Id);

internal readonly record struct DocumentRecord(byte Kind, long Sequence, DocumentKey Key, byte[]? Body);
