using System.Text;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>The limits on names (stream ids, event types, collections, document ids) and their checks.</summary>
internal static class Limits
{
    public const int MaxNameLength = 200;

    /// <summary>A name of at most <see cref="MaxNameLength"/> UTF-16 chars takes at most three bytes per char in UTF-8.</summary>
    public const int MaxNameBytes = MaxNameLength * 3;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Checks a name that is stored, and returns its UTF-8 byte count.</summary>
    public static int CheckName(string? value, string what, string paramName)
    {
        CheckNameForLookup(value, what, paramName);
        try
        {
            return StrictUtf8.GetByteCount(value!);
        }
        catch (EncoderFallbackException ex)
        {
            // A lone surrogate would be stored as U+FFFD, so the stream or document would come back under another name.
            throw new ArgumentException($"The {what} is not valid Unicode (it has an unpaired surrogate).", paramName, ex);
        }
    }

    /// <summary>Checks a name that is only looked up.</summary>
    public static void CheckNameForLookup(string? value, string what, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Length == 0)
        {
            throw new ArgumentException($"The {what} must not be empty.", paramName);
        }

        if (value.Length > MaxNameLength)
        {
            throw new ArgumentException($"The {what} is {value.Length} characters long; the limit is {MaxNameLength}.", paramName);
        }
    }
}
