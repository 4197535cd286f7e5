using AstraTrade.Application.Ports;

namespace AstraTrade.Application.Feed;

/// <summary>
/// A projection or reaction fed by the event feed. Delivery is at least once: a batch may arrive again after a crash
/// or a failed batch, so handling must be idempotent. A thrown exception means "retry this batch".
/// </summary>
public interface IFeedHandler
{
    ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken);
}
