namespace AstraTrade.Application.Ports;

/// <summary>
/// A queue of small work messages with visibility delays and leases, shaped like an Azure Storage queue so that an
/// adapter can map each call to one REST operation (Put Message, Get Messages, Delete Message, Update Message); the
/// workflow runtime carries its work items and durable timers on it (ARCHITECTURE.md §5).
/// <list type="bullet">
/// <item>A message is invisible until its visibility delay has passed (a timer or a retry backoff is a delayed message).</item>
/// <item>Receiving a message leases it: it stays invisible for the visibility timeout, gets a new
/// <see cref="QueueMessage.PopReceipt"/>, and its <see cref="QueueMessage.DequeueCount"/> goes up by one. The holder
/// deletes it when done, or changes its visibility: later to renew the lease, zero to give it back at once.
/// A lease that runs out makes the message visible again, to any receiver.</item>
/// <item>Delivery is therefore at least once, in roughly (not strictly) visible-time order; consumers deduplicate.</item>
/// <item>Only the current pop receipt deletes or updates a message: after the lease ran out and someone else received
/// it, the old holder gets <see cref="QueueMessageNotFoundException"/>, and must treat its work as possibly redone.</item>
/// </list>
/// </summary>
public interface IWorkQueue
{
    /// <summary>The longest visibility delay or timeout the queue accepts (7 days for Azure Storage queues).
    /// A caller that needs a longer delay enqueues a message due at this limit and re-enqueues on receipt.</summary>
    TimeSpan MaxVisibilityDelay { get; }

    /// <summary>The largest body, in bytes, that <see cref="EnqueueAsync"/> accepts.</summary>
    int MaxMessageBytes { get; }

    /// <summary>Adds a message that becomes visible after <paramref name="visibilityDelay"/> (zero: at once).
    /// Durable when the call returns, for a durable queue.</summary>
    ValueTask EnqueueAsync(ReadOnlyMemory<byte> body, TimeSpan visibilityDelay, CancellationToken cancellationToken = default);

    /// <summary>Receives up to <paramref name="maxMessages"/> visible messages, leasing each for
    /// <paramref name="visibilityTimeout"/>; an empty list when none is visible (it does not wait).</summary>
    ValueTask<IReadOnlyList<QueueMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Removes a received message.</summary>
    /// <exception cref="QueueMessageNotFoundException">The message is gone, or the pop receipt is no longer current.</exception>
    ValueTask DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default);

    /// <summary>Makes a received message invisible for <paramref name="visibilityTimeout"/> from now: renews the lease,
    /// or (zero) gives the message back at once, or (later) retries it after a backoff. Returns the new pop receipt.</summary>
    /// <exception cref="QueueMessageNotFoundException">The message is gone, or the pop receipt is no longer current.</exception>
    ValueTask<string> UpdateVisibilityAsync(
        string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default);

    /// <summary>Completes when a message may be visible; spurious wake-ups are allowed. An adapter without
    /// notifications (Azure Storage) completes after a polling interval.</summary>
    ValueTask WaitForMessagesAsync(CancellationToken cancellationToken = default);
}

/// <summary>A received message.</summary>
/// <param name="MessageId">The queue's id of the message; stable across receipts.</param>
/// <param name="PopReceipt">Proof of the current lease; needed to delete or update the message.</param>
/// <param name="Body">What was enqueued.</param>
/// <param name="DequeueCount">How many times the message has been received, this time included (1 on first delivery).
/// A message received many times without being deleted is poison: its handler keeps failing or crashing.</param>
/// <param name="InsertedAt">When the message was enqueued.</param>
public sealed record QueueMessage(
    string MessageId, string PopReceipt, ReadOnlyMemory<byte> Body, int DequeueCount, DateTimeOffset InsertedAt);

public sealed class QueueMessageNotFoundException(string messageId)
    : Exception($"Queue message '{messageId}' is gone or its pop receipt is no longer current.")
{
    public string MessageId { get; } = messageId;
}
