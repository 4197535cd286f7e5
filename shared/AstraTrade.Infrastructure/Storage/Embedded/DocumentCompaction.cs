using System.Text;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// Rewrites documents.log with only the live documents, each under its own sequence so ETags survive, then the floor
/// record. The new log is complete and fsynced under a temporary name before an atomic rename puts it in place, and
/// the directory is flushed so the rename itself is durable: a crash at any moment leaves the old log or the new one.
/// </summary>
internal static class DocumentCompaction
{
    public const string TemporarySuffix = ".compacting";

    private const int WriteBytes = 4 << 20;

    public static void Rewrite(string path, DocumentTable table)
    {
        var temporary = path + TemporarySuffix;
        File.Delete(temporary);
        using (var log = RecordLog.CreateNew(temporary))
        {
            var batch = new RecordBatch();
            batch.Reset(log.Length);
            var entries = table.Entries.ToArray();
            Array.Sort(entries, static (a, b) => a.Sequence.CompareTo(b.Sequence));
            foreach (var entry in entries)
            {
                var document = entry.Document;
                var key = new DocumentKey(document.Collection, document.Id);
                var keyBytes = Encoding.UTF8.GetByteCount(key.Collection) + Encoding.UTF8.GetByteCount(key.Id);
                var payload = batch.Reserve(DocumentRecordCodec.MeasurePut(keyBytes, document.Body.Length), out _);
                DocumentRecordCodec.EncodePut(payload, entry.Sequence, key, document.Body.Span);
                batch.Seal();
                if (batch.Length >= WriteBytes)
                {
                    log.Append(batch.Written);
                    batch.Reset(log.Length);
                }
            }

            DocumentRecordCodec.EncodeFloor(batch.Reserve(DocumentRecordCodec.MeasureFloor(), out _), table.LastSequence);
            batch.Seal();
            log.Append(batch.Written);
        }

        File.Move(temporary, path, overwrite: true);
        DirectorySync.Flush(Path.GetDirectoryName(path)!);
    }
}
