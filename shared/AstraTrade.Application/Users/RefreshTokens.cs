using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Application.Ports;

namespace AstraTrade.Application.Users;

/// <summary>
/// Long-lived refresh tokens: random, stored only as their SHA-256, single use (rotated on every refresh), grouped in a
/// family per sign-in. Presenting a token that was already used means it was copied: the whole family is revoked, so
/// the thief and the victim both have to sign in again (OAuth 2.0 Security BCP, refresh token rotation).
/// </summary>
public sealed class RefreshTokens(IDocumentStore documents, AuthOptions options, TimeProvider time)
{
    private const string Tokens = "refresh-tokens";
    private const string Families = "refresh-families";

    public async ValueTask<string> IssueAsync(Guid userId, Guid? familyId, CancellationToken cancellationToken)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow();
        var record = new TokenRecord(userId, familyId ?? Guid.CreateVersion7(), now, now + options.RefreshTokenLifetime, null);
        await documents.PutAsync(Tokens, Hash(token), Serialize(record), Precondition.IfAbsent, cancellationToken);
        return token;
    }

    /// <summary>Consumes the token; returns its user and family, or null when it must not be honoured.</summary>
    public async ValueTask<(Guid UserId, Guid FamilyId)?> ConsumeAsync(string token, CancellationToken cancellationToken)
    {
        var id = Hash(token);
        var stored = await documents.GetAsync(Tokens, id, cancellationToken);
        if (stored is null || JsonSerializer.Deserialize(stored.Body.Span, RefreshJsonContext.Default.TokenRecord) is not { } record)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (record.ExpiresAt <= now || await IsRevokedAsync(record.FamilyId, cancellationToken))
        {
            return null;
        }

        if (record.UsedAt is not null)
        {
            await RevokeFamilyAsync(record.FamilyId, cancellationToken);
            return null;
        }

        try
        {
            await documents.PutAsync(Tokens, id, Serialize(record with { UsedAt = now }), Precondition.IfMatch(stored.ETag), cancellationToken);
        }
        catch (PreconditionFailedException)
        {
            return null; // a concurrent refresh with the same token won the race
        }

        return (record.UserId, record.FamilyId);
    }

    /// <summary>Revokes the sign-in the token belongs to. Unknown tokens are ignored (logout always succeeds).</summary>
    public async ValueTask RevokeAsync(string token, CancellationToken cancellationToken)
    {
        var stored = await documents.GetAsync(Tokens, Hash(token), cancellationToken);
        if (stored is not null && JsonSerializer.Deserialize(stored.Body.Span, RefreshJsonContext.Default.TokenRecord) is { } record)
        {
            await RevokeFamilyAsync(record.FamilyId, cancellationToken);
        }
    }

    private async ValueTask<bool> IsRevokedAsync(Guid familyId, CancellationToken cancellationToken) =>
        await documents.GetAsync(Families, familyId.ToString("N"), cancellationToken) is not null;

    private async ValueTask RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken) =>
        await documents.PutAsync(
            Families, familyId.ToString("N"),
            JsonSerializer.SerializeToUtf8Bytes(new FamilyRevoked(time.GetUtcNow()), RefreshJsonContext.Default.FamilyRevoked),
            Precondition.None, cancellationToken);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    private static byte[] Serialize(TokenRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, RefreshJsonContext.Default.TokenRecord);

    internal sealed record TokenRecord(Guid UserId, Guid FamilyId, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt);

    internal sealed record FamilyRevoked(DateTimeOffset RevokedAt);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RefreshTokens.TokenRecord))]
[JsonSerializable(typeof(RefreshTokens.FamilyRevoked))]
internal sealed partial class RefreshJsonContext : JsonSerializerContext;
