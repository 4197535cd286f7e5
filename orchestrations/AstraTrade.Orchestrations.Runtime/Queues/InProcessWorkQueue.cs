using System.Globalization;
using AstraTrade.Application.Ports;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// The standalone <see cref="IWorkQueue"/>: messages in memory, ordered by the time they become visible (then by
/// arrival), driven by the injected <see cref="TimeProvider"/>, so a test's manual clock decides when delayed messages
/// and expired leases become visible. It is not durable: after a restart the workflow runtime rebuilds its work from
/// the event store (see <see cref="WorkflowHost"/>). Thread-safe; any number of receivers.
/// </summary>
public sealed class InProcessWorkQueue : IWorkQueue, IDisposable
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<Slot, (long VisibleTicks, long Sequence)> _byVisibleTime = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _wakeUp;
    private DateTimeOffset _wakeUpAt = DateTimeOffset.MaxValue;
    private TaskCompletionSource _available = NewSignal();
    private TaskCompletionSource _changed = NewSignal();
    private long _sequence;
    private int _leased;
    private bool _disposed;

    /// <param name="time">The clock for visibility delays and leases; the system clock by default.</param>
    /// <param name="maxVisibilityDelay">The longest delay accepted; 7 days by default, as for Azure Storage queues,
    /// so that the runtime's handling of longer timers is exercised here too.</param>
    public InProcessWorkQueue(TimeProvider? time = null, TimeSpan? maxVisibilityDelay = null)
    {
        _time = time ?? TimeProvider.System;
        MaxVisibilityDelay = maxVisibilityDelay ?? TimeSpan.FromDays(7);
        _wakeUp = _time.CreateTimer(_ => OnWakeUp(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan MaxVisibilityDelay { get; }

    public int MaxMessageBytes => 64 * 1024;

    /// <summary>Messages in the queue, visible or not (leased or delayed).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Slots in the visible-time heap, stale ones included (for tests of the compaction).</summary>
    internal int SlotCount
    {
        get
        {
            lock (_gate)
            {
                return _byVisibleTime.Count;
            }
        }
    }

    public ValueTask EnqueueAsync(ReadOnlyMemory<byte> body, TimeSpan visibilityDelay, CancellationToken cancellationToken = default)
    {
        CheckDelay(visibilityDelay, nameof(visibilityDelay));
        if (body.Length > MaxMessageBytes)
        {
            throw new ArgumentException($"The message is {body.Length} bytes; the limit is {MaxMessageBytes}.", nameof(body));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            var entry = new Entry((++_sequence).ToString(CultureInfo.InvariantCulture), body.ToArray(), now);
            _entries.Add(entry.Id, entry);
            MakeVisibleAt(entry, now + visibilityDelay, now);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<QueueMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        CheckDelay(visibilityTimeout, nameof(visibilityTimeout));
        cancellationToken.ThrowIfCancellationRequested();
        List<QueueMessage>? received = null;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetUtcNow();
            while ((received?.Count ?? 0) < maxMessages && TryTakeVisible(now, out var entry))
            {
                entry.DequeueCount++;
                entry.PopReceipt = (++_sequence).ToString(CultureInfo.InvariantCulture);
                if (!entry.Leased)
                {
                    entry.Leased = true;
                    _leased++;
                }

                MakeVisibleAt(entry, now + visibilityTimeout, now);
                (received ??= []).Add(new QueueMessage(entry.Id, entry.PopReceipt, entry.Body, entry.DequeueCount, entry.InsertedAt));
            }
        }

        return new ValueTask<IReadOnlyList<QueueMessage>>(received ?? (IReadOnlyList<QueueMessage>)[]);
    }

    public ValueTask DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = Current(messageId, popReceipt);
            _entries.Remove(messageId);
            entry.Stamp++;
            Release(entry);
            CompactIfMostlyStale();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<string> UpdateVisibilityAsync(
        string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        CheckDelay(visibilityTimeout, nameof(visibilityTimeout));
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var entry = Current(messageId, popReceipt);
            var now = _time.GetUtcNow();
            entry.PopReceipt = (++_sequence).ToString(CultureInfo.InvariantCulture);

            // Given back (now or after a backoff), or renewed: either way, idleness no longer waits for it (a renewal
            // happens only while a long activity runs, and the clock has to move for that).
            Release(entry);

            MakeVisibleAt(entry, now + visibilityTimeout, now);
            return new ValueTask<string>(entry.PopReceipt);
        }
    }

    public ValueTask WaitForMessagesAsync(CancellationToken cancellationToken = default)
    {
        Task available;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (TryPeekVisibleAt(out var visibleAt) && visibleAt <= _time.GetUtcNow())
            {
                return ValueTask.CompletedTask;
            }

            available = _available.Task;
        }

        return new ValueTask(available.WaitAsync(cancellationToken));
    }

    /// <summary>
    /// Completes when no message is visible and none is leased (received, and neither deleted nor updated since):
    /// everything that could run now has run, and what is left waits for the clock (timers, backoffs). Tests call this
    /// after each step of a manual clock.
    /// </summary>
    public async Task WaitUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var visibleNow = TryPeekVisibleAt(out var visibleAt) && visibleAt <= _time.GetUtcNow();
                if (!visibleNow && _leased == 0)
                {
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _wakeUp.Dispose();
            _available.TrySetException(new ObjectDisposedException(nameof(InProcessWorkQueue)));
            _changed.TrySetResult();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void CheckDelay(TimeSpan delay, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, name);
    }

    private Entry Current(string messageId, string popReceipt) =>
        _entries.TryGetValue(messageId, out var entry) && entry.PopReceipt == popReceipt
            ? entry
            : throw new QueueMessageNotFoundException(messageId);

    private void Release(Entry entry)
    {
        if (entry.Leased)
        {
            entry.Leased = false;
            _leased--;
        }

        Signal(ref _changed);
    }

    /// <summary>
    /// Drops the stale slots once they outnumber the live ones. Each live entry has one current slot; every receipt,
    /// update and delete leaves a stale one behind, and a receipt's is due only when its lease would end (minutes away),
    /// so without this the heap would hold every message of the last few minutes, bodies and all, into gen 2.
    /// </summary>
    private void CompactIfMostlyStale()
    {
        var stale = _byVisibleTime.Count - _entries.Count;
        if (stale < 1_024 || stale < _entries.Count)
        {
            return;
        }

        var live = new List<(Slot, (long, long))>(_entries.Count);
        foreach (var (slot, priority) in _byVisibleTime.UnorderedItems)
        {
            if (slot.Stamp == slot.Entry.Stamp)
            {
                live.Add((slot, priority));
            }
        }

        _byVisibleTime.Clear();
        _byVisibleTime.EnqueueRange(live);
    }

    /// <summary>(Re)schedules <paramref name="entry"/>; the old slot in the heap goes stale and is skipped.</summary>
    private void MakeVisibleAt(Entry entry, DateTimeOffset visibleAt, DateTimeOffset now)
    {
        entry.Stamp++;
        _byVisibleTime.Enqueue(new Slot(entry, entry.Stamp), (visibleAt.UtcTicks, ++_sequence));
        CompactIfMostlyStale();
        if (visibleAt <= now)
        {
            Signal(ref _available);
            Signal(ref _changed);
        }
        else
        {
            ArmWakeUp(visibleAt, now);
        }
    }

    private bool TryTakeVisible(DateTimeOffset now, out Entry entry)
    {
        while (_byVisibleTime.TryPeek(out var slot, out var priority))
        {
            if (slot.Stamp != slot.Entry.Stamp)
            {
                _byVisibleTime.Dequeue();
                continue;
            }

            if (priority.VisibleTicks > now.UtcTicks)
            {
                break;
            }

            _byVisibleTime.Dequeue();
            entry = slot.Entry;
            return true;
        }

        entry = null!;
        if (TryPeekVisibleAt(out var next))
        {
            ArmWakeUp(next, now);
        }

        return false;
    }

    private bool TryPeekVisibleAt(out DateTimeOffset visibleAt)
    {
        while (_byVisibleTime.TryPeek(out var slot, out var priority))
        {
            if (slot.Stamp == slot.Entry.Stamp)
            {
                visibleAt = new DateTimeOffset(priority.VisibleTicks, TimeSpan.Zero);
                return true;
            }

            _byVisibleTime.Dequeue();
        }

        visibleAt = default;
        return false;
    }

    private void ArmWakeUp(DateTimeOffset at, DateTimeOffset now)
    {
        if (at >= _wakeUpAt && _wakeUpAt > now)
        {
            return;
        }

        // The timer takes a delay relative to the clock as it is when armed, which may have moved since `now` was read
        // (another thread advancing a manual clock; a slow caller): measure from the clock itself, and if the clock
        // has already passed the time, signal at once rather than wait for a timer that could be armed too late.
        _wakeUpAt = at;
        var current = _time.GetUtcNow();
        _wakeUp.Change(at > current ? at - current : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        if (at <= _time.GetUtcNow())
        {
            Signal(ref _available);
            Signal(ref _changed);
        }
    }

    private void OnWakeUp()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var now = _time.GetUtcNow();
            _wakeUpAt = DateTimeOffset.MaxValue;
            if (TryPeekVisibleAt(out var next))
            {
                if (next <= now)
                {
                    Signal(ref _available);
                    Signal(ref _changed);
                }
                else
                {
                    ArmWakeUp(next, now);
                }
            }
        }
    }

    private static void Signal(ref TaskCompletionSource signal) => Interlocked.Exchange(ref signal, NewSignal()).TrySetResult();

    private sealed class Entry(string id, byte[] body, DateTimeOffset insertedAt)
    {
        public string Id { get; } = id;

        public byte[] Body { get; } = body;

        public DateTimeOffset InsertedAt { get; } = insertedAt;

        public string PopReceipt { get; set; } = string.Empty;

        public int DequeueCount { get; set; }

        public bool Leased { get; set; }

        public long Stamp { get; set; }
    }

    private readonly record struct Slot(Entry Entry, long Stamp);
}
