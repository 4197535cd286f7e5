using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// The Cosmos DB store (ARCHITECTURE.md §3, docs/cosmos.md): an event store with its feed on the events container and a
/// document store on the documents container, of the database infra/bicep/cosmos-containers.json defines.
/// <code>
/// var store = CosmosStore.Create(CosmosStoreOptions.FromConfiguration(configuration)!, TimeProvider.System, loggerFactory);
/// IEventStore events = store.Events;
/// IEventFeed feed = store.Events;
/// IDocumentStore documents = store.Documents;
/// </code>
/// Creating the store sends nothing; the first operation connects and, when <see cref="CosmosStoreOptions.CreateResources"/>
/// holds (by default for a local endpoint), creates the database and containers that are missing. A failed start is
/// tried again by the next operation.
/// </summary>
public sealed class CosmosStore : IAsyncDisposable, IDisposable
{
    private readonly CosmosClient _client;
    private readonly CosmosStoreOptions _options;
    private readonly CosmosRequests _requests;
    private readonly ILogger _logger;
    private readonly Lock _readyGate = new();
    private Task? _ready;

    private CosmosStore(CosmosClient client, CosmosStoreOptions options, TimeProvider time, ILogger logger)
    {
        _client = client;
        _options = options;
        _logger = logger;
        _requests = new CosmosRequests(options, logger, time);
        var definitions = CosmosContainerDefinitions.Default;
        var database = client.GetDatabase(options.Database);
        Events = new CosmosEventStore(database.GetContainer(definitions.Events.Name), _requests, ReadyAsync, time, options);
        Documents = new CosmosDocumentStore(database.GetContainer(definitions.Documents.Name), _requests, ReadyAsync, options);
    }

    /// <summary>The event store, which is also the feed (<see cref="Application.Ports.IEventFeed"/>).</summary>
    public CosmosEventStore Events { get; }

    public CosmosDocumentStore Documents { get; }

    /// <summary>The account endpoint (for logs and /health; never the key).</summary>
    public Uri Endpoint => _options.Endpoint;

    public string Database => _options.Database;

    /// <exception cref="ArgumentException">The options are invalid; the message names the setting.</exception>
    public static CosmosStore Create(CosmosStoreOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CosmosStore>();
        return new CosmosStore(CosmosClientFactory.Create(options), options, timeProvider ?? TimeProvider.System, logger);
    }

    /// <summary>Connects (creating what is missing, if configured to); operations do this themselves on first use.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => ReadyAsync(cancellationToken);

    /// <summary>Whether the account answers and the containers exist; never throws for an unreachable account.</summary>
    public async Task<CosmosStoreStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var endpoint = Endpoint.GetLeftPart(UriPartial.Authority);
        var containers = new List<CosmosContainerStatus>();
        try
        {
            await _client.ReadAccountAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            var database = _client.GetDatabase(_options.Database);
            string? error = null;
            foreach (var name in new[] { CosmosContainerDefinitions.EventsContainer, CosmosContainerDefinitions.DocumentsContainer })
            {
                using var answer = await _requests.SendAsync(
                    "status", ct => database.GetContainer(name).ReadContainerStreamAsync(cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                containers.Add(new CosmosContainerStatus(name, answer.Response.IsSuccessStatusCode));
                if (!answer.Response.IsSuccessStatusCode && answer.Status != HttpStatusCode.NotFound)
                {
                    error ??= CosmosRequests.Unexpected("status", answer.Response).Message;
                }
            }

            return new CosmosStoreStatus(endpoint, _options.Database, Reachable: true, containers, error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new CosmosStoreStatus(endpoint, _options.Database, Reachable: false, containers, ex.Message.Split('\n', 2)[0]);
        }
    }

    public void Dispose() => _client.Dispose();

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task ReadyAsync(CancellationToken cancellationToken)
    {
        Task ready;
        lock (_readyGate)
        {
            if (_ready is null || _ready.IsFaulted || _ready.IsCanceled)
            {
                _ready = StartAsync();
            }

            ready = _ready;
        }

        return ready.IsCompletedSuccessfully ? Task.CompletedTask : ready.WaitAsync(cancellationToken);
    }

    private async Task StartAsync()
    {
        if (!(_options.CreateResources ?? _options.IsLocalEndpoint))
        {
            return;
        }

        var definitions = CosmosContainerDefinitions.Default;
        var database = (await _client.CreateDatabaseIfNotExistsAsync(_options.Database).ConfigureAwait(false)).Database;
        foreach (var definition in definitions.Containers)
        {
            var properties = new ContainerProperties(definition.Name, definition.PartitionKeyPath)
            {
                // The SDK's own type; its JSON contract is the REST format the definitions file uses.
                IndexingPolicy = JsonConvert.DeserializeObject<IndexingPolicy>(definition.IndexingPolicyJson),
                DefaultTimeToLive = definition.DefaultTtl,
                PartitionKeyDefinitionVersion = PartitionKeyDefinitionVersion.V2,
            };
            await database.CreateContainerIfNotExistsAsync(properties).ConfigureAwait(false);
        }

        LogCreated(_logger, _options.Database, definitions.Containers.Count, null);
    }

    private static readonly Action<ILogger, string, int, Exception?> LogCreated = LoggerMessage.Define<string, int>(
        LogLevel.Information, new EventId(1, "CosmosResourcesReady"), "Cosmos DB database {Database} and its {Count} containers are in place");
}
