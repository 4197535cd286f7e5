using AstraTrade.Infrastructure.Storage.Cosmos;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>The event store contract against Cosmos DB (cosmosdb-server, or the account in ASTRATRADE_COSMOS_CONNECTION).
/// "Closing and reopening the store" is a new <see cref="CosmosStore"/> (a new client) on the same database.</summary>
[Collection(CosmosCollection.Name)]
public sealed class CosmosEventStoreContractTests(CosmosTarget target) : EventStoreContract
{
    private readonly string _database = target.NewDatabase();

    protected override ValueTask<EventStoreConnection> ConnectAsync()
    {
        var store = CosmosStore.Create(target.Options(_database));
        return ValueTask.FromResult(new EventStoreConnection(store.Events, store.Events, store));
    }

    protected override async ValueTask DeleteStorageAsync() => await target.DeleteDatabaseAsync(_database);
}

/// <summary>The document store contract against Cosmos DB.</summary>
[Collection(CosmosCollection.Name)]
public sealed class CosmosDocumentStoreContractTests(CosmosTarget target) : DocumentStoreContract
{
    private readonly string _database = target.NewDatabase();

    protected override ValueTask<DocumentStoreConnection> ConnectAsync()
    {
        var store = CosmosStore.Create(target.Options(_database));
        return ValueTask.FromResult(new DocumentStoreConnection(store.Documents, store));
    }

    protected override async ValueTask DeleteStorageAsync() => await target.DeleteDatabaseAsync(_database);
}
