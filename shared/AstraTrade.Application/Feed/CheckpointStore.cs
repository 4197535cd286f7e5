using System.Text;
using AstraTrade.Application.Ports;

namespace AstraTrade.Application.Feed;

/// <summary>Durable feed checkpoints, one document per subscription.</summary>
public sealed class CheckpointStore(IDocumentStore documents)
{
    private const string Collection = "checkpoints";

    public async ValueTask<FeedCheckpoint> LoadAsync(string subscription, CancellationToken cancellationToken)
    {
        var document = await documents.GetAsync(Collection, subscription, cancellationToken);
        return document is null ? FeedCheckpoint.Start : new FeedCheckpoint(Encoding.UTF8.GetString(document.Body.Span));
    }

    public async ValueTask SaveAsync(string subscription, FeedCheckpoint checkpoint, CancellationToken cancellationToken) =>
        await documents.PutAsync(Collection, subscription, Encoding.UTF8.GetBytes(checkpoint.Value), Precondition.None, cancellationToken);
}
