using System.Globalization;
using System.Numerics;

namespace AstraTrade.Domain.Nft;

/// <summary>
/// The token id of a user's Genesis NFT of one kind, decided before anything is minted: the kind's number in the high
/// 128 bits of the u256, the user id's 128 bits in the low ones. So it is unique by construction (not by chance), the
/// same for every retry of a mint, and it tells which user and kind it belongs to without a lookup. Written in decimal,
/// as ERC-721 token URIs write token ids; that is also its id in the API.
/// </summary>
public static class GenesisTokenId
{
    private static readonly BigInteger TwoTo128 = BigInteger.One << 128;

    public static BigInteger Of(Guid userId, GenesisKind kind)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return (new BigInteger(kind.Number) * TwoTo128) + UserBits(userId);
    }

    public static string Text(Guid userId, GenesisKind kind) => Of(userId, kind).ToString(CultureInfo.InvariantCulture);

    /// <summary>The user and kind of a token id in its canonical decimal form; false for anything else (leading zeros,
    /// signs, spaces, an unknown kind), which the API answers as "no such NFT".</summary>
    public static bool TryParse(string? text, out Guid userId, out GenesisKind kind)
    {
        userId = Guid.Empty;
        kind = null!;
        if (string.IsNullOrEmpty(text) || text.Length > 78 || !text.All(char.IsAsciiDigit) || (text.Length > 1 && text[0] == '0'))
        {
            return false;
        }

        var value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        var number = value / TwoTo128;
        if (number > int.MaxValue || GenesisCollection.FindByNumber((int)number) is not { } found)
        {
            return false;
        }

        var low = (value % TwoTo128).ToString("x32", CultureInfo.InvariantCulture);
        userId = Guid.ParseExact(low[^32..], "N");
        kind = found;
        return true;
    }

    /// <summary>The user id's 32 hex digits read as one 128-bit number (the same bits the chain sees).</summary>
    private static BigInteger UserBits(Guid userId) =>
        BigInteger.Parse("0" + userId.ToString("N"), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
}
