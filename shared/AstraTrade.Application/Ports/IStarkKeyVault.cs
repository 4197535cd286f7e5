using System.Globalization;
using System.Numerics;

namespace AstraTrade.Application.Ports;

/// <summary>
/// Where each user's Stark private key lives (Key Vault in Azure): live orders on Extended carry a settlement that this
/// key signs. The key is per user; it is never logged, never put in an exception and never shown by ToString.
/// </summary>
public interface IStarkKeyVault
{
    /// <summary>The user's key, or null when none is stored.</summary>
    ValueTask<StarkPrivateKey?> FindAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Stores (or replaces) the user's key.</summary>
    ValueTask StoreAsync(Guid userId, StarkPrivateKey key, CancellationToken cancellationToken);
}

/// <summary>
/// A Stark private key in [1, 2^251 + 17·2^192 + 1). Deliberately not a record: a record's ToString and equality would
/// print or compare the secret. <see cref="Reveal"/> is the one way out, for the signer.
/// </summary>
public sealed class StarkPrivateKey
{
    private static readonly BigInteger Limit = BigInteger.Pow(2, 251) + 17 * BigInteger.Pow(2, 192) + 1;
    private readonly BigInteger _value;

    private StarkPrivateKey(BigInteger value) => _value = value;

    /// <summary>Reads "0x" hex. The message of a refusal never repeats the text.</summary>
    /// <exception cref="FormatException">Not "0x" hex, zero, or too large.</exception>
    public static StarkPrivateKey Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : null;
        if (string.IsNullOrEmpty(digits) || digits.Length > 64
            || !BigInteger.TryParse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            || value.IsZero || value >= Limit)
        {
            throw new FormatException("A Stark private key is \"0x\" hex, not zero, below the field prime.");
        }

        return new StarkPrivateKey(value);
    }

    /// <summary>The key as "0x" hex, for the signer and the vault only.</summary>
    public string Reveal() => "0x" + _value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(1, '0');

    /// <summary>The key as a number, for the signer only.</summary>
    public BigInteger RevealValue() => _value;

    public override string ToString() => "StarkPrivateKey(redacted)";
}
