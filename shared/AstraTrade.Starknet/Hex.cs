namespace AstraTrade.Starknet;

/// <summary>Hex helpers shared by the library.</summary>
internal static class Hex
{
    /// <summary>
    /// Decodes "0x"-prefixed (or bare) hex into bytes; an odd number of digits gets a leading zero, as noble does.
    /// </summary>
    public static byte[] DecodeBytes(string hex, string paramName)
    {
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
        if (digits.Length == 0)
        {
            throw new FormatException($"'{hex}' ({paramName}) has no hex digits.");
        }

        foreach (var ch in digits)
        {
            if (!char.IsAsciiHexDigit(ch))
            {
                throw new FormatException($"'{hex}' ({paramName}) is not hex.");
            }
        }

        if ((digits.Length & 1) == 1)
        {
            digits = "0" + digits;
        }

        return Convert.FromHexString(digits);
    }
}

/// <summary>Cairo short strings: up to 31 ASCII characters packed big-endian into one field element.</summary>
public static class ShortString
{
    /// <summary>The most characters a short string holds.</summary>
    public const int MaxLength = 31;

    /// <summary>Encodes an ASCII string of at most 31 characters (its bytes read as a big-endian number).</summary>
    /// <exception cref="ArgumentException">The string is longer than 31 characters or not ASCII.</exception>
    public static Felt Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new ArgumentException($"A short string has at most {MaxLength} characters; '{text}' has {text.Length}.", nameof(text));
        }

        Span<byte> bytes = stackalloc byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 0x7F)
            {
                throw new ArgumentException($"A short string is ASCII; '{text}' is not.", nameof(text));
            }

            bytes[i] = (byte)text[i];
        }

        return Felt.FromBytesBigEndian(bytes);
    }

    /// <summary>Decodes a short string (the big-endian bytes of the value, leading zero bytes dropped).</summary>
    public static string Decode(Felt value)
    {
        var bytes = value.ToBytesBigEndian();
        var start = 0;
        while (start < bytes.Length && bytes[start] == 0)
        {
            start++;
        }

        return System.Text.Encoding.ASCII.GetString(bytes, start, bytes.Length - start);
    }
}
