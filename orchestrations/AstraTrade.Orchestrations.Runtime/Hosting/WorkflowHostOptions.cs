namespace AstraTrade.Orchestrations.Runtime;

/// <summary>Settings of a <see cref="WorkflowHost"/>.</summary>
public sealed class WorkflowHostOptions
{
    /// <summary>How many queue messages are processed at once (steps and activities). Default 256: a step spends most
    /// of its time waiting for its append to be made durable, and the store's group commit makes one fsync serve all
    /// the appends waiting at once, so more in flight means more per fsync. Measured (docs/PERFORMANCE.md): on a busy
    /// machine 64 gave 2–4 times the timer lateness p99 of 256 at 1,000 trade lifecycles/s, and about half the
    /// throughput when overloaded; on a quiet one the two were alike. Lower it when activities are heavy on CPU or on
    /// a downstream service.</summary>
    public int Concurrency { get; set; } = 256;

    /// <summary>How long a received message stays leased before another worker may take it; a running activity's
    /// lease is renewed at half this. Default 5 minutes.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A message received more often than this without being completed is poison: it is moved aside (a
    /// document in the <c>workflow-poison</c> collection) and its activity call or instance fails visibly. Default 5.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>After a message's processing failed (e.g. the store was unavailable), it is retried after this,
    /// doubling with each further failure, up to <see cref="MaxProcessingRetryDelay"/>. Default 1 second.</summary>
    public TimeSpan ProcessingRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxProcessingRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Keep following the event feed after start-up, so the instance index (list query) sees instances
    /// changed by other processes. Default true; a host that is the only writer may turn it off.</summary>
    public bool FollowFeed { get; set; } = true;

    /// <summary>Receive work from the queue. Default true. False when something else receives it and hands each message
    /// to <see cref="WorkflowHost.ProcessDeliveredAsync"/>: in Azure, the Functions host's queueTrigger, which then owns the
    /// lease, the retries and the poison queue (host.json sets them; docs/functions.md).</summary>
    public bool ReceiveFromQueue { get; set; } = true;

    /// <summary>How many instance states are cached. Default 100,000.</summary>
    public int CacheCapacity { get; set; } = 100_000;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Concurrency, nameof(Concurrency));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Lease, TimeSpan.Zero, nameof(Lease));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDequeueCount, nameof(MaxDequeueCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(ProcessingRetryDelay, TimeSpan.Zero, nameof(ProcessingRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxProcessingRetryDelay, ProcessingRetryDelay, nameof(MaxProcessingRetryDelay));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CacheCapacity, nameof(CacheCapacity));
    }
}
