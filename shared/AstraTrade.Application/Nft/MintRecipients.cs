using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Application.Ports;

namespace AstraTrade.Application.Nft;

/// <summary>
/// The wallet each user's Genesis NFTs are minted to: the first Starknet wallet the user proved they control (a sign-in
/// with it, or a link). Kept by the NFT context in its own documents (<c>nft-recipients</c>, keyed by user), because the
/// sign-in's wallet documents are keyed by address and a mint needs the other direction. The first wallet stays the
/// recipient (<c>IfAbsent</c>): a later link does not move mints already on their way. Only code that has verified the
/// user's signature may call <see cref="RememberAsync"/>.
/// </summary>
public sealed class MintRecipients(IDocumentStore documents, IStarknetSignatures starknet, TimeProvider time)
{
    private const string Collection = "nft-recipients";

    /// <summary>The user's recipient wallet (canonical hex), or null when none is linked.</summary>
    public async ValueTask<string?> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        var stored = await documents.GetAsync(Collection, userId.ToString("N"), cancellationToken);
        return stored is null ? null : JsonSerializer.Deserialize(stored.Body.Span, RecipientJson.Default.Recipient)?.Address;
    }

    /// <summary>Records <paramref name="address"/> as the user's recipient unless one is recorded already; returns the
    /// recipient in force.</summary>
    /// <exception cref="ArgumentException">The address is not a felt.</exception>
    public async ValueTask<string> RememberAsync(Guid userId, string address, CancellationToken cancellationToken)
    {
        var wallet = starknet.NormalizeFelt(address) ?? throw new ArgumentException("Not a Starknet address.", nameof(address));
        var body = JsonSerializer.SerializeToUtf8Bytes(new Recipient(wallet, time.GetUtcNow()), RecipientJson.Default.Recipient);
        try
        {
            await documents.PutAsync(Collection, userId.ToString("N"), body, Precondition.IfAbsent, cancellationToken);
            return wallet;
        }
        catch (PreconditionFailedException)
        {
            return await FindAsync(userId, cancellationToken) ?? wallet;
        }
    }

    internal sealed record Recipient(string Address, DateTimeOffset LinkedAt);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MintRecipients.Recipient))]
internal sealed partial class RecipientJson : JsonSerializerContext;
