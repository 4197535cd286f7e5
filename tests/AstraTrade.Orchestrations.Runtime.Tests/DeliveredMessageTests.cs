using AstraTrade.Application.Ports;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>
/// In Azure the Functions host receives the work queue (queueTrigger) and hands each message to the runtime, deleting it
/// when the invocation succeeds and making it visible again when it fails. These tests play that host: the runtime's
/// own worker is off (<see cref="WorkflowHostOptions.ReceiveFromQueue"/> false) and only <see cref="DeliverVisibleAsync"/>
/// moves work.
/// </summary>
public sealed class DeliveredMessageTests
{
    private static readonly WorkflowHostOptions Delivered = new() { ReceiveFromQueue = false, MaxDequeueCount = 3 };

    [Fact]
    public async Task A_workflow_runs_to_completion_on_delivered_messages_alone()
    {
        var activities = new ActivityLog();
        RuntimeFixture runtime = null!;
        runtime = await RuntimeFixture.StartAsync(
            r =>
            {
                r.AddWorkflow(new SequenceWorkflow());
                activities.Register(r, () => runtime.Time);
            },
            Delivered);
        await using (runtime)
        {
            var id = await runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["a", "b", "c"]));

            // Nobody else receives: the work waits on the queue for the host.
            await Task.Delay(200);
            Assert.Equal(WorkflowRuntimeStatus.Pending, (await runtime.StatusAsync(id)).RuntimeStatus);
            Assert.Empty(activities.Attempts);

            var delivered = await DeliverVisibleAsync(runtime);

            var status = await runtime.StatusAsync(id);
            Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
            Assert.Equal(["a", "b", "c"], activities.Attempts.Select(a => a.Input));
            Assert.True(delivered >= 4, $"start + 3 activities + their results need at least 4 deliveries, saw {delivered}");
            Assert.Equal(0, runtime.Queue.Count);
        }
    }

    [Fact]
    public async Task A_durable_timer_is_a_delayed_message_the_host_delivers_once_it_is_visible()
    {
        await using var runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new TimerWorkflow()), Delivered);
        var id = await runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([30], []));
        await DeliverVisibleAsync(runtime);
        Assert.Equal(WorkflowRuntimeStatus.Running, (await runtime.StatusAsync(id)).RuntimeStatus);

        runtime.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await DeliverVisibleAsync(runtime));

        runtime.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await DeliverVisibleAsync(runtime));
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await runtime.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_message_delivered_too_often_fails_its_instance_visibly_and_the_delivery_succeeds()
    {
        await using var runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new SequenceWorkflow()), Delivered);
        var id = await runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["a"]));
        var start = Assert.Single(await runtime.Queue.ReceiveAsync(16, TimeSpan.FromMinutes(5)));

        // The host's 4th delivery (its maxDequeueCount is set above the runtime's 3, so the runtime decides first).
        await runtime.Host.ProcessDeliveredAsync(start with { DequeueCount = 4 }, CancellationToken.None);

        var poison = Assert.Single(runtime.Host.PoisonMessages);
        Assert.Equal(4, poison.DequeueCount);
        var status = await runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Contains("received 4 times", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_message_is_moved_aside_and_the_delivery_succeeds()
    {
        await using var runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new SequenceWorkflow()), Delivered);
        var message = new QueueMessage("m-1", "r-1", "{\"k\":\"bogus\"}"u8.ToArray(), DequeueCount: 1, runtime.Time.GetUtcNow());

        await runtime.Host.ProcessDeliveredAsync(message, CancellationToken.None);

        var poison = Assert.Single(runtime.Host.PoisonMessages);
        Assert.Equal("the message is not a work item", poison.Reason);
    }

    [Fact]
    public async Task Delivering_waits_for_the_host_to_start_and_honours_cancellation()
    {
        await using var runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new SequenceWorkflow()), Delivered);
        var message = new QueueMessage("m-1", "r-1", "{}"u8.ToArray(), 1, runtime.Time.GetUtcNow());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.Host.ProcessDeliveredAsync(message, cancelled.Token));
    }

    /// <summary>Does what the Functions host's queue listener does until no message is visible: receive, invoke,
    /// delete on success, make visible again on failure. Returns how many messages it delivered.</summary>
    private static async Task<int> DeliverVisibleAsync(RuntimeFixture runtime)
    {
        var delivered = 0;
        while (true)
        {
            var messages = await runtime.Queue.ReceiveAsync(16, TimeSpan.FromMinutes(5));
            if (messages.Count == 0)
            {
                return delivered;
            }

            foreach (var message in messages)
            {
                await runtime.Host.ProcessDeliveredAsync(message, CancellationToken.None);
                await runtime.Queue.DeleteAsync(message.MessageId, message.PopReceipt);
                delivered++;
            }
        }
    }
}
