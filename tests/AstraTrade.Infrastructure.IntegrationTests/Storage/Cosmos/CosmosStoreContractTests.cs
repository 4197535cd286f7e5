using AstraTrade.Infrastructure.Storage.Cosmos;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>The event store contract against Cosmos DB (cosmosdb-server, or the account in ASTRATRADE_COSMOS_CONNECTION),
/// in the database the run shares. "Closing and reopening the store" is a new <see cref="CosmosStore"/> (a new client).
/// cosmosdb-server checks every behaviour of the contract (with the change feed server.js adds, see
/// tests/tools/cosmosdb-server/server.js); what it cannot show of Cosmos DB itself is listed in docs/cosmos.md and, where a
/// test can show it against an account, marked <see cref="CosmosDbServerCannotCheckAttribute"/>.</summary>
[Collection(CosmosCollection.Name)]
public sealed class CosmosEventStoreContractTests(CosmosTarget target) : EventStoreContract
{
    protected override ValueTask<EventStoreConnection> ConnectAsync()
    {
        var store = CosmosStore.Create(target.Options(target.SharedDatabase));
        return ValueTask.FromResult(new EventStoreConnection(store.Events, store.Events, store));
    }
}

/// <summary>The document store contract against Cosmos DB, in the database the run shares.</summary>
[Collection(CosmosCollection.Name)]
public sealed class CosmosDocumentStoreContractTests(CosmosTarget target) : DocumentStoreContract
{
    protected override ValueTask<DocumentStoreConnection> ConnectAsync()
    {
        var store = CosmosStore.Create(target.Options(target.SharedDatabase));
        return ValueTask.FromResult(new DocumentStoreConnection(store.Documents, store));
    }
}
