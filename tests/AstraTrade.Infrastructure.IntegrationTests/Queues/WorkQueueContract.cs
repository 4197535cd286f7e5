using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>
/// What every <see cref="IWorkQueue"/> must do, as the port's documentation states it. An adapter's test class derives
/// from this and says how to make an empty queue. The clock is the real one (Azure Storage and Azurite keep their
/// own), and Azure Storage counts delays in whole seconds, so the delays here are whole seconds. A check that something
/// is still invisible is made only while it must be: if the machine stalled past the lease, there is nothing to check.
/// Also compiled into tests/AstraTrade.Orchestrations.Runtime.Tests for the in-process queue (linked source).
/// </summary>
public abstract class WorkQueueContract : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan LongLease = TimeSpan.FromSeconds(60);

    protected IWorkQueue Queue { get; private set; } = null!;

    public async Task InitializeAsync() => Queue = await CreateQueueAsync();

    public async Task DisposeAsync()
    {
        if (Queue is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else if (Queue is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>An empty queue of the adapter under test, used by one test only.</summary>
    protected abstract Task<IWorkQueue> CreateQueueAsync();

    [Fact]
    public async Task An_enqueued_message_is_received_once_with_its_body_and_a_first_dequeue_count()
    {
        var before = DateTimeOffset.UtcNow;
        await Queue.EnqueueAsync(Body("hello"), TimeSpan.Zero);
        var after = DateTimeOffset.UtcNow;

        var message = await ReceiveOneAsync(LongLease);

        Assert.Equal("hello", Text(message));
        Assert.Equal(1, message.DequeueCount);
        Assert.False(string.IsNullOrEmpty(message.MessageId));
        Assert.False(string.IsNullOrEmpty(message.PopReceipt));
        // Azure Storage reports insertion times to the second.
        Assert.InRange(message.InsertedAt, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Empty(await Queue.ReceiveAsync(32, LongLease));
    }

    [Fact]
    public async Task A_delayed_message_is_invisible_until_its_delay_has_passed()
    {
        var delay = TimeSpan.FromSeconds(3);
        var clock = Stopwatch.StartNew();
        await Queue.EnqueueAsync(Body("later"), delay);

        var early = await Queue.ReceiveAsync(32, LongLease);
        if (clock.Elapsed < delay)
        {
            Assert.Empty(early);
        }

        var message = await ReceiveOneAsync(LongLease);
        Assert.True(clock.Elapsed >= delay, $"received after {clock.Elapsed}, before its delay of {delay}");
        Assert.Equal("later", Text(message));
        Assert.Equal(1, message.DequeueCount);
    }

    [Fact]
    public async Task A_lease_that_runs_out_redelivers_the_message_with_the_next_dequeue_count_and_voids_the_old_receipt()
    {
        var lease = TimeSpan.FromSeconds(2);
        await Queue.EnqueueAsync(Body("m"), TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        var first = await ReceiveOneAsync(lease);
        var leasedFrom = clock.Elapsed;

        var during = await Queue.ReceiveAsync(32, lease);
        if (clock.Elapsed - leasedFrom < lease - TimeSpan.FromMilliseconds(100))
        {
            Assert.Empty(during);
        }

        var second = await ReceiveOneAsync(LongLease);
        Assert.True(clock.Elapsed >= lease, $"redelivered after {clock.Elapsed}, within the lease of {lease}");
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.NotEqual(first.PopReceipt, second.PopReceipt);
        Assert.Equal("m", Text(second));

        await Assert.ThrowsAsync<QueueMessageNotFoundException>(async () => await Queue.DeleteAsync(first.MessageId, first.PopReceipt));
        await Assert.ThrowsAsync<QueueMessageNotFoundException>(
            async () => await Queue.UpdateVisibilityAsync(first.MessageId, first.PopReceipt, TimeSpan.Zero));
        await Queue.DeleteAsync(second.MessageId, second.PopReceipt);
        Assert.Empty(await Queue.ReceiveAsync(32, LongLease));
    }

    [Fact]
    public async Task Renewing_a_lease_keeps_the_message_hidden_and_giving_it_back_makes_it_visible_at_once()
    {
        var lease = TimeSpan.FromSeconds(2);
        await Queue.EnqueueAsync(Body("m"), TimeSpan.Zero);
        var message = await ReceiveOneAsync(lease);
        var clock = Stopwatch.StartNew();
        var renewed = await Queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.FromSeconds(6));
        Assert.NotEqual(message.PopReceipt, renewed);

        // Past the first lease, within the renewed one.
        await Task.Delay(lease + TimeSpan.FromMilliseconds(500));
        var hidden = await Queue.ReceiveAsync(32, LongLease);
        if (clock.Elapsed < TimeSpan.FromSeconds(5.5))
        {
            Assert.Empty(hidden);
        }

        await Assert.ThrowsAsync<QueueMessageNotFoundException>(async () => await Queue.DeleteAsync(message.MessageId, message.PopReceipt));
        await Queue.UpdateVisibilityAsync(message.MessageId, renewed, TimeSpan.Zero);

        var again = await ReceiveOneAsync(LongLease, within: TimeSpan.FromSeconds(2));
        Assert.Equal((message.MessageId, 2), (again.MessageId, again.DequeueCount));
        await Queue.DeleteAsync(again.MessageId, again.PopReceipt);
    }

    [Fact]
    public async Task A_deleted_message_is_gone_for_every_receipt()
    {
        await Queue.EnqueueAsync(Body("m"), TimeSpan.Zero);
        var message = await ReceiveOneAsync(LongLease);
        await Queue.DeleteAsync(message.MessageId, message.PopReceipt);

        await Assert.ThrowsAsync<QueueMessageNotFoundException>(async () => await Queue.DeleteAsync(message.MessageId, message.PopReceipt));
        await Assert.ThrowsAsync<QueueMessageNotFoundException>(
            async () => await Queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.Zero));
        Assert.Empty(await Queue.ReceiveAsync(32, LongLease));
    }

    [Fact]
    public async Task A_receive_takes_at_most_the_number_asked_for()
    {
        for (var i = 0; i < 5; i++)
        {
            await Queue.EnqueueAsync(Body($"m{i}"), TimeSpan.Zero);
        }

        Assert.Equal(2, (await Queue.ReceiveAsync(2, LongLease)).Count);
        var rest = await Queue.ReceiveAsync(10, LongLease);
        Assert.Equal(3, rest.Count);
        Assert.Empty(await Queue.ReceiveAsync(10, LongLease));
    }

    [Fact]
    public async Task Concurrent_receivers_complete_every_message_and_never_hold_one_at_the_same_time()
    {
        const int count = 60;
        for (var i = 0; i < count; i++)
        {
            await Queue.EnqueueAsync(Body($"m{i}"), TimeSpan.Zero);
        }

        var holders = new ConcurrentDictionary<string, int>();
        var completed = new ConcurrentDictionary<string, int>();
        var givenBack = new ConcurrentDictionary<string, bool>();
        var overlaps = new ConcurrentQueue<string>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        async Task ReceiverAsync(int receiver)
        {
            while (completed.Count < count && !deadline.IsCancellationRequested)
            {
                var batch = await Queue.ReceiveAsync(5, LongLease, deadline.Token);
                if (batch.Count == 0)
                {
                    await Task.Delay(20, deadline.Token);
                    continue;
                }

                foreach (var message in batch)
                {
                    if (!holders.TryAdd(message.MessageId, receiver))
                    {
                        overlaps.Enqueue($"{message.MessageId} received by {receiver} while {holders[message.MessageId]} held it");
                        continue;
                    }

                    await Task.Yield();
                    var text = Text(message);

                    // Every third message is given back once, so redelivery to another receiver is part of the run.
                    var giveBack = text.EndsWith('0') || text.EndsWith('3') || text.EndsWith('6');
                    holders.TryRemove(message.MessageId, out _); // released before the call: the next holder may come at once
                    if (giveBack && givenBack.TryAdd(text, true))
                    {
                        await Queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.Zero, deadline.Token);
                    }
                    else
                    {
                        await Queue.DeleteAsync(message.MessageId, message.PopReceipt, deadline.Token);
                        completed.AddOrUpdate(text, 1, (_, n) => n + 1);
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(1, 4).Select(r => Task.Run(() => ReceiverAsync(r))));

        Assert.Empty(overlaps);
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"m{i}").Order(), completed.Keys.Order());
        Assert.All(completed.Values, n => Assert.Equal(1, n));
        Assert.Empty(await Queue.ReceiveAsync(32, LongLease));
    }

    [Fact]
    public async Task The_largest_body_goes_through_intact_and_one_byte_more_is_refused()
    {
        var largest = new byte[Queue.MaxMessageBytes];
        new Random(7).NextBytes(largest);
        await Queue.EnqueueAsync(largest, TimeSpan.Zero);
        var message = await ReceiveOneAsync(LongLease);
        Assert.Equal(largest, message.Body.ToArray());
        await Queue.DeleteAsync(message.MessageId, message.PopReceipt);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Queue.EnqueueAsync(new byte[Queue.MaxMessageBytes + 1], TimeSpan.Zero));
        Assert.Empty(await Queue.ReceiveAsync(32, LongLease));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_and_change_nothing()
    {
        await Queue.EnqueueAsync(Body("m"), TimeSpan.Zero);
        var message = await ReceiveOneAsync(LongLease);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Queue.EnqueueAsync(Body("x"), TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Queue.ReceiveAsync(0, LongLease));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Queue.ReceiveAsync(1, TimeSpan.FromSeconds(-1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await Queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.FromSeconds(-1)));

        // The lease and receipt are untouched: the receipt still deletes, and nothing else was enqueued.
        await Queue.DeleteAsync(message.MessageId, message.PopReceipt);
        Assert.Empty(await Queue.ReceiveAsync(32, LongLease));
    }

    [Fact]
    public async Task A_waiting_receiver_wakes_up_once_a_message_is_visible()
    {
        Assert.Empty(await Queue.ReceiveAsync(32, LongLease));
        var waiting = Queue.WaitForMessagesAsync().AsTask();
        await Queue.EnqueueAsync(Body("m"), TimeSpan.Zero);

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("m", Text(await ReceiveOneAsync(LongLease)));
    }

    protected static byte[] Body(string text) => Encoding.UTF8.GetBytes(text);

    protected static string Text(QueueMessage message) => Encoding.UTF8.GetString(message.Body.Span);

    /// <summary>Polls until exactly one message comes (a queue is not instant, and delays and leases take time).</summary>
    protected async Task<QueueMessage> ReceiveOneAsync(TimeSpan lease, TimeSpan? within = null)
    {
        var limit = within ?? Patience;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var received = await Queue.ReceiveAsync(1, lease);
            if (received.Count == 1)
            {
                return received[0];
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException($"No message was received within {limit}.");
            }

            await Task.Delay(50);
        }
    }
}
