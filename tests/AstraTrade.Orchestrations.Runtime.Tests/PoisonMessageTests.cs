using AstraTrade.Application.Ports;

namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class PoisonMessageTests
{
    [Fact]
    public async Task A_message_that_is_not_a_work_item_is_moved_aside()
    {
        await using var runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new SequenceWorkflow()));
        await runtime.Queue.EnqueueAsync("{\"k\":\"bogus\"}"u8.ToArray(), TimeSpan.Zero);
        await runtime.IdleAsync();

        var poison = Assert.Single(runtime.Host.PoisonMessages);
        Assert.Equal("{\"k\":\"bogus\"}", poison.Body);
        Assert.NotNull(await runtime.Store.Documents.GetAsync("workflow-poison", poison.DocumentId));
        Assert.Equal(0, runtime.Queue.Count);
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_moved_aside_and_fails_its_activity_call_visibly()
    {
        var activities = new ActivityLog();
        RuntimeFixture runtime = null!;
        var faults = new FaultyEventStore();
        runtime = await RuntimeFixture.StartAsync(
            r =>
            {
                r.AddWorkflow(new RetryingWorkflow());
                activities.Register(r, () => runtime.Time);
            },
            new WorkflowHostOptions { MaxDequeueCount = 3, ProcessingRetryDelay = TimeSpan.FromSeconds(1) },
            wrapEvents: inner => faults.Wrap(inner));
        await using (runtime)
        {
            // Storing the activity's result fails, again and again (recording the failure still works). Set before the
            // start: set after, the activity could complete first.
            faults.FailWhen = (stream, events) => stream.StartsWith("wf-", StringComparison.Ordinal)
                && System.Text.Encoding.UTF8.GetString(events[0].Data.Span).Contains("\"kind\":\"activity-completed\"", StringComparison.Ordinal);
            var id = await runtime.StartAsync(RetryingWorkflow.Name, new RetryingWorkflow.Input("v", RetryPolicy.None));
            await runtime.IdleAsync();
            Assert.Equal(WorkflowRuntimeStatus.Running, (await runtime.StatusAsync(id)).RuntimeStatus);

            // Received 1, 2, 3 times (each failing, backing off 1, 2, 4 s), then the 4th receipt finds it poison.
            await runtime.AdvanceAsync(TimeSpan.FromSeconds(1));
            await runtime.AdvanceAsync(TimeSpan.FromSeconds(2));
            Assert.Empty(runtime.Host.PoisonMessages);
            await runtime.AdvanceAsync(TimeSpan.FromSeconds(4));

            var poison = Assert.Single(runtime.Host.PoisonMessages);
            Assert.Equal(4, poison.DequeueCount);
            Assert.Equal(3, activities.Attempts.Count); // the activity ran on each receipt: at least once
            var status = await runtime.StatusAsync(id);
            Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
            Assert.StartsWith("failed: Poison message: the message was received 4 times", status.Output!.Value.GetString());
        }
    }

    /// <summary>An event store whose appends fail on demand (as a broken disk or network would).</summary>
    private sealed class FaultyEventStore
    {
        public Func<string, IReadOnlyList<EventData>, bool> FailWhen { get; set; } = (_, _) => false;

        public IEventStore Wrap(IEventStore inner) => new Store(inner, this);

        private sealed class Store(IEventStore inner, FaultyEventStore faults) : IEventStore
        {
            public ValueTask<AppendResult> AppendAsync(string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
                faults.FailWhen(streamId, events)
                    ? throw new IOException("disk on fire")
                    : inner.AppendAsync(streamId, expectedVersion, events, cancellationToken);

            public ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
                inner.ReadStreamAsync(streamId, fromVersion, maxCount, cancellationToken);

            public ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamBackwardAsync(string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default) =>
                inner.ReadStreamBackwardAsync(streamId, fromVersion, maxCount, cancellationToken);
        }
    }
}
