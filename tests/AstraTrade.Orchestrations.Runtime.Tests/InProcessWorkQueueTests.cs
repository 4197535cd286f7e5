using AstraTrade.Application.Ports;
using AstraTrade.Testing;

namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class InProcessWorkQueueTests : IDisposable
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly ManualTimeProvider _time = new();
    private readonly InProcessWorkQueue _queue;

    public InProcessWorkQueueTests() => _queue = new InProcessWorkQueue(_time);

    public void Dispose() => _queue.Dispose();

    [Fact]
    public async Task A_delayed_message_is_invisible_until_its_delay_has_passed()
    {
        await _queue.EnqueueAsync("a"u8.ToArray(), TimeSpan.FromSeconds(10));
        Assert.Empty(await _queue.ReceiveAsync(10, Lease));
        var waiting = _queue.WaitForMessagesAsync().AsTask();

        _time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Empty(await _queue.ReceiveAsync(10, Lease));
        Assert.False(waiting.IsCompleted);

        _time.Advance(TimeSpan.FromTicks(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        var message = Assert.Single(await _queue.ReceiveAsync(10, Lease));
        Assert.Equal("a"u8.ToArray(), message.Body.ToArray());
        Assert.Equal(1, message.DequeueCount);
    }

    [Fact]
    public async Task Messages_come_in_visible_time_order_then_arrival_order()
    {
        await _queue.EnqueueAsync("late"u8.ToArray(), TimeSpan.FromSeconds(3));
        await _queue.EnqueueAsync("first"u8.ToArray(), TimeSpan.Zero);
        await _queue.EnqueueAsync("second"u8.ToArray(), TimeSpan.Zero);
        await _queue.EnqueueAsync("soon"u8.ToArray(), TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(5));

        var received = await _queue.ReceiveAsync(10, Lease);
        Assert.Equal(["first", "second", "soon", "late"], received.Select(m => System.Text.Encoding.UTF8.GetString(m.Body.Span)));
    }

    [Fact]
    public async Task A_lease_that_runs_out_makes_the_message_visible_again_and_voids_the_old_receipt()
    {
        await _queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero);
        var first = Assert.Single(await _queue.ReceiveAsync(1, Lease));
        Assert.Empty(await _queue.ReceiveAsync(1, Lease));

        _time.Advance(Lease);
        var second = Assert.Single(await _queue.ReceiveAsync(1, Lease));
        Assert.Equal((first.MessageId, 2), (second.MessageId, second.DequeueCount));
        await Assert.ThrowsAsync<QueueMessageNotFoundException>(async () => await _queue.DeleteAsync(first.MessageId, first.PopReceipt));

        await _queue.DeleteAsync(second.MessageId, second.PopReceipt);
        Assert.Equal(0, _queue.Count);
    }

    [Fact]
    public async Task Renewing_a_lease_keeps_the_message_and_giving_it_back_makes_it_visible_at_once()
    {
        await _queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero);
        var message = Assert.Single(await _queue.ReceiveAsync(1, Lease));
        _time.Advance(Lease / 2);
        var renewed = await _queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, Lease);
        _time.Advance(Lease / 2);
        Assert.Empty(await _queue.ReceiveAsync(1, Lease));

        await _queue.UpdateVisibilityAsync(message.MessageId, renewed, TimeSpan.Zero);
        var again = Assert.Single(await _queue.ReceiveAsync(1, Lease));
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task Idle_means_nothing_visible_and_nothing_leased()
    {
        await _queue.EnqueueAsync("later"u8.ToArray(), TimeSpan.FromMinutes(1));
        await _queue.WaitUntilIdleAsync().WaitAsync(TimeSpan.FromSeconds(5));

        await _queue.EnqueueAsync("now"u8.ToArray(), TimeSpan.Zero);
        var idle = _queue.WaitUntilIdleAsync();
        Assert.False(idle.IsCompleted);
        var message = Assert.Single(await _queue.ReceiveAsync(5, Lease));
        Assert.False(idle.IsCompleted);
        await _queue.DeleteAsync(message.MessageId, message.PopReceipt);
        await idle.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Deleted_messages_leave_no_slots_behind_and_the_others_keep_their_order_and_leases()
    {
        await _queue.EnqueueAsync("held"u8.ToArray(), TimeSpan.Zero);
        var held = Assert.Single(await _queue.ReceiveAsync(1, Lease));
        for (var i = 1; i <= 100; i++)
        {
            await _queue.EnqueueAsync(System.Text.Encoding.UTF8.GetBytes($"{i}"), TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(i));
        }

        // Each receipt leaves a slot due when its lease would end; each delete makes the current one stale.
        for (var i = 0; i < 5_000; i++)
        {
            await _queue.EnqueueAsync("x"u8.ToArray(), TimeSpan.Zero);
            var message = Assert.Single(await _queue.ReceiveAsync(1, Lease));
            await _queue.DeleteAsync(message.MessageId, message.PopReceipt);
        }

        Assert.Equal(101, _queue.Count);
        Assert.InRange(_queue.SlotCount, 101, 101 + 1_024);

        _time.Advance(Lease);
        var again = Assert.Single(await _queue.ReceiveAsync(1, Lease));
        Assert.Equal((held.MessageId, 2), (again.MessageId, again.DequeueCount));
        await _queue.DeleteAsync(again.MessageId, again.PopReceipt);

        _time.Advance(TimeSpan.FromMinutes(3));
        var rest = await _queue.ReceiveAsync(200, Lease);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"{i}"), rest.Select(m => System.Text.Encoding.UTF8.GetString(m.Body.Span)));
    }
}
