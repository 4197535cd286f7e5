namespace AstraTrade.Application.Ports;

/// <summary>
/// Read models, checkpoints and other small documents, addressed by collection and id, with ETags for
/// optimistic concurrency. A successful write is durable when the call returns.
/// </summary>
public interface IDocumentStore
{
    ValueTask<StoredDocument?> GetAsync(string collection, string id, CancellationToken cancellationToken = default);

    /// <summary>Writes the document and returns its new ETag.</summary>
    /// <exception cref="PreconditionFailedException">The <paramref name="precondition"/> does not hold.</exception>
    ValueTask<string> PutAsync(
        string collection, string id, ReadOnlyMemory<byte> body, Precondition precondition, CancellationToken cancellationToken = default);

    /// <summary>Deletes the document; false when it did not exist.</summary>
    /// <exception cref="PreconditionFailedException">The <paramref name="precondition"/> does not hold.</exception>
    ValueTask<bool> DeleteAsync(string collection, string id, Precondition precondition, CancellationToken cancellationToken = default);
}

/// <param name="Body">UTF-8 JSON.</param>
public sealed record StoredDocument(string Collection, string Id, ReadOnlyMemory<byte> Body, string ETag);

/// <summary>When a write may happen: always, only if the document is absent, or only if its ETag matches.</summary>
public readonly record struct Precondition
{
    private Precondition(PreconditionKind kind, string? etag)
    {
        Kind = kind;
        ETag = etag;
    }

    public PreconditionKind Kind { get; }

    public string? ETag { get; }

    public static Precondition None { get; } = new(PreconditionKind.None, null);

    public static Precondition IfAbsent { get; } = new(PreconditionKind.IfAbsent, null);

    public static Precondition IfMatch(string etag) => new(PreconditionKind.IfMatch, etag);
}

public enum PreconditionKind
{
    None,
    IfAbsent,
    IfMatch,
}

public sealed class PreconditionFailedException(string collection, string id)
    : Exception($"Document '{collection}/{id}' changed or exists/does not exist, contrary to the precondition.")
{
    public string Collection { get; } = collection;

    public string Id { get; } = id;
}
