namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// An Azure Storage connection string, as far as the queue service needs it: the account, its key and the queue
/// endpoint. Accepts the forms the Azure portal and the Functions host use:
/// <list type="bullet">
/// <item><c>UseDevelopmentStorage=true</c>: Azurite on its default port, with its well-known account and key;</item>
/// <item><c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net</c> (protocol and
/// suffix optional, https and core.windows.net by default);</item>
/// <item>any of those with an explicit <c>QueueEndpoint=…</c> (Azurite on another port, a private endpoint).</item>
/// </list>
/// Keys are case-insensitive. Error messages name the offending key but never echo a value: the string holds a secret.
/// </summary>
public sealed class StorageConnectionString
{
    /// <summary>Azurite's fixed development account (published by Microsoft; not a secret).</summary>
    public const string DevelopmentAccountName = "devstoreaccount1";

    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static readonly Uri DevelopmentQueueEndpoint = new("http://127.0.0.1:10001/devstoreaccount1");

    // Keys a storage connection string may carry for other services; they do not concern the queue, and a Functions
    // app's AzureWebJobsStorage often has them.
    private static readonly HashSet<string> OtherServiceKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "BlobEndpoint", "TableEndpoint", "FileEndpoint", "BlobSecondaryEndpoint", "TableSecondaryEndpoint",
        "FileSecondaryEndpoint", "QueueSecondaryEndpoint",
    };

    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "UseDevelopmentStorage", "DevelopmentStorageProxyUri", "DefaultEndpointsProtocol", "AccountName", "AccountKey",
        "EndpointSuffix", "QueueEndpoint", "SharedAccessSignature",
    };

    private StorageConnectionString(SharedKeyCredential credential, Uri queueEndpoint)
    {
        Credential = credential;
        QueueEndpoint = queueEndpoint;
    }

    public SharedKeyCredential Credential { get; }

    public string AccountName => Credential.AccountName;

    /// <summary>The queue service's base address (for Azurite it includes the account: <c>…/devstoreaccount1</c>).</summary>
    public Uri QueueEndpoint { get; }

    public static StorageConnectionString Development { get; } =
        new(new SharedKeyCredential(DevelopmentAccountName, Convert.FromBase64String(DevelopmentAccountKey)), DevelopmentQueueEndpoint);

    /// <exception cref="FormatException">The string is not a usable storage connection string; the message says why.</exception>
    public static StorageConnectionString Parse(string connectionString)
    {
        if (TryParse(connectionString, out var parsed, out var error))
        {
            return parsed;
        }

        throw new FormatException(error);
    }

    public static bool TryParse(string? connectionString, out StorageConnectionString parsed, out string error)
    {
        parsed = null!;
        if (!TrySplit(connectionString, out var settings, out error))
        {
            return false;
        }

        error = Validate(settings, out var result) ?? string.Empty;
        parsed = result!;
        return error.Length == 0;
    }

    public override string ToString() => $"AccountName={AccountName};QueueEndpoint={QueueEndpoint}";

    private static bool TrySplit(string? connectionString, out Dictionary<string, string> settings, out string error)
    {
        settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            error = "The storage connection string is empty.";
            return false;
        }

        var position = 0;
        foreach (var segment in connectionString.Split(';'))
        {
            position++;
            if (string.IsNullOrWhiteSpace(segment))
            {
                continue; // a trailing or doubled ';' is harmless
            }

            // Split at the first '=' only: keys and signatures are base64 and end in '='.
            var equals = segment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"Part {position} of the storage connection string is not 'Key=Value'.";
                return false;
            }

            var key = segment[..equals].Trim();
            var value = segment[(equals + 1)..].Trim();
            if (!KnownKeys.Contains(key) && !OtherServiceKeys.Contains(key))
            {
                error = $"The storage connection string has an unknown key '{key}'.";
                return false;
            }

            if (!settings.TryAdd(key, value))
            {
                error = $"The storage connection string sets '{key}' more than once.";
                return false;
            }
        }

        if (settings.Count == 0)
        {
            error = "The storage connection string is empty.";
            return false;
        }

        return true;
    }

    private static string? Validate(Dictionary<string, string> settings, out StorageConnectionString? parsed)
    {
        parsed = null;
        if (settings.ContainsKey("SharedAccessSignature"))
        {
            return "Shared access signatures are not supported for the work queue: use an account key, or identity-based " +
                "settings (AzureWebJobsStorage__queueServiceUri with a managed identity).";
        }

        if (settings.TryGetValue("UseDevelopmentStorage", out var development))
        {
            if (!string.Equals(development, "true", StringComparison.OrdinalIgnoreCase))
            {
                return "UseDevelopmentStorage must be 'true' when it is set.";
            }

            if (settings.ContainsKey("DevelopmentStorageProxyUri"))
            {
                return "DevelopmentStorageProxyUri is not supported: give Azurite's address as " +
                    $"'AccountName={DevelopmentAccountName};AccountKey=…;QueueEndpoint=http://host:port/{DevelopmentAccountName}'.";
            }

            var extra = settings.Keys.FirstOrDefault(k => !k.Equals("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase));
            if (extra is not null)
            {
                return $"UseDevelopmentStorage=true stands alone; '{extra}' cannot be combined with it.";
            }

            parsed = Development;
            return null;
        }

        if (!settings.TryGetValue("AccountName", out var account) || account.Length == 0)
        {
            return "The storage connection string has no AccountName.";
        }

        if (!IsAccountName(account))
        {
            return "The storage connection string's AccountName is not a storage account name (lowercase letters and digits).";
        }

        if (!settings.TryGetValue("AccountKey", out var key) || key.Length == 0)
        {
            return "The storage connection string has no AccountKey.";
        }

        var keyBytes = new byte[key.Length];
        if (!Convert.TryFromBase64String(key, keyBytes, out var keyLength) || keyLength == 0)
        {
            return "The storage connection string's AccountKey is not base64.";
        }

        Uri endpoint;
        if (settings.TryGetValue("QueueEndpoint", out var queueEndpoint))
        {
            if (!Uri.TryCreate(queueEndpoint, UriKind.Absolute, out endpoint!) || !IsHttp(endpoint.Scheme) || endpoint.Query.Length > 0)
            {
                return "The storage connection string's QueueEndpoint is not an absolute http(s) address without a query.";
            }
        }
        else
        {
            var protocol = settings.GetValueOrDefault("DefaultEndpointsProtocol", "https");
            if (!IsHttp(protocol))
            {
                return "The storage connection string's DefaultEndpointsProtocol must be 'http' or 'https'.";
            }

            var suffix = settings.GetValueOrDefault("EndpointSuffix", "core.windows.net").Trim('.');
            if (!Uri.TryCreate($"{protocol.ToLowerInvariant()}://{account}.queue.{suffix}", UriKind.Absolute, out endpoint!)
                || suffix.Length == 0 || endpoint.AbsolutePath != "/")
            {
                return "The storage connection string's EndpointSuffix does not make a host name (e.g. core.windows.net).";
            }
        }

        parsed = new StorageConnectionString(new SharedKeyCredential(account, keyBytes[..keyLength]), endpoint);
        return null;
    }

    private static bool IsHttp(string scheme) =>
        scheme.Equals("https", StringComparison.OrdinalIgnoreCase) || scheme.Equals("http", StringComparison.OrdinalIgnoreCase);

    private static bool IsAccountName(string name) =>
        name.Length is >= 3 and <= 24 && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));
}
