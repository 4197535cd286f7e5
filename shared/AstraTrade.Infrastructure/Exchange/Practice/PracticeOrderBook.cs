using System.Collections.Frozen;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Infrastructure.Exchange.Practice;

/// <summary>
/// The simulated exchange's resting limit orders: a projection of the accounts' working limit orders (placed, then
/// filled or released), ordered by limit price, so a tick finds the orders its mark crosses in O(log n + k). Kept
/// from the feed, and so rebuilt on start: the account ledger is the book's only source of truth.
/// </summary>
public sealed class PracticeOrderBook : IFeedHandler
{
    private static readonly FrozenSet<string> Relevant = new[]
    {
        EventTypes.NameOf<OrderPlaced>(), EventTypes.NameOf<PositionOpened>(), EventTypes.NameOf<OrderReleased>(),
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, RestingOrder> _byId = [];
    private readonly PriceLadder _byLimit = new();
    private readonly HashSet<Guid> _reported = [];

    public sealed record RestingOrder(Guid OrderId, string AccountStream, string Market, PositionSide Side, decimal LimitPrice);

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            // Live orders rest on Extended, not in the simulated book.
            if (!Relevant.Contains(recorded.Type) || !StreamIds.TryParseAccount(recorded.StreamId, out _, out _) || StreamIds.IsLiveAccount(recorded.StreamId))
            {
                continue;
            }

            lock (_gate)
            {
                switch (EventTypes.Deserialize(recorded))
                {
                    case OrderPlaced { LimitPrice: { } limit } e:
                        var order = new RestingOrder(e.OrderId, recorded.StreamId, e.Market, e.Side, limit);
                        _byId[e.OrderId] = order;
                        _byLimit.Add(e.Market, e.Side, limit, e.OrderId);
                        break;
                    case PositionOpened e:
                        Remove(e.OrderId);
                        break;
                    case OrderReleased e:
                        Remove(e.OrderId);
                        break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Resting orders the mark has crossed (a buy limit at or above it, a sell limit at or below it), each
    /// reported once until <see cref="Rearm"/>: their lifecycles fill them.</summary>
    public IReadOnlyList<RestingOrder> TakeCrossed(string market, decimal mark)
    {
        lock (_gate)
        {
            return [.. _byLimit.AtOrAbove(market, PositionSide.Long, mark)
                .Concat(_byLimit.AtOrBelow(market, PositionSide.Short, mark))
                .Where(_reported.Add)
                .Select(id => _byId[id])];
        }
    }

    /// <summary>Reports the order again at the next crossing tick (the price went back before it could fill).</summary>
    public void Rearm(Guid orderId)
    {
        lock (_gate)
        {
            _reported.Remove(orderId);
        }
    }

    private void Remove(Guid orderId)
    {
        if (_byId.Remove(orderId, out var order))
        {
            _byLimit.Remove(order.Market, order.Side, order.LimitPrice, orderId);
            _reported.Remove(orderId);
        }
    }
}
