using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AstraTrade.Functions.Hosting.Invocations;

/// <summary>
/// What the Functions host posts to a custom handler for a non-HTTP trigger: <c>{"Data": {binding: value},
/// "Metadata": {name: value, "sys": {"MethodName", "UtcNow", "RandGuid"}}}</c>. A binding's value arrives as a JSON
/// string (a queue message's text, a timer's or the change feed's JSON serialized into a string) or as JSON itself,
/// depending on the trigger and the host version, so every accessor here takes either.
/// </summary>
public sealed class Invocation
{
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private Invocation(JsonElement data, JsonElement metadata)
    {
        _data = data;
        _metadata = metadata;
    }

    /// <summary>Reads and checks the envelope.</summary>
    /// <exception cref="InvalidInvocationException">Not JSON, or no <c>Data</c> object.</exception>
    public static async Task<Invocation> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new InvalidInvocationException($"The invocation is not JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !TryGetProperty(root, "Data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidInvocationException("The invocation has no \"Data\" object.");
            }

            var metadata = TryGetProperty(root, "Metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m.Clone() : default;
            return new Invocation(data.Clone(), metadata);
        }
    }

    /// <summary>A binding's value as JSON: a string holding JSON is parsed.</summary>
    /// <exception cref="InvalidInvocationException">The binding is missing, or its string is not JSON.</exception>
    public JsonElement Json(string binding)
    {
        var value = Binding(binding);
        if (value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        try
        {
            using var parsed = JsonDocument.Parse(value.GetString()!);
            return parsed.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new InvalidInvocationException($"The binding \"{binding}\" is a string that is not JSON: {ex.Message}");
        }
    }

    /// <summary>A binding's value as bytes: a string's UTF-8, or the JSON text of anything else.</summary>
    public byte[] Bytes(string binding)
    {
        var value = Binding(binding);
        return value.ValueKind == JsonValueKind.String
            ? Encoding.UTF8.GetBytes(value.GetString()!)
            : Encoding.UTF8.GetBytes(value.GetRawText());
    }

    public string? MetadataString(string name) =>
        TryGetProperty(_metadata, name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => value.GetRawText(),
        } : null;

    public int? MetadataInt(string name) =>
        MetadataString(name) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public DateTimeOffset? MetadataTime(string name) => ParseTime(MetadataString(name));

    /// <summary>When the host invoked the function (<c>Metadata.sys.UtcNow</c>).</summary>
    public DateTimeOffset? InvokedAt =>
        TryGetProperty(_metadata, "sys", out var sys) && TryGetProperty(sys, "UtcNow", out var now) && now.ValueKind == JsonValueKind.String
            ? ParseTime(now.GetString())
            : null;

    private JsonElement Binding(string binding) =>
        TryGetProperty(_data, binding, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value
            : throw new InvalidInvocationException($"The invocation has no \"{binding}\" in its Data.");

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>Property names as the host writes them (PascalCase), or in any other case.</summary>
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        value = default;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (element.TryGetProperty(name, out value))
        {
            return true;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        return false;
    }
}

/// <summary>The host sent something this handler cannot read: answered 400, which fails the invocation.</summary>
public sealed class InvalidInvocationException(string message) : Exception(message);
