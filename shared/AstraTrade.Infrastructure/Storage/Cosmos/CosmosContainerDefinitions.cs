using System.Text.Json;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>One container as infra/bicep/cosmos-containers.json defines it.</summary>
/// <param name="IndexingPolicyJson">The indexing policy in the Cosmos DB REST (and ARM/Bicep) format.</param>
/// <param name="DefaultTtl">Seconds, or -1 for "on, no default"; null when the container has no time-to-live.</param>
public sealed record CosmosContainerDefinition(string Name, string PartitionKeyPath, string IndexingPolicyJson, int? DefaultTtl);

/// <summary>
/// The database and containers, read from infra/bicep/cosmos-containers.json, which is embedded in this assembly: the one
/// definition the adapter (creating them when self-hosted) and Bicep (deploying them) share, so they cannot drift apart.
/// </summary>
public sealed class CosmosContainerDefinitions
{
    public const string EventsContainer = "events";
    public const string DocumentsContainer = "documents";
    public const string LeasesContainer = "leases";

    internal const string ResourceName = "AstraTrade.Infrastructure.Storage.Cosmos.cosmos-containers.json";

    private CosmosContainerDefinitions(string database, IReadOnlyList<CosmosContainerDefinition> containers)
    {
        Database = database;
        Containers = containers;
    }

    /// <summary>The definitions embedded in this assembly.</summary>
    public static CosmosContainerDefinitions Default { get; } = Load();

    /// <summary>The default database name.</summary>
    public string Database { get; }

    public IReadOnlyList<CosmosContainerDefinition> Containers { get; }

    public CosmosContainerDefinition Events => Get(EventsContainer);

    public CosmosContainerDefinition Documents => Get(DocumentsContainer);

    public CosmosContainerDefinition Leases => Get(LeasesContainer);

    /// <summary>Parses a definitions file; the schema is the one main.bicep reads.</summary>
    /// <exception cref="InvalidDataException">The JSON does not follow that schema, or lacks one of the three containers.</exception>
    public static CosmosContainerDefinitions Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            var database = RequiredString(root, "database");
            var containers = new List<CosmosContainerDefinition>();
            foreach (var container in Required(root, "containers", JsonValueKind.Array).EnumerateArray())
            {
                var indexingPolicy = Required(container, "indexingPolicy", JsonValueKind.Object);
                int? ttl = container.TryGetProperty("defaultTtl", out var t) ? t.GetInt32() : null;
                var path = RequiredString(container, "partitionKeyPath");
                if (!path.StartsWith('/'))
                {
                    throw new InvalidDataException($"The partition key path '{path}' does not start with '/'.");
                }

                containers.Add(new CosmosContainerDefinition(RequiredString(container, "name"), path, indexingPolicy.GetRawText(), ttl));
            }

            var definitions = new CosmosContainerDefinitions(database, containers);
            _ = definitions.Events;
            _ = definitions.Documents;
            _ = definitions.Leases;
            return definitions;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"The Cosmos DB container definitions are malformed: {ex.Message}", ex);
        }
    }

    private static CosmosContainerDefinitions Load()
    {
        using var stream = typeof(CosmosContainerDefinitions).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind) =>
        parent.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new InvalidDataException($"'{name}' is missing or not a JSON {kind}.");

    private static string RequiredString(JsonElement parent, string name) =>
        Required(parent, name, JsonValueKind.String).GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"'{name}' is empty.");

    private CosmosContainerDefinition Get(string name) =>
        Containers.FirstOrDefault(c => c.Name == name) ?? throw new InvalidDataException($"The container '{name}' is not defined.");
}
