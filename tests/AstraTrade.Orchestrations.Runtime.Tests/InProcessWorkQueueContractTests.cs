using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.IntegrationTests.Queues;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>The queue contract on the in-process queue, on the system clock (the contract's timings are real).</summary>
[Collection(RealClockCollection.Name)]
public sealed class InProcessWorkQueueContractTests : WorkQueueContract
{
    protected override Task<IWorkQueue> CreateQueueAsync() => Task.FromResult<IWorkQueue>(new InProcessWorkQueue());
}
