using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>A put or delete waiting for the writer loop.</summary>
internal abstract class PendingDocumentWrite(DocumentKey key, Precondition precondition, int keyBytes, CancellationToken cancellationToken)
{
    public DocumentKey Key { get; } = key;

    public Precondition Precondition { get; } = precondition;

    /// <summary>UTF-8 bytes of the collection and id together, measured when the write was queued.</summary>
    public int KeyBytes { get; } = keyBytes;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    // The writer's decision, acted on once the batch is durable.

    /// <summary>A record was written.</summary>
    public bool Wrote { get; set; }

    /// <summary>The document as written, for a put.</summary>
    public DocumentEntry? Written { get; set; }

    public Exception? Rejection { get; set; }

    public bool Canceled { get; set; }

    /// <summary>The new body, or null for a delete.</summary>
    public abstract byte[]? Body { get; }

    public abstract void Complete();

    public abstract void Fail(Exception error);
}

internal sealed class PendingPut(DocumentKey key, Precondition precondition, int keyBytes, byte[] body, CancellationToken cancellationToken)
    : PendingDocumentWrite(key, precondition, keyBytes, cancellationToken)
{
    private readonly TaskCompletionSource<string> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override byte[] Body { get; } = body;

    public Task<string> Task => _completion.Task;

    public override void Complete()
    {
        if (Canceled)
        {
            _completion.TrySetCanceled(CancellationToken);
        }
        else if (Rejection is not null)
        {
            _completion.TrySetException(Rejection);
        }
        else
        {
            _completion.TrySetResult(Written!.Document.ETag);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}

internal sealed class PendingDelete(DocumentKey key, Precondition precondition, int keyBytes, CancellationToken cancellationToken)
    : PendingDocumentWrite(key, precondition, keyBytes, cancellationToken)
{
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override byte[]? Body => null;

    public Task<bool> Task => _completion.Task;

    public override void Complete()
    {
        if (Canceled)
        {
            _completion.TrySetCanceled(CancellationToken);
        }
        else if (Rejection is not null)
        {
            _completion.TrySetException(Rejection);
        }
        else
        {
            _completion.TrySetResult(Wrote);
        }
    }

    public override void Fail(Exception error) => _completion.TrySetException(error);
}
