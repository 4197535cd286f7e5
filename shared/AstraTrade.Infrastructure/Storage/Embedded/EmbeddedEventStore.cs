using AstraTrade.Application.Diagnostics;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The embedded event store and its feed: events.log in the data directory, written with group commit and indexed in
/// memory (per stream, and by global position). An append is one record, so it survives a crash whole or not at all;
/// the global position is the event's place in commit order, and a feed checkpoint is the decimal position of the last
/// event delivered. Reads fetch event bytes from the file and never block on the writer.
/// Get it from <see cref="EmbeddedStore.Events"/>; the <see cref="EmbeddedStore"/> owns its lifetime.
/// </summary>
public sealed class EmbeddedEventStore : IEventStore, IEventFeed
{
    internal const string FileName = "events.log";

    private const int MaxFeedPageBytes = 4 << 20;

    // Neighbouring events are fetched with one read while that wastes at most about half of the bytes read.
    private const int MaxReadBytes = 1 << 20;
    private const int MaxReadGapBytes = 4 << 10;

    private readonly RecordLog _log;
    private readonly EventIndex _index;
    private readonly GroupCommitWriter<PendingAppend> _writer;
    private readonly StringCache _types = new();
    private readonly int _maxAppendBytes;
    private TaskCompletionSource _committed = NewSignal();
    private volatile bool _disposed;

    private EmbeddedEventStore(RecordLog log, EventIndex index, int maxAppendBytes, TimeProvider time)
    {
        _log = log;
        _index = index;
        _maxAppendBytes = maxAppendBytes;
        _writer = new GroupCommitWriter<PendingAppend>(log, new EventWriter(log, index, time, SignalCommitted), "embedded event store");
    }

    private interface IEventRange
    {
        int Count { get; }

        EventRef this[int index] { get; }
    }

    /// <summary>The global position of the last event (0 when there is none).</summary>
    internal long Head => _index.Head;

    internal int StreamCount => _index.StreamCount;

    internal long LogBytes => _log.Length;

    internal long DiscardedTailBytes => _log.DiscardedTailBytes;

    internal long BatchesWritten => _writer.BatchesWritten;

