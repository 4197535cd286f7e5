using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>An append waiting for the writer loop; the caller awaits <see cref="TaskCompletionSource{TResult}.Task"/>.
/// It is its own completion source, to cost one allocation rather than two.</summary>
internal sealed class PendingAppend(
    string streamId, long expectedVersion, IReadOnlyList<EventData> events, string? traceParent, int payloadLength, CancellationToken cancellationToken)
    : TaskCompletionSource<AppendResult>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public string StreamId { get; } = streamId;

    public long ExpectedVersion { get; } = expectedVersion;

    public IReadOnlyList<EventData> Events { get; } = events;

    /// <summary>The W3C trace context the caller appended in, stored with each event.</summary>
    public string? TraceParent { get; } = traceParent;

    public int PayloadLength { get; } = payloadLength;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    // The writer's decision, acted on once the batch is durable.

    /// <summary>The stream this append wrote to.</summary>
    public StreamEntry? WrittenTo { get; set; }

    /// <summary>Why the append was refused.</summary>
    public Exception? Rejection { get; set; }

    /// <summary>Cancelled before the writer took it, so nothing was written.</summary>
    public bool Canceled { get; set; }

    /// <summary>The result, for a written append or a retry of one already stored.</summary>
    public AppendResult Result { get; set; }

    public void Complete()
    {
        if (Canceled)
        {
            TrySetCanceled(CancellationToken);
        }
        else if (Rejection is not null)
        {
            TrySetException(Rejection);
        }
        else
        {
            TrySetResult(Result);
        }
    }
}
