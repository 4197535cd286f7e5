using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// A document as the documents container stores it:
/// <c>{ "id": "checkpoints|feed-progression", "collection": "checkpoints", "key": "feed-progression", "body": "…" }</c>.
/// The item id (also the partition key) encodes the collection and the document id together, so every document is a
/// point read and its own logical partition. The body is kept as a JSON string so that it comes back byte for byte
/// (Cosmos DB would store embedded numbers as doubles and rewrite the text).
/// </summary>
internal static class DocumentItem
{
    // Cosmos DB item ids may not contain '/', '\', '?' or '#'. The SDK puts ids in request URLs without escaping a '%'
    // that is followed by two hex digits, so "a%2Fb" would be read back as "a/b": '%' is escaped too, with '~' as the
    // escape character, and '~' and the separator '|' are escaped so that the encoding is unambiguous.
    private const char Escape = '~';
    private const string Escaped = "/\\?#%|~";
    private const int MaxIdBytes = 1023;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The item id of a document: <c>collection|id</c> with '/', '\', '?', '#', '%', '|', '~' and control characters written
    /// as ~XX (their UTF-8 bytes in hex). An id that would exceed Cosmos DB's 1023 bytes (only names full of such characters
    /// can) is <c>~~</c> + the SHA-256 of both names instead; no escaped id contains "~~".
    /// </summary>
    public static string IdFor(string collection, string id)
    {
        var encoded = EscapeName(collection) + "|" + EscapeName(id);
        if (Encoding.UTF8.GetByteCount(encoded) <= MaxIdBytes)
        {
            return encoded;
        }

        var names = Encoding.UTF8.GetBytes(collection + "\0" + id);
        return "~~" + Convert.ToHexStringLower(SHA256.HashData(names));
    }

    /// <exception cref="ArgumentException">The body is not UTF-8.</exception>
    public static byte[] Encode(string itemId, string collection, string id, ReadOnlyMemory<byte> body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body.Span);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ArgumentException("The document body is not UTF-8 (documents hold UTF-8 JSON).", nameof(body), ex);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", itemId);
            writer.WriteString("collection", collection);
            writer.WriteString("key", id);
            writer.WriteString("body", text);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The body of a stored item, checking that it is the document asked for.</summary>
    /// <exception cref="InvalidDataException">The item is not a document, or another one (which only a hash collision could cause).</exception>
    public static byte[] DecodeBody(JsonElement item, string collection, string id)
    {
        if (item.TryGetProperty("collection", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() == collection
            && item.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String && k.GetString() == id
            && item.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.String)
        {
            return Encoding.UTF8.GetBytes(body.GetString()!);
        }

        throw new InvalidDataException($"The item for document '{collection}/{id}' in the documents container is not that document.");
    }

    private static string EscapeName(string name)
    {
        StringBuilder? escaped = null;
        for (var i = 0; i < name.Length; i++)
        {
            var ch = name[i];
            if (Escaped.Contains(ch, StringComparison.Ordinal) || char.IsControl(ch))
            {
                escaped ??= new StringBuilder(name, 0, i, name.Length + 8);
                foreach (var b in Encoding.UTF8.GetBytes(ch.ToString()))
                {
                    escaped.Append(Escape).Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                escaped?.Append(ch);
            }
        }

        return escaped?.ToString() ?? name;
    }
}
