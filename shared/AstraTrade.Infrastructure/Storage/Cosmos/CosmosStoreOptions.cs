using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// Settings of the Cosmos DB store (<see cref="CosmosStore"/>). The connection is either a key-based connection string
/// or an account endpoint reached with a managed identity, named as the Functions host's cosmosDBTrigger names them, so
/// one app setting serves both (see <see cref="FromConfiguration"/>).
/// </summary>
public sealed class CosmosStoreOptions
{
    /// <summary>The configuration section (and app setting) of the connection: the same name the function declarations use.</summary>
    public const string SectionName = "CosmosDb";

    /// <summary>Cosmos DB stores items of up to 2 MiB; an append or document is refused above this many encoded bytes.</summary>
    public const int MaxItemBytesLimit = 2_000_000;

    /// <summary><c>AccountEndpoint=…;AccountKey=…;</c>. Set this or <see cref="AccountEndpoint"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account endpoint for identity-based access (a managed identity, see <see cref="ManagedIdentityClientId"/>).</summary>
    public Uri? AccountEndpoint { get; set; }

    /// <summary>The client id of a user-assigned managed identity; without it the system-assigned identity is used.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The database; infra/bicep/cosmos-containers.json names the default.</summary>
    public string Database { get; set; } = CosmosContainerDefinitions.Default.Database;

    /// <summary>Create the database and containers (from cosmos-containers.json) when they are missing. By default only for
    /// an endpoint on this machine (the emulator or cosmosdb-server); in Azure, Bicep creates them and the app's identity
    /// is not allowed to.</summary>
    public bool? CreateResources { get; set; }

    /// <summary>Talk to Cosmos DB over HTTPS through its gateway rather than directly to the replicas (TCP). By default
    /// only for an endpoint on this machine: the emulator and cosmosdb-server speak the gateway protocol only.</summary>
    public bool? GatewayMode { get; set; }

    /// <summary>How often <see cref="CosmosEventStore.WaitForEventsAsync"/> looks at the change feed. Default 1 s.</summary>
    public TimeSpan FeedPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the SDK itself retries a throttled (429) request, honouring the server's retry-after. Default 9.</summary>
    public int MaxRateLimitRetries { get; set; } = 9;

    /// <summary>The longest the SDK waits in total across those retries. Default 30 s.</summary>
    public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Further attempts after the SDK gives up on a 429, 503 or 408 (or a transport failure). Default 4.</summary>
    public int TransientRetries { get; set; } = 4;

    /// <summary>The first delay of those attempts (doubling, with jitter) unless the answer says how long to wait. Default 200 ms.</summary>
    public TimeSpan TransientRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest append, measured as its encoded item. Default 1 MiB.</summary>
    public int MaxAppendBytes { get; set; } = 1 << 20;

    /// <summary>The largest document body. Default 1 MiB.</summary>
    public int MaxDocumentBytes { get; set; } = 1 << 20;

    /// <summary>For tests: wraps the HTTP handler the SDK sends through (e.g. to answer some requests with 429).</summary>
    internal Func<HttpMessageHandler, HttpMessageHandler>? WrapHttpHandler { get; set; }

    /// <summary>The endpoint of <see cref="ConnectionString"/> or <see cref="AccountEndpoint"/>.</summary>
    public Uri Endpoint => ConnectionString is { Length: > 0 } text
        ? CosmosConnectionString.Parse(text, SectionName).AccountEndpoint
        : AccountEndpoint ?? throw new InvalidOperationException("No Cosmos DB connection is configured.");

    /// <summary>Whether <see cref="Endpoint"/> is on this machine (loopback): the emulator or cosmosdb-server.</summary>
    public bool IsLocalEndpoint => IsLoopback(Endpoint);

    /// <summary>
    /// Reads the store's settings, or null when no Cosmos DB is configured:
    /// <list type="bullet">
    /// <item>a connection string in <c>CosmosDb</c> (the value of the section itself) or <c>ConnectionStrings:CosmosDb</c>;</item>
    /// <item>or <c>CosmosDb:accountEndpoint</c> with a managed identity (<c>CosmosDb:clientId</c> for a user-assigned one;
    /// <c>CosmosDb:credential</c> may say <c>managedidentity</c>, as the Functions host's identity-based connections do);</item>
    /// <item>and optionally <c>CosmosDb:database</c>, <c>createResources</c>, <c>gatewayMode</c>, <c>feedPollInterval</c>,
    /// <c>maxRateLimitRetries</c>, <c>maxRateLimitWait</c>, <c>transientRetries</c>, <c>transientRetryDelay</c>,
    /// <c>maxAppendBytes</c>, <c>maxDocumentBytes</c>.</item>
    /// </list>
    /// Environment variables spell the keys <c>CosmosDb__accountEndpoint</c> and so on.
    /// </summary>
    /// <exception cref="ArgumentException">A setting is present but invalid; the message names it.</exception>
    public static CosmosStoreOptions? FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(SectionName);
        var connectionString = NonEmpty(section.Value) ?? NonEmpty(configuration.GetConnectionString(SectionName));
        var endpoint = NonEmpty(section["accountEndpoint"]);
        if (connectionString is null && endpoint is null)
        {
            return null;
        }

