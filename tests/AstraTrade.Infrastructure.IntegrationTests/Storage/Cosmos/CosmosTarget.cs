using AstraTrade.Infrastructure.Storage.Cosmos;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>
/// Where the Cosmos DB store tests run: against the Cosmos DB account (or emulator) whose connection string is in
/// ASTRATRADE_COSMOS_CONNECTION when that is set, else against a cosmosdb-server started for the run. The contract tests
/// share one database for the run (astratrade-test-…, deleted at the end), as they would share a store, so that the feed
/// they read holds other tests' events and its checkpoints are real continuations; they keep apart by their stream ids
/// and collections. Other tests may ask for a database of their own, deleted afterwards (on an account they share the
/// run's database too, so they too only look at their own streams).
/// </summary>
public sealed class CosmosTarget : IAsyncLifetime
{
    public const string ConnectionVariable = "ASTRATRADE_COSMOS_CONNECTION";

    private readonly string _runDatabase = "astratrade-test-" + Guid.NewGuid().ToString("N")[..8];
    private CosmosDbServer? _server;

    /// <summary>The tests run against a real account or emulator rather than cosmosdb-server.</summary>
    public static bool IsAccount => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionVariable));

    public string ConnectionString => IsAccount ? Environment.GetEnvironmentVariable(ConnectionVariable)! : _server!.ConnectionString;

    public Task InitializeAsync()
    {
        if (!IsAccount)
        {
            _server = new CosmosDbServer();
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await DeleteAsync(_runDatabase);
        _server?.Dispose();
    }

    /// <summary>The database the run shares.</summary>
    public string SharedDatabase => _runDatabase;

    /// <summary>A database for one test's storage.</summary>
    public string NewDatabase() => IsAccount ? _runDatabase : "t-" + Guid.NewGuid().ToString("N");

    /// <summary>Store options for <paramref name="database"/>, creating what is missing, polling the feed every 50 ms.</summary>
    public CosmosStoreOptions Options(string database) => new()
    {
        ConnectionString = ConnectionString,
        Database = database,
        CreateResources = true,
        FeedPollInterval = TimeSpan.FromMilliseconds(50),
        TransientRetryDelay = TimeSpan.FromMilliseconds(20),
    };

    /// <summary>Removes a test's database (the shared one goes at the end of the run).</summary>
    public Task DeleteDatabaseAsync(string database) => database == _runDatabase ? Task.CompletedTask : DeleteAsync(database);

    private async Task DeleteAsync(string database)
    {
        using var client = CosmosClientFactory.Create(Options(database));
        using var response = await client.GetDatabase(database).DeleteStreamAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class CosmosCollection : ICollectionFixture<CosmosTarget>
{
    public const string Name = "Cosmos DB";
}

/// <summary>
/// A test of a Cosmos DB behaviour that cosmosdb-server does not have (the reason says which): it runs against an account
/// (ASTRATRADE_COSMOS_CONNECTION) and is skipped, with the reason, against cosmosdb-server.
/// </summary>
public sealed class CosmosDbServerCannotCheckAttribute : FactAttribute
{
    public CosmosDbServerCannotCheckAttribute(string reason)
    {
        if (!CosmosTarget.IsAccount)
        {
            Skip = "cosmosdb-server cannot check this: " + reason + $" (set {CosmosTarget.ConnectionVariable} to run it against Cosmos DB).";
        }
    }
}
