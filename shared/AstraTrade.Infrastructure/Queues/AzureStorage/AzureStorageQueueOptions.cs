namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>Settings of an <see cref="AzureStorageQueue"/> (configuration section <see cref="Section"/>).</summary>
public sealed class AzureStorageQueueOptions
{
    public const string Section = "WorkflowQueue";

    /// <summary>Move a message received more often than this to <c>{queue}-poison</c> (put there, then deleted), as the
    /// Functions host does. Default 10: above the workflow runtime's own limit (WorkflowHostOptions.MaxDequeueCount, 5),
    /// so the runtime sees a poison message first and fails its instance visibly; this catches what it could not
    /// (a handler that crashes the process every time).</summary>
    public int MaxDequeueCount { get; set; } = 10;

    /// <summary>Whether to move poison messages at all (a reader of a poison queue turns it off).</summary>
    public bool MovePoisonMessages { get; set; } = true;

    /// <summary>The queue has no notifications, so a receiver that found it empty polls: first after this, doubling
    /// with each further empty poll, up to <see cref="MaxPollingInterval"/>. A message this process enqueues wakes its
    /// own receivers at once (or when its delay ends). Default 100 ms.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between polls of an empty queue, and so the most a timer or a message from another
    /// process waits beyond its time. Default 1 s (about 2.6 million transactions a month per idle process).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Retries of a request that failed transiently (5xx, 408, 429, a transport error or a timeout). Default 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The first retry's delay, doubling with each retry (with ±20 % jitter) up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one attempt of a request may take. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxDequeueCount, nameof(MaxDequeueCount));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinPollingInterval, TimeSpan.Zero, nameof(MinPollingInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPollingInterval, MinPollingInterval, nameof(MaxPollingInterval));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryDelay, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
    }
}
