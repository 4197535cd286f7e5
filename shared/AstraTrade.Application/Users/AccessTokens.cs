using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>
/// Short-lived access tokens: compact JWS (RFC 7515/7519) signed with HS256 and a key every instance shares, so any
/// instance validates any token. Validation accepts exactly the header this class writes, which rules out "alg"
/// confusion (none, RS256 with the key as a public key) by construction.
/// </summary>
public sealed class AccessTokens
{
    private static readonly byte[] Header = Encoding.ASCII.GetBytes(Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8));
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    // Tokens that validated, so a client's next requests skip the HMAC and the JSON: only expiry depends on time, and
    // it is checked again on every use. Bounded: past the limit the cache starts over.
    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<string, AccessTokenIdentity> _validated = new(StringComparer.Ordinal);
    private readonly byte[] _key;
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;

    public AccessTokens(byte[] key, AuthOptions options, TimeProvider time)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException("The token signing key must be at least 32 bytes.", nameof(key));
        }

        _key = key;
        _options = options;
        _time = time;
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(Guid userId, string username, UserRole role)
    {
        var now = _time.GetUtcNow();
        var expires = now + _options.AccessTokenLifetime;
        var claims = new TokenClaims(
            userId.ToString("D"), username, role == UserRole.Admin ? "admin" : "user", _options.Issuer, _options.Audience,
            now.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds(), Guid.NewGuid().ToString("N"));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, TokenJsonContext.Default.TokenClaims));
        var signingInput = Encoding.ASCII.GetString(Header) + "." + payload;
        return (signingInput + "." + Base64Url.EncodeToString(Sign(Encoding.ASCII.GetBytes(signingInput))), expires);
    }

    /// <summary>The caller's identity if the token is genuine, unexpired and meant for us; otherwise null.</summary>
    public AccessTokenIdentity? Validate(string token)
    {
        if (_validated.TryGetValue(token, out var known))
        {
            return Expired(known.ExpiresAt) ? null : known;
        }

        if (ValidateSignedToken(token) is not { } identity)
        {
            return null;
        }

        if (_validated.Count >= MaxRemembered)
        {
            _validated.Clear();
        }

        _validated.TryAdd(token, identity);
        return identity;
    }

    private bool Expired(DateTimeOffset expiresAt) => expiresAt + ClockSkew < _time.GetUtcNow();

    private AccessTokenIdentity? ValidateSignedToken(string token)
    {
        var first = token.IndexOf('.', StringComparison.Ordinal);
        var last = token.LastIndexOf('.');
        if (first <= 0 || last <= first || token.Length > 4_096)
        {
            return null;
        }

        var signingInput = Encoding.ASCII.GetBytes(token[..last]);
        if (!signingInput.AsSpan(0, first).SequenceEqual(Header) || !TryDecode(token.AsSpan(last + 1), out var signature)
            || !CryptographicOperations.FixedTimeEquals(signature, Sign(signingInput)))
        {
            return null;
        }

        if (!TryDecode(token.AsSpan(first + 1, last - first - 1), out var payload))
        {
            return null;
        }

        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize(payload, TokenJsonContext.Default.TokenClaims);
        }
        catch (JsonException)
        {
            return null;
        }

        if (claims is null || claims.Iss != _options.Issuer || claims.Aud != _options.Audience
            || Expired(DateTimeOffset.FromUnixTimeSeconds(claims.Exp))
            || !Guid.TryParse(claims.Sub, out var userId))
        {
            return null;
        }

        return new AccessTokenIdentity(userId, claims.Name, claims.Role == "admin" ? UserRole.Admin : UserRole.User,
            DateTimeOffset.FromUnixTimeSeconds(claims.Exp));
    }

    private byte[] Sign(byte[] signingInput) => HMACSHA256.HashData(_key, signingInput);

    private static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    internal sealed record TokenClaims(string Sub, string Name, string Role, string Iss, string Aud, long Iat, long Exp, string Jti);
}

public sealed record AccessTokenIdentity(Guid UserId, string Username, UserRole Role, DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AccessTokens.TokenClaims))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
