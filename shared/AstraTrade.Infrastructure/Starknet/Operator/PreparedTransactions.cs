using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>
/// The signed transaction of each chain-write purpose, persisted before anyone can send it (document collection
/// <c>chain-transactions</c>, keyed by purpose). A prepare that runs again finds it and returns it instead of signing
/// another, so one purpose never has two transactions that could both run.
/// </summary>
internal sealed class PreparedTransactions(IDocumentStore documents)
{
    private const string Collection = "chain-transactions";

    public async ValueTask<(SignedInvoke Transaction, string ETag)?> GetAsync(string purpose, CancellationToken cancellationToken)
    {
        var stored = await documents.GetAsync(Collection, purpose, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? null
            : (JsonSerializer.Deserialize(stored.Body.Span, PreparedJson.Default.SignedInvoke)
                ?? throw new InvalidDataException($"An empty prepared transaction for '{purpose}'."), stored.ETag);
    }

    /// <summary>Stores the purpose's first transaction (<paramref name="replacing"/> null) or the replacement of the one
    /// read with that ETag.</summary>
    /// <exception cref="PreconditionFailedException">Another step stored first.</exception>
    public async ValueTask SaveAsync(SignedInvoke transaction, string? replacing, CancellationToken cancellationToken) =>
        await documents.PutAsync(
            Collection,
            transaction.Purpose,
            JsonSerializer.SerializeToUtf8Bytes(transaction, PreparedJson.Default.SignedInvoke),
            replacing is null ? Precondition.IfAbsent : Precondition.IfMatch(replacing),
            cancellationToken).ConfigureAwait(false);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SignedInvoke))]
internal sealed partial class PreparedJson : JsonSerializerContext;
