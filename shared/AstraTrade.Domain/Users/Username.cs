using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Users;

/// <summary>Username rules (DOMAIN.md §4): 3–30 of A-Z a-z 0-9 _ -, starting with a letter or digit, unique ignoring case.</summary>
public static class Username
{
    public const int MinLength = 3;
    public const int MaxLength = 30;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    public static DomainError? Validate(string username)
    {
        if (username.Length is < MinLength or > MaxLength)
        {
            return UserErrors.InvalidUsername($"must be {MinLength} to {MaxLength} characters long");
        }

        if (username.AsSpan().ContainsAnyExcept(Allowed))
        {
            return UserErrors.InvalidUsername("may contain only letters A-Z, digits, '_' and '-'");
        }

        return char.IsAsciiLetterOrDigit(username[0]) ? null : UserErrors.InvalidUsername("must start with a letter or a digit");
    }

    /// <summary>
    /// The user id is derived from the case-folded username, so "unique ignoring case" is enforced by the store itself:
    /// registering creates the user's stream with expected version NoStream, and exactly one writer can do that.
    /// Usernames are ASCII, so invariant lower-casing is the whole of case folding.
    /// </summary>
    public static Guid UserIdFor(string username)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes("astratrade/user/" + username.ToLowerInvariant()), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: a custom, name-based UUID (RFC 9562)
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122/9562 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
