using System.Collections.Concurrent;
using System.Globalization;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>A document as the store holds it: the latest version, its sequence (the ETag), and the size of the
/// record that wrote it, which is what compaction keeps.</summary>
internal sealed record DocumentEntry(StoredDocument Document, long Sequence, int RecordBytes)
{
    public static DocumentEntry Create(DocumentKey key, byte[] body, long sequence, int payloadLength) => new(
        new StoredDocument(key.Collection, key.Id, body, sequence.ToString(CultureInfo.InvariantCulture)),
        sequence,
        RecordFormat.HeaderLength + payloadLength);
}

/// <summary>
/// The latest version of every document, in memory (documents are small read models), built by replaying
/// documents.log and then kept current by the writer. Readers look up without locks; only the writer changes it.
/// </summary>
internal sealed class DocumentTable
{
    private readonly ConcurrentDictionary<DocumentKey, DocumentEntry> _documents = new();
    private long _liveBytes;

    public int Count => _documents.Count;

    /// <summary>The highest sequence ever issued, written or not yet. Writer only.</summary>
    public long LastSequence { get; set; }

    public ICollection<DocumentEntry> Entries => _documents.Values;

    public DocumentEntry? Find(DocumentKey key) => _documents.GetValueOrDefault(key);

    /// <summary>Compaction pays when the log is large and mostly superseded records.</summary>
    public bool NeedsCompaction(long logLength, long thresholdBytes) =>
        logLength > thresholdBytes && (logLength - RecordFormat.FileHeaderLength - _liveBytes) * 2 > logLength;

    /// <summary>Applies one record of documents.log while the log is opened.</summary>
    public void Replay(long payloadOffset, ReadOnlySpan<byte> payload)
    {
        var record = DocumentRecordCodec.Decode(payload);
        if (record.Kind == DocumentRecordCodec.FloorKind ? record.Sequence < LastSequence : record.Sequence <= LastSequence)
        {
            throw new InvalidDataException($"sequence {record.Sequence} does not follow sequence {LastSequence}.");
        }

        LastSequence = record.Sequence;
        switch (record.Kind)
        {
            case DocumentRecordCodec.PutKind:
                Apply(record.Key, DocumentEntry.Create(record.Key, record.Body!, record.Sequence, payload.Length));
                break;
            case DocumentRecordCodec.DeleteKind:
                Apply(record.Key, null);
                break;
        }
    }

    /// <summary>Makes <paramref name="entry"/> the document at <paramref name="key"/> (null deletes it). Writer only.</summary>
    public void Apply(DocumentKey key, DocumentEntry? entry)
    {
        if (_documents.TryGetValue(key, out var previous))
        {
            _liveBytes -= previous.RecordBytes;
        }

        if (entry is null)
        {
            _documents.TryRemove(key, out _);
        }
        else
        {
            _documents[key] = entry;
            _liveBytes += entry.RecordBytes;
        }
    }
}
