using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

public sealed class EmbeddedEventStoreContractTests : EventStoreContract
{
    private readonly TempDirectory _directory = new();

    protected override ValueTask<EventStoreConnection> ConnectAsync()
    {
        var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path });
        return ValueTask.FromResult(new EventStoreConnection(store.Events, store.Events, store));
    }

    protected override ValueTask DeleteStorageAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class EmbeddedDocumentStoreContractTests : DocumentStoreContract
{
    private readonly TempDirectory _directory = new();

    protected override ValueTask<DocumentStoreConnection> ConnectAsync()
    {
        var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path });
        return ValueTask.FromResult(new DocumentStoreConnection(store.Documents, store));
    }

    protected override ValueTask DeleteStorageAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
