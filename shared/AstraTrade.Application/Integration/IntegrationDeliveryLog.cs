using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Ports;

namespace AstraTrade.Application.Integration;

/// <summary>
/// Which handler has handled which integration event: one document per (handler, event id), written after the handler
/// succeeded, so a redelivered event is dropped before it reaches the handler again. The records are small and never
/// pruned (Cosmos DB could expire them with a TTL; the embedded store keeps them).
/// </summary>
public sealed class IntegrationDeliveryLog(IDocumentStore documents, TimeProvider time)
{
    private const string Collection = "integration-deliveries";

    // The document stores' id limit is 200 characters.
    private const int MaxPlainId = 200;

    public async ValueTask<bool> WasHandledAsync(string handler, string eventId, CancellationToken cancellationToken) =>
        await documents.GetAsync(Collection, DocumentId(handler, eventId), cancellationToken) is not null;

    public async ValueTask RecordAsync(string handler, IntegrationEvent handled, CancellationToken cancellationToken)
    {
        var record = JsonSerializer.SerializeToUtf8Bytes(new Delivery(handled.Id, handled.Type, handler, time.GetUtcNow()), DeliveryJson.Default.Delivery);
        try
        {
            await documents.PutAsync(Collection, DocumentId(handler, handled.Id), record, Precondition.IfAbsent, cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            // A concurrent delivery of the same event (Event Grid may deliver twice at once) recorded it first.
        }
    }

    /// <summary><c>{handler}/{event id}</c>, or its SHA-256 when that is too long (event ids from outside are free-form).</summary>
    internal static string DocumentId(string handler, string eventId)
    {
        var plain = handler + "/" + eventId;
        return plain.Length <= MaxPlainId ? plain : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain)));
    }

    internal sealed record Delivery(string EventId, string Type, string Handler, DateTimeOffset HandledAt);
}
