using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>A queue that refuses receives for a while (a role assignment still propagating, a rotated key, an outage
/// longer than the adapter's retries) delays the work; it does not stop the worker.</summary>
public sealed class QueueOutageTests
{
    [Fact]
    public async Task The_worker_backs_off_while_receiving_fails_and_carries_on_when_the_queue_answers_again()
    {
        var directory = Path.Combine(Path.GetTempPath(), "astratrade-outage-" + Guid.NewGuid().ToString("N"));
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory });
        using var inner = new InProcessWorkQueue(TimeProvider.System);
        var queue = new RefusingQueue(inner) { RefusalsLeft = 3 };
        var activities = new ActivityLog();
        var registry = new WorkflowRegistry().AddWorkflow(new SequenceWorkflow());
        activities.Register(registry, () => TimeProvider.System);
        await using var host = new WorkflowHost(
            registry, store.Events, store.Events, store.Documents, queue,
            new WorkflowHostOptions { ProcessingRetryDelay = TimeSpan.FromMilliseconds(10), MaxProcessingRetryDelay = TimeSpan.FromMilliseconds(50) });
        await host.StartAsync(CancellationToken.None);

        var started = await host.Client.StartNewAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["a", "b"]));

        var status = await WaitForAsync(host, started.InstanceId);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(0, queue.RefusalsLeft);
        Assert.Equal(["a", "b"], activities.Attempts.Select(a => a.Input));
        await host.StopAsync(CancellationToken.None);
        Directory.Delete(directory, recursive: true);
    }

    private static async Task<WorkflowStatus> WaitForAsync(WorkflowHost host, string instanceId)
    {
        for (var waited = 0; waited < 200; waited++)
        {
            if (await host.Client.GetStatusAsync(instanceId) is { RuntimeStatus: WorkflowRuntimeStatus.Completed or WorkflowRuntimeStatus.Failed } done)
            {
                return done;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"{instanceId} did not finish in 10 s.");
    }

    private sealed class RefusingQueue(IWorkQueue inner) : IWorkQueue
    {
        private int _refusalsLeft;

        public int RefusalsLeft { get => Volatile.Read(ref _refusalsLeft); set => Volatile.Write(ref _refusalsLeft, value); }

        public TimeSpan MaxVisibilityDelay => inner.MaxVisibilityDelay;

        public int MaxMessageBytes => inner.MaxMessageBytes;

        public ValueTask EnqueueAsync(ReadOnlyMemory<byte> body, TimeSpan visibilityDelay, CancellationToken cancellationToken = default) =>
            inner.EnqueueAsync(body, visibilityDelay, cancellationToken);

        public ValueTask<IReadOnlyList<QueueMessage>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Decrement(ref _refusalsLeft) >= 0)
            {
                throw new InvalidOperationException("403 AuthorizationPermissionMismatch (the role is still propagating)");
            }

            Interlocked.Exchange(ref _refusalsLeft, 0);
            return inner.ReceiveAsync(maxMessages, visibilityTimeout, cancellationToken);
        }

        public ValueTask DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(messageId, popReceipt, cancellationToken);

        public ValueTask<string> UpdateVisibilityAsync(string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default) =>
            inner.UpdateVisibilityAsync(messageId, popReceipt, visibilityTimeout, cancellationToken);

        public ValueTask WaitForMessagesAsync(CancellationToken cancellationToken = default) => inner.WaitForMessagesAsync(cancellationToken);
    }
}
