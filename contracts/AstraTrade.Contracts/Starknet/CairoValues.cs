using System.Globalization;
using System.Numerics;
using System.Text;

namespace AstraTrade.Contracts.Starknet;

/// <summary>
/// How the values the AstraTrade contracts take become calldata felts, as canonical hex strings ("0x", lower case, no
/// leading zeros: starknet.js's <c>toHex</c>, and how the rest of the backend writes felts). BCL only, so the contracts
/// project stays free of dependencies; the Starknet layer parses these strings back into its own felt type.
/// </summary>
public static class CairoValues
{
    /// <summary>2^128: a u128 is below it, and a u256 is (low, high) with low = value mod 2^128.</summary>
    public static readonly BigInteger TwoTo128 = BigInteger.One << 128;

    public static readonly BigInteger TwoTo256 = BigInteger.One << 256;

    /// <summary>A non-negative integer as a felt in canonical hex.</summary>
    public static string Hex(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Felts are non-negative.");
        }

        return value.IsZero ? "0x0" : "0x" + value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
    }

    /// <summary>A Cairo short string: at most 31 ASCII characters, their bytes read as a big-endian number.</summary>
    public static string ShortString(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 31 || text.Any(c => c > 0x7F))
        {
            throw new ArgumentException($"'{text}' is not a Cairo short string (at most 31 ASCII characters).", nameof(text));
        }

        return Hex(new BigInteger(Encoding.ASCII.GetBytes(text), isUnsigned: true, isBigEndian: true));
    }

    /// <summary>A u256 as Cairo serializes it: two felts, the low 128 bits first.</summary>
    public static (string Low, string High) U256(BigInteger value)
    {
        if (value.Sign < 0 || value >= TwoTo256)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A u256 is in [0, 2^256).");
        }

        return (Hex(value % TwoTo128), Hex(value / TwoTo128));
    }

    /// <summary>The 128 bits of a user id as a felt: the id's 32 hex digits read as one number.</summary>
    public static string UserFelt(Guid userId) =>
        Hex(BigInteger.Parse("0" + userId.ToString("N"), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
}
