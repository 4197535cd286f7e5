using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>The queue contract on Azurite, through the REST adapter with Shared Key authorization.</summary>
public sealed class AzureStorageQueueContractTests : WorkQueueContract
{
    protected override async Task<IWorkQueue> CreateQueueAsync()
    {
        var azurite = await Azurite.QueueServiceAsync();
        return new AzureStorageQueue(azurite.Service, Azurite.NewQueueName("contract"));
    }
}
