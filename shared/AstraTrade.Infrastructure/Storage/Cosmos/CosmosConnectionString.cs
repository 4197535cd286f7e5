namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// A Cosmos DB key-based connection string, <c>AccountEndpoint=https://…:443/;AccountKey=…;</c>, as the portal, the
/// emulator and the Functions host's cosmosDBTrigger use it. Parsed here (not only by the SDK) so that a bad setting is
/// reported by name at start-up, and so that the endpoint is known before a client exists. Messages never repeat the key.
/// </summary>
public sealed record CosmosConnectionString(Uri AccountEndpoint, string AccountKey)
{
    /// <exception cref="ArgumentException">The text is not a connection string with an absolute http(s) AccountEndpoint and a
    /// base64 AccountKey.</exception>
    public static CosmosConnectionString Parse(string text, string settingName)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? endpoint = null;
        string? key = null;
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Base64 keys end in '=', so only the first '=' separates the name from the value.
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"The setting '{settingName}' is not a Cosmos DB connection string: expected 'Name=value' pairs separated by ';'.", settingName);
            }

            var name = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (name.Equals("AccountEndpoint", StringComparison.OrdinalIgnoreCase))
            {
                endpoint = value;
            }
            else if (name.Equals("AccountKey", StringComparison.OrdinalIgnoreCase))
            {
                key = value;
            }
        }

        if (string.IsNullOrEmpty(endpoint))
        {
            throw new ArgumentException($"The Cosmos DB connection string in '{settingName}' has no AccountEndpoint.", settingName);
        }

        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException($"The Cosmos DB connection string in '{settingName}' has no AccountKey.", settingName);
        }

        if (!IsBase64(key))
        {
            throw new ArgumentException($"The AccountKey in '{settingName}' is not base64 (Cosmos DB keys are).", settingName);
        }

        return new CosmosConnectionString(ParseEndpoint(endpoint, settingName), key);
    }

    /// <exception cref="ArgumentException">Not an absolute http or https URI.</exception>
    public static Uri ParseEndpoint(string text, string settingName)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The Cosmos DB account endpoint in '{settingName}' is not an absolute https URI: '{text}'.", settingName);
        }

        return uri;
    }

    /// <summary>The record's default ToString would print the key.</summary>
    public override string ToString() => $"AccountEndpoint={AccountEndpoint};AccountKey=***";

    private static bool IsBase64(string value)
    {
        var buffer = new byte[(value.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }
}