        if (connectionString is not null && endpoint is not null)
        {
            throw new ArgumentException(
                $"Both a Cosmos DB connection string ('{SectionName}') and '{SectionName}:accountEndpoint' are set; set one.", SectionName);
        }

        if (NonEmpty(section["credential"]) is { } credential && !credential.Equals("managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"'{SectionName}:credential' is '{credential}'; the only credential supported is 'managedidentity'.", SectionName + ":credential");
        }

        var options = new CosmosStoreOptions
        {
            ConnectionString = connectionString,
            AccountEndpoint = endpoint is null ? null : CosmosConnectionString.ParseEndpoint(endpoint, SectionName + ":accountEndpoint"),
            ManagedIdentityClientId = NonEmpty(section["clientId"]),
        };
        if (NonEmpty(section["database"]) is { } database)
        {
            options.Database = database;
        }

        options.CreateResources = Read(section, "createResources", bool.Parse) ?? options.CreateResources;
        options.GatewayMode = Read(section, "gatewayMode", bool.Parse) ?? options.GatewayMode;
        options.FeedPollInterval = Read(section, "feedPollInterval", ParseTimeSpan) ?? options.FeedPollInterval;
        options.MaxRateLimitRetries = Read(section, "maxRateLimitRetries", ParseInt) ?? options.MaxRateLimitRetries;
        options.MaxRateLimitWait = Read(section, "maxRateLimitWait", ParseTimeSpan) ?? options.MaxRateLimitWait;
        options.TransientRetries = Read(section, "transientRetries", ParseInt) ?? options.TransientRetries;
        options.TransientRetryDelay = Read(section, "transientRetryDelay", ParseTimeSpan) ?? options.TransientRetryDelay;
        options.MaxAppendBytes = Read(section, "maxAppendBytes", ParseInt) ?? options.MaxAppendBytes;
        options.MaxDocumentBytes = Read(section, "maxDocumentBytes", ParseInt) ?? options.MaxDocumentBytes;
        options.Validate();
        return options;
    }

    /// <exception cref="ArgumentException">A setting is missing or out of range; the message names it.</exception>
    public void Validate()
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (AccountEndpoint is not null))
        {
            throw new ArgumentException(
                "Configure the Cosmos DB store with either a connection string or an account endpoint (managed identity), not both or neither.",
                nameof(ConnectionString));
        }

        if (hasConnectionString)
        {
            CosmosConnectionString.Parse(ConnectionString!, SectionName);
        }
        else if (!AccountEndpoint!.IsAbsoluteUri || (AccountEndpoint.Scheme != Uri.UriSchemeHttps && AccountEndpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{SectionName}:accountEndpoint' must be an absolute https URI.", nameof(AccountEndpoint));
        }

        if (string.IsNullOrWhiteSpace(Database))
        {
            throw new ArgumentException($"'{SectionName}:database' must name a database.", nameof(Database));
        }

        Require(FeedPollInterval > TimeSpan.Zero && FeedPollInterval <= TimeSpan.FromMinutes(5), "feedPollInterval", "between 0 and 5 minutes");
        Require(MaxRateLimitRetries is >= 0 and <= 100, "maxRateLimitRetries", "between 0 and 100");
        Require(MaxRateLimitWait >= TimeSpan.Zero && MaxRateLimitWait <= TimeSpan.FromMinutes(10), "maxRateLimitWait", "between 0 and 10 minutes");
        Require(TransientRetries is >= 0 and <= 20, "transientRetries", "between 0 and 20");
        Require(TransientRetryDelay > TimeSpan.Zero && TransientRetryDelay <= TimeSpan.FromMinutes(1), "transientRetryDelay", "between 0 and 1 minute");
        Require(MaxAppendBytes is >= 1024 and <= MaxItemBytesLimit, "maxAppendBytes", $"between 1024 and {MaxItemBytesLimit}");
        Require(MaxDocumentBytes is >= 1 and <= MaxItemBytesLimit - 4096, "maxDocumentBytes", $"between 1 and {MaxItemBytesLimit - 4096}");
    }

    internal static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static void Require(bool holds, string key, string range)
    {
        if (!holds)
        {
            throw new ArgumentException($"'{SectionName}:{key}' must be {range}.", $"{SectionName}:{key}");
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static T? Read<T>(IConfigurationSection section, string key, Func<string, T> parse)
        where T : struct
    {
        if (NonEmpty(section[key]) is not { } text)
        {
            return null;
        }

        try
        {
            return parse(text);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"'{SectionName}:{key}' has the value '{text}', which is not a valid {typeof(T).Name}.", $"{SectionName}:{key}", ex);
        }
        catch (OverflowException ex)
        {
            throw new ArgumentException($"'{SectionName}:{key}' has the value '{text}', which is out of range.", $"{SectionName}:{key}", ex);
        }
    }

    private static int ParseInt(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);

    private static TimeSpan ParseTimeSpan(string text) => TimeSpan.Parse(text, CultureInfo.InvariantCulture);
}
