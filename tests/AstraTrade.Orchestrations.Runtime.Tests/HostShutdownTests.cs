using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>A container and a host may stop and dispose the workflow host in either order, and more than once (an app
/// disposed while its host is stopping): every call waits for the one stop, none touches what a dispose released.</summary>
public sealed class HostShutdownTests
{
    [Fact]
    public async Task Stopping_after_dispose_and_stopping_concurrently_are_one_stop()
    {
        var directory = Path.Combine(Path.GetTempPath(), "astratrade-shutdown-" + Guid.NewGuid().ToString("N"));
        await using (var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory }))
        {
            using var queue = new InProcessWorkQueue(TimeProvider.System);
            var host = new WorkflowHost(new WorkflowRegistry(), store.Events, store.Events, store.Documents, queue, new WorkflowHostOptions());
            await host.StartAsync(CancellationToken.None);

            await Task.WhenAll(host.StopAsync(CancellationToken.None), host.StopAsync(CancellationToken.None), host.DisposeAsync().AsTask());
            await host.StopAsync(CancellationToken.None); // after the dispose released the host's cancellation source
            await host.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }
}
