using System.Collections.Frozen;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading.Live;

/// <summary>
/// The open positions of every live account, kept from the feed: what the reconciler compares with the exchange, which
/// may have ended a position without us (a liquidation, a deleverage, a close in Extended's own app). In memory,
/// rebuilt from the feed on start.
/// </summary>
public sealed class LivePositions : IFeedHandler
{
    private static readonly FrozenSet<string> Relevant = new[]
    {
        EventTypes.NameOf<PositionOpened>(), EventTypes.NameOf<PositionClosed>(), EventTypes.NameOf<PositionLiquidated>(),
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _open = [];

    public sealed record Entry(Guid PositionId, string AccountStream, PositionTerms Terms);

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            if (!Relevant.Contains(recorded.Type) || !StreamIds.TryParseAccount(recorded.StreamId, out _, out var kind) || kind != AccountKind.Live)
            {
                continue;
            }

            lock (_gate)
            {
                switch (EventTypes.Deserialize(recorded))
                {
                    case PositionOpened e:
                        _open[e.PositionId] = new Entry(e.PositionId, recorded.StreamId, e.Terms);
                        break;
                    case PositionClosed e:
                        _open.Remove(e.PositionId);
                        break;
                    case PositionLiquidated e:
                        _open.Remove(e.PositionId);
                        break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Every open live position, oldest first.</summary>
    public IReadOnlyList<Entry> Open()
    {
        lock (_gate)
        {
            return [.. _open.Values.OrderBy(e => e.Terms.OpenedAt).ThenBy(e => e.PositionId)];
        }
    }
}