    /// <inheritdoc />
    /// <remarks>Durable when the returned task completes. Cancellation is honoured until the writer takes the append;
    /// from then on the call waits for the outcome (one fsync at most).</remarks>
    public ValueTask<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var traceParent = TraceContext.Current();
        var payloadLength = MeasureAppend(streamId, expectedVersion, events, traceParent);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<AppendResult>(cancellationToken);
        }

        var append = new PendingAppend(streamId, expectedVersion, events, traceParent, payloadLength, cancellationToken);
        _writer.Enqueue(append);
        return new ValueTask<AppendResult>(append.Task);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Limits.CheckNameForLookup(streamId, "stream id", nameof(streamId));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();

        var stream = _index.FindStream(streamId);
        var count = stream?.Events.Count ?? 0;
        var firstIndex = Math.Max(fromVersion, 1) - 1;
        if (stream is null || firstIndex >= count)
        {
            return new ValueTask<IReadOnlyList<RecordedEvent>>(Array.Empty<RecordedEvent>());
        }

        var range = new StreamRange(stream, (int)firstIndex, (int)Math.Min(maxCount, count - firstIndex), step: 1);
        return new ValueTask<IReadOnlyList<RecordedEvent>>(ReadEvents(range));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamBackwardAsync(
        string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Limits.CheckNameForLookup(streamId, "stream id", nameof(streamId));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();

        var stream = _index.FindStream(streamId);
        var lastIndex = Math.Min(fromVersion, stream?.Events.Count ?? 0) - 1;
        if (stream is null || lastIndex < 0)
        {
            return new ValueTask<IReadOnlyList<RecordedEvent>>(Array.Empty<RecordedEvent>());
        }

        var range = new StreamRange(stream, (int)lastIndex, (int)Math.Min(maxCount, lastIndex + 1), step: -1);
        return new ValueTask<IReadOnlyList<RecordedEvent>>(ReadEvents(range));
    }

    /// <inheritdoc />
    /// <remarks>Events come in global commit order. A page stops early rather than exceed about 4 MiB.</remarks>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a checkpoint of this store.</exception>
    public ValueTask<FeedPage> ReadFeedAsync(FeedCheckpoint after, int maxCount, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var head = _index.Head;
        var position = FeedCheckpoints.ToPosition(after, head, nameof(after));
        cancellationToken.ThrowIfCancellationRequested();

        var available = (int)Math.Min(maxCount, head - position);
        var count = 0;
        var bytes = 0L;
        while (count < available)
        {
            bytes += _index.At(position + count + 1).Location.Length;
            if (count > 0 && bytes > MaxFeedPageBytes)
            {
                break;
            }

            count++;
        }

        if (count == 0)
        {
            return new ValueTask<FeedPage>(new FeedPage(Array.Empty<RecordedEvent>(), after));
        }

        var events = ReadEvents(new FeedRange(_index, position + 1, count));
        return new ValueTask<FeedPage>(new FeedPage(events, FeedCheckpoints.At(position + count)));
    }

    /// <inheritdoc />
    /// <remarks>Woken by commits, not by polling.</remarks>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a checkpoint of this store.</exception>
    public ValueTask WaitForEventsAsync(FeedCheckpoint after, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var position = FeedCheckpoints.ToPosition(after, _index.Head, nameof(after));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return _index.Head > position ? ValueTask.CompletedTask : WaitAsync(position, cancellationToken);
    }

    /// <summary>Writes every queued append, then closes the log; waiters on the feed get <see cref="ObjectDisposedException"/>.</summary>
    internal async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _writer.DisposeAsync().ConfigureAwait(false);
        SignalCommitted();
        _log.Dispose();
    }

    internal static EmbeddedEventStore Open(string directory, EmbeddedStoreOptions options, TimeProvider time)
    {
        var index = new EventIndex();
        var log = RecordLog.Open(Path.Combine(directory, FileName), (payloadOffset, payload) =>
        {
            index.Publish(index.Stage(payloadOffset, payload));
            index.PublishHead();
        });
        return new EmbeddedEventStore(log, index, options.MaxAppendBytes, time);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async ValueTask WaitAsync(long position, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The signal is taken before the head is checked: a commit in between completes this very signal.
            var committed = Volatile.Read(ref _committed);
            if (_index.Head > position)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            await committed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void SignalCommitted() => Interlocked.Exchange(ref _committed, NewSignal()).TrySetResult();

    private int MeasureAppend(string streamId, long expectedVersion, IReadOnlyList<EventData> events, string? traceParent)
    {
        long length = EventRecordCodec.MeasureRecord(Limits.CheckName(streamId, "stream id", nameof(streamId)));
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedVersion, ExpectedVersion.Any);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            throw new ArgumentException("An append needs at least one event.", nameof(events));
        }

        for (var i = 0; i < events.Count; i++)
        {
            var data = events[i] ?? throw new ArgumentException($"Event {i} is null.", nameof(events));
            if (data.EventId == Guid.Empty)
            {
                throw new ArgumentException($"Event {i} has an empty EventId; event ids identify retries, so each must be unique.", nameof(events));
            }

            length += EventRecordCodec.MeasureEvent(
                Limits.CheckName(data.Type, "event type", nameof(events)), data.Data.Length, traceParent is null ? -1 : traceParent.Length);
        }

        if (length > _maxAppendBytes)
        {
            throw new ArgumentException(
                $"The append takes {length} bytes encoded; the limit is {_maxAppendBytes} (EmbeddedStoreOptions.MaxAppendBytes).",
                nameof(events));
        }

        return (int)length;
    }

    /// <summary>Reads the events of <paramref name="range"/> in its order, fetching neighbours in the file together.</summary>
    private RecordedEvent[] ReadEvents<TRange>(TRange range)
        where TRange : struct, IEventRange
    {
        var events = new RecordedEvent[range.Count];
        var next = 0;
        while (next < events.Length)
        {
            var first = range[next].Location;
            var (start, end, eventBytes) = (first.Offset, first.End, (long)first.Length);
            var runEnd = next + 1;
            for (; runEnd < events.Length; runEnd++)
            {
                var location = range[runEnd].Location;
                var (runStart, runStop) = (Math.Min(start, location.Offset), Math.Max(end, location.End));
                var runEventBytes = eventBytes + location.Length;
                if (runStop - runStart > MaxReadBytes || runStop - runStart - runEventBytes > runEventBytes + MaxReadGapBytes)
                {
                    break;
                }

                (start, end, eventBytes) = (runStart, runStop, runEventBytes);
            }

            var buffer = GC.AllocateUninitializedArray<byte>((int)(end - start));
            _log.Read(start, buffer);
            for (; next < runEnd; next++)
            {
                var reference = range[next];
                var location = reference.Location;
                events[next] = EventRecordCodec.ReadEvent(
                    buffer, (int)(location.Offset - start), location.Length, reference.Stream.Id, reference.Version, _types);
            }
        }

        return events;
    }

    private readonly struct StreamRange(StreamEntry stream, int firstIndex, int count, int step) : IEventRange
    {
        public int Count => count;

        public EventRef this[int index] => new(stream, firstIndex + (index * step));
    }

    private readonly struct FeedRange(EventIndex eventIndex, long firstPosition, int count) : IEventRange
    {
        public int Count => count;

        public EventRef this[int index] => eventIndex.At(firstPosition + index);
    }
}
