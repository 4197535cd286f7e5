using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The document store's part of the writer loop: checks each precondition against the document as it will be once
/// the batch is written (the table, overlaid with writes staged earlier in the batch), and encodes puts and deletes.
/// </summary>
internal sealed class DocumentWriter(DocumentTable table) : IGroupCommitHandler<PendingDocumentWrite>
{
    private readonly Dictionary<DocumentKey, DocumentEntry?> _staged = [];

    public void Prepare(PendingDocumentWrite write, RecordBatch batch)
    {
        if (write.CancellationToken.IsCancellationRequested)
        {
            write.Canceled = true;
            return;
        }

        var current = _staged.TryGetValue(write.Key, out var staged) ? staged : table.Find(write.Key);
        if (!Holds(write.Precondition, current))
        {
            write.Rejection = new PreconditionFailedException(write.Key.Collection, write.Key.Id);
            return;
        }

        var body = write.Body;
        if (body is null && current is null)
        {
            return;
        }

        var sequence = table.LastSequence + 1;
        DocumentEntry? written = null;
        if (body is null)
        {
            DocumentRecordCodec.EncodeDelete(batch.Reserve(DocumentRecordCodec.MeasureDelete(write.KeyBytes), out _), sequence, write.Key);
        }
        else
        {
            var payload = batch.Reserve(DocumentRecordCodec.MeasurePut(write.KeyBytes, body.Length), out _);
            DocumentRecordCodec.EncodePut(payload, sequence, write.Key, body);
            written = DocumentEntry.Create(write.Key, body, sequence, payload.Length);
        }

        batch.Seal();
        table.LastSequence = sequence;
        _staged[write.Key] = written;
        write.Wrote = true;
        write.Written = written;
    }

    public void Commit(ReadOnlySpan<PendingDocumentWrite> writes)
    {
        foreach (var write in writes)
        {
            if (write.Wrote)
            {
                table.Apply(write.Key, write.Written);
            }
        }

        _staged.Clear();
        foreach (var write in writes)
        {
            write.Complete();
        }
    }

    public void Fail(ReadOnlySpan<PendingDocumentWrite> writes, Exception error)
    {
        _staged.Clear();
        foreach (var write in writes)
        {
            write.Fail(error);
        }
    }

    private static bool Holds(Precondition precondition, DocumentEntry? current) => precondition.Kind switch
    {
        PreconditionKind.IfAbsent => current is null,
        PreconditionKind.IfMatch => current is not null && string.Equals(current.Document.ETag, precondition.ETag, StringComparison.Ordinal),
        _ => true,
    };
}
