using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The embedded document store: documents.log in the data directory, where each put or delete is a record, written
/// with group commit; the latest version of every document is kept in memory. The ETag is the store-wide sequence
/// number of the write, in decimal. Preconditions are checked on the writer loop, so they are atomic.
/// Get it from <see cref="EmbeddedStore.Documents"/>; the <see cref="EmbeddedStore"/> owns its lifetime.
/// </summary>
public sealed class EmbeddedDocumentStore : IDocumentStore
{
    internal const string FileName = "documents.log";

    private readonly RecordLog _log;
    private readonly DocumentTable _table;
    private readonly GroupCommitWriter<PendingDocumentWrite> _writer;
    private readonly int _maxDocumentBytes;
    private volatile bool _disposed;

    private EmbeddedDocumentStore(RecordLog log, DocumentTable table, int maxDocumentBytes)
    {
        _log = log;
        _table = table;
        _maxDocumentBytes = maxDocumentBytes;
        _writer = new GroupCommitWriter<PendingDocumentWrite>(log, new DocumentWriter(table), "embedded document store");
    }

    internal int Count => _table.Count;

    internal long LogBytes => _log.Length;

    internal long DiscardedTailBytes => _log.DiscardedTailBytes;

    /// <inheritdoc />
    public ValueTask<StoredDocument?> GetAsync(string collection, string id, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Limits.CheckNameForLookup(collection, "collection", nameof(collection));
        Limits.CheckNameForLookup(id, "document id", nameof(id));
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<StoredDocument?>(_table.Find(new DocumentKey(collection, id))?.Document);
    }

    /// <inheritdoc />
    public ValueTask<string> PutAsync(
        string collection, string id, ReadOnlyMemory<byte> body, Precondition precondition, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var keyBytes = MeasureKey(collection, id);
        CheckPrecondition(precondition);
        if (body.Length > _maxDocumentBytes)
        {
            throw new ArgumentException(
                $"The document is {body.Length} bytes; the limit is {_maxDocumentBytes} (EmbeddedStoreOptions.MaxDocumentBytes).", nameof(body));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<string>(cancellationToken);
        }

        var put = new PendingPut(new DocumentKey(collection, id), precondition, keyBytes, body.ToArray(), cancellationToken);
        _writer.Enqueue(put);
        return new ValueTask<string>(put.Task);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string collection, string id, Precondition precondition, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var keyBytes = MeasureKey(collection, id);
        CheckPrecondition(precondition);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        var delete = new PendingDelete(new DocumentKey(collection, id), precondition, keyBytes, cancellationToken);
        _writer.Enqueue(delete);
        return new ValueTask<bool>(delete.Task);
    }

    /// <summary>Writes every queued put and delete, then closes the log.</summary>
    internal async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _writer.DisposeAsync().ConfigureAwait(false);
        _log.Dispose();
    }

    /// <summary>Opens documents.log, compacting it first when it is large and mostly superseded records.</summary>
    internal static EmbeddedDocumentStore Open(string directory, EmbeddedStoreOptions options)
    {
        var path = Path.Combine(directory, FileName);
        File.Delete(path + DocumentCompaction.TemporarySuffix);
        var table = new DocumentTable();
        var log = RecordLog.Open(path, table.Replay);
        if (table.NeedsCompaction(log.Length, options.DocumentCompactionThresholdBytes))
        {
            log.Dispose();
            DocumentCompaction.Rewrite(path, table);
            table = new DocumentTable();
            log = RecordLog.Open(path, table.Replay);
        }

        return new EmbeddedDocumentStore(log, table, options.MaxDocumentBytes);
    }

    private static int MeasureKey(string collection, string id) =>
        Limits.CheckName(collection, "collection", nameof(collection)) + Limits.CheckName(id, "document id", nameof(id));

    private static void CheckPrecondition(Precondition precondition)
    {
        if (precondition.Kind == PreconditionKind.IfMatch && string.IsNullOrEmpty(precondition.ETag))
        {
            throw new ArgumentException("An IfMatch precondition needs the ETag to match.", nameof(precondition));
        }
    }
}
