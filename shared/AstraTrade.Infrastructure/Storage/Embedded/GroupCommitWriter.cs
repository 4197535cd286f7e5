using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>What a store does with its queued writes on the writer loop.</summary>
internal interface IGroupCommitHandler<TWrite>
{
    /// <summary>Decides <paramref name="write"/> against the store's state including the earlier writes of this batch,
    /// and, if it changes the store, adds its record to <paramref name="batch"/> and stages its effect. Throwing means
    /// the store's state can no longer be trusted: the writer stops.</summary>
    void Prepare(TWrite write, RecordBatch batch);

    /// <summary>The batch is durable: make its writes visible, then complete their callers.</summary>
    void Commit(ReadOnlySpan<TWrite> writes);

    /// <summary>Complete these callers with <paramref name="error"/>; nothing they staged will be published.</summary>
    void Fail(ReadOnlySpan<TWrite> writes, Exception error);
}

/// <summary>
/// Group commit: callers queue writes; one loop takes everything queued, decides and frames it into one batch,
/// writes the batch with one write and one fsync, and only then publishes and acknowledges every write in it.
/// Under load, a batch holds whatever arrived during the previous fsync, so the fsync cost is shared.
/// After a failed write or fsync the writer refuses all further writes: the page cache can no longer be trusted to
/// match the disk, and reopening the store (which re-reads the file) is the only safe way on.
/// The loop has a thread of its own: every write in the process waits on it, so it must not queue behind the thread
/// pool's other work (or stall with it) to wake up, and its fsyncs block no pool thread.
/// </summary>
internal sealed class GroupCommitWriter<TWrite> : IAsyncDisposable
    where TWrite : class
{
    private const int MaxBatchBytes = 4 << 20;

    // Synchronous continuations let a producer wake the blocked writer thread directly, not through the thread pool.
    private readonly Channel<TWrite> _queue = Channel.CreateUnbounded<TWrite>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });

    private readonly RecordBatch _batch = new();
    private readonly List<TWrite> _writes = [];
    private readonly RecordLog _log;
    private readonly IGroupCommitHandler<TWrite> _handler;
    private readonly string _ownerName;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Exception? _failure;
    private long _batchesWritten;

    public GroupCommitWriter(RecordLog log, IGroupCommitHandler<TWrite> handler, string ownerName)
    {
        _log = log;
        _handler = handler;
        _ownerName = ownerName;
        new Thread(Run) { IsBackground = true, Name = $"{ownerName} writer" }.Start();
    }

    /// <summary>How many batches (each one write and one fsync) have been written.</summary>
    public long BatchesWritten => Interlocked.Read(ref _batchesWritten);

    /// <summary>Queues <paramref name="write"/>; the handler completes it.</summary>
    public void Enqueue(TWrite write)
    {
        if (_failure is { } failure)
        {
            throw Unavailable(failure);
        }

        if (!_queue.Writer.TryWrite(write))
        {
            throw new ObjectDisposedException(_ownerName);
        }
    }

    /// <summary>Writes everything already queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
    }

    private void Run()
    {
        try
        {
            var reader = _queue.Reader;
            while (WaitForWrites(reader))
            {
                WriteBatch(reader);
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    private void WriteBatch(ChannelReader<TWrite> reader)
    {
        _batch.Reset(_log.Length);
        while (_batch.Length < MaxBatchBytes && reader.TryRead(out var write))
        {
            _writes.Add(write);
            if (_failure is null)
            {
                Prepare(write);
            }
        }

        var writes = CollectionsMarshal.AsSpan(_writes);
        if (_failure is { } failure)
        {
            _handler.Fail(writes, Unavailable(failure));
        }
        else
        {
            WriteAndCommit(writes);
        }

        _writes.Clear();
    }

    private static bool WaitForWrites(ChannelReader<TWrite> reader)
    {
        var ready = reader.WaitToReadAsync();
        return ready.IsCompleted ? ready.Result : ready.AsTask().GetAwaiter().GetResult();
    }

    private void Prepare(TWrite write)
    {
        try
        {
            _handler.Prepare(write, _batch);
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }

    private void WriteAndCommit(ReadOnlySpan<TWrite> writes)
    {
        try
        {
            if (!_batch.IsEmpty)
            {
                _log.Append(_batch.Written);
                Interlocked.Increment(ref _batchesWritten);
            }
        }
        catch (Exception ex)
        {
            _failure = ex;
            _handler.Fail(writes, Unavailable(ex));
            return;
        }

        try
        {
            _handler.Commit(writes);
        }
        catch (Exception ex)
        {
            _failure = ex;
            _handler.Fail(writes, Unavailable(ex));
        }
    }

    private IOException Unavailable(Exception cause) => new(
        $"The {_ownerName} stopped accepting writes after a failure; reopen it to recover. Writes in flight at that moment may or may not have been stored.",
        cause);
}
