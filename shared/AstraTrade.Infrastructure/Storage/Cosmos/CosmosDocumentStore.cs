using System.Net;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using Microsoft.Azure.Cosmos;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// The document store on the Cosmos DB documents container (see <see cref="DocumentItem"/> for the item layout). The
/// ETag is Cosmos DB's own; preconditions map to its operations: none → upsert, IfAbsent → create (409 = the document
/// exists), IfMatch → replace or delete with If-Match (412 = changed, 404 = gone). A write that was retried after an
/// attempt with an unknown outcome (a timeout, a 503) and then meets its own effect is reported as done, not as a
/// failed precondition. Get it from <see cref="CosmosStore.Documents"/>; the <see cref="CosmosStore"/> owns its lifetime.
/// </summary>
public sealed class CosmosDocumentStore : IDocumentStore
{
    private readonly Container _container;
    private readonly CosmosRequests _requests;
    private readonly Func<CancellationToken, Task> _ready;
    private readonly int _maxDocumentBytes;

    internal CosmosDocumentStore(Container container, CosmosRequests requests, Func<CancellationToken, Task> ready, CosmosStoreOptions options)
    {
        _container = container;
        _requests = requests;
        _ready = ready;
        _maxDocumentBytes = options.MaxDocumentBytes;
    }

    /// <inheritdoc />
    public async ValueTask<StoredDocument?> GetAsync(string collection, string id, CancellationToken cancellationToken = default)
    {
        Limits.CheckNameForLookup(collection, "collection", nameof(collection));
        Limits.CheckNameForLookup(id, "document id", nameof(id));
        await _ready(cancellationToken).ConfigureAwait(false);
        var itemId = DocumentItem.IdFor(collection, id);
        using var answer = await _requests.SendAsync(
            "documents.get", ct => _container.ReadItemStreamAsync(itemId, new PartitionKey(itemId), cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        var response = answer.Response;
        if (CosmosRequests.IsItemNotFound(response))
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw CosmosRequests.Unexpected("documents.get", response);
        }

        using var item = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new StoredDocument(collection, id, DocumentItem.DecodeBody(item.RootElement, collection, id), ETagOf(response, item.RootElement));
    }

    /// <inheritdoc />
    /// <exception cref="CosmosStoreException">Cosmos DB stayed unavailable or throttled through every retry, or failed otherwise.</exception>
    public async ValueTask<string> PutAsync(
        string collection, string id, ReadOnlyMemory<byte> body, Precondition precondition, CancellationToken cancellationToken = default)
    {
        Limits.CheckName(collection, "collection", nameof(collection));
        Limits.CheckName(id, "document id", nameof(id));
        CheckPrecondition(precondition);
        if (body.Length > _maxDocumentBytes)
        {
            throw new ArgumentException(
                $"The document is {body.Length} bytes; the limit is {_maxDocumentBytes} (CosmosDb:maxDocumentBytes).", nameof(body));
        }

        var itemId = DocumentItem.IdFor(collection, id);
        var item = DocumentItem.Encode(itemId, collection, id, body);
        await _ready(cancellationToken).ConfigureAwait(false);
        var key = new PartitionKey(itemId);
        using var answer = await _requests.SendAsync("documents.put", ct => precondition.Kind switch
        {
            PreconditionKind.IfAbsent => _container.CreateItemStreamAsync(Content(item), key, cancellationToken: ct),
            PreconditionKind.IfMatch => _container.ReplaceItemStreamAsync(
                Content(item), itemId, key, new ItemRequestOptions { IfMatchEtag = precondition.ETag }, ct),
            _ => _container.UpsertItemStreamAsync(Content(item), key, cancellationToken: ct),
        }, cancellationToken).ConfigureAwait(false);

        var response = answer.Response;
        if (response.IsSuccessStatusCode)
        {
            return response.Headers.ETag ?? throw CosmosRequests.Unexpected("documents.put", response);
        }

        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            if (answer.OutcomeWasUnknown && await GetAsync(collection, id, cancellationToken).ConfigureAwait(false) is { } current
                && current.Body.Span.SequenceEqual(body.Span))
            {
                // The attempt whose answer was lost wrote this very body.
                return current.ETag;
            }

            throw new PreconditionFailedException(collection, id);
        }

        throw CosmosRequests.Unexpected("documents.put", response);
    }

    /// <inheritdoc />
    /// <exception cref="CosmosStoreException">Cosmos DB stayed unavailable or throttled through every retry, or failed otherwise.</exception>
    public async ValueTask<bool> DeleteAsync(string collection, string id, Precondition precondition, CancellationToken cancellationToken = default)
    {
        Limits.CheckName(collection, "collection", nameof(collection));
        Limits.CheckName(id, "document id", nameof(id));
        CheckPrecondition(precondition);
        await _ready(cancellationToken).ConfigureAwait(false);
        if (precondition.Kind == PreconditionKind.IfAbsent)
        {
            // Deleting "only if absent" deletes nothing: it only says whether the document is there.
            return await GetAsync(collection, id, cancellationToken).ConfigureAwait(false) is null
                ? false
                : throw new PreconditionFailedException(collection, id);
        }

        var itemId = DocumentItem.IdFor(collection, id);
        var options = precondition.Kind == PreconditionKind.IfMatch ? new ItemRequestOptions { IfMatchEtag = precondition.ETag } : null;
        using var answer = await _requests.SendAsync(
            "documents.delete", ct => _container.DeleteItemStreamAsync(itemId, new PartitionKey(itemId), options, ct), cancellationToken)
            .ConfigureAwait(false);
        switch (answer.Status)
        {
            case HttpStatusCode.NoContent or HttpStatusCode.OK:
                return true;
            case HttpStatusCode.NotFound when answer.OutcomeWasUnknown:
                // The attempt whose answer was lost most likely deleted it.
                return true;
            case HttpStatusCode.NotFound:
                return precondition.Kind == PreconditionKind.IfMatch ? throw new PreconditionFailedException(collection, id) : false;
            case HttpStatusCode.PreconditionFailed:
                throw new PreconditionFailedException(collection, id);
            default:
                throw CosmosRequests.Unexpected("documents.delete", answer.Response);
        }
    }

    private static MemoryStream Content(byte[] item) => new(item, writable: false);

    private static string ETagOf(ResponseMessage response, JsonElement item) =>
        response.Headers.ETag is { Length: > 0 } etag
            ? etag
            : item.TryGetProperty("_etag", out var e) && e.GetString() is { Length: > 0 } stored
                ? stored
                : throw CosmosRequests.Unexpected("documents.get", response);

    private static void CheckPrecondition(Precondition precondition)
    {
        if (precondition.Kind == PreconditionKind.IfMatch && string.IsNullOrEmpty(precondition.ETag))
        {
            throw new ArgumentException("An IfMatch precondition needs the ETag to match.", nameof(precondition));
        }
    }
}
