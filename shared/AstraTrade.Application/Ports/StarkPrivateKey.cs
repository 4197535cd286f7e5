using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace AstraTrade.Application.Ports;

/// <summary>
/// A Stark private key in [1, N), N the STARK curve's order (a key at or above it cannot sign). Deliberately not a
/// record: a record's ToString and equality would print or compare the secret. <see cref="Reveal"/> is the one way
/// out, for the signer and the vault.
/// </summary>
public sealed class StarkPrivateKey
{
    // The STARK curve's order (AstraTrade.Starknet.StarkCurve.Order; the application layer does not reference Starknet).
    private static readonly BigInteger Limit = BigInteger.Parse(
        "0800000000000010ffffffffffffffffb781126dcae7b2321e66a241adc64d2f", NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
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
            throw new FormatException("A Stark private key is \"0x\" hex, not zero, below the STARK curve order.");
        }

        return new StarkPrivateKey(value);
    }

    /// <summary>Reads "0x" hex, or false for anything else (bad input from a request, without an exception).</summary>
    public static bool TryParse(string? hex, [NotNullWhen(true)] out StarkPrivateKey? key)
    {
        try
        {
            key = hex is null ? null : Parse(hex);
        }
        catch (FormatException)
        {
            key = null;
        }

        return key is not null;
    }

    /// <summary>The key as "0x" hex, for the signer and the vault only.</summary>
    public string Reveal() => "0x" + _value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0').PadLeft(1, '0');

    /// <summary>The key as a number, for the signer only.</summary>
    public BigInteger RevealValue() => _value;

    public override string ToString() => "StarkPrivateKey(redacted)";
}
