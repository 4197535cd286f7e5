using System.Collections.Frozen;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Every open position of every account, kept from the feed and ordered by liquidation price per market and side,
/// so a tick finds the positions it liquidates in O(log n + k). In memory: rebuilt from the feed on start.
/// </summary>
public sealed class OpenPositionsIndex : IFeedHandler
{
    private static readonly FrozenSet<string> Relevant = new[]
    {
        EventTypes.NameOf<PositionOpened>(), EventTypes.NameOf<FundingApplied>(),
        EventTypes.NameOf<PositionClosed>(), EventTypes.NameOf<PositionLiquidated>(),
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _byId = [];
    private readonly Dictionary<(string Market, PositionSide Side), SortedSet<(decimal Price, Guid Id)>> _byLiquidationPrice = [];

    public sealed record Entry(Guid PositionId, string AccountStream, PositionTerms Terms, decimal Collateral)
    {
        public decimal LiquidationPrice { get; } = PositionMath.LiquidationPrice(Terms, Collateral);
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            if (!Relevant.Contains(recorded.Type) || !StreamIds.TryParseAccount(recorded.StreamId, out _, out _))
            {
                continue;
            }

            lock (_gate)
            {
                switch (EventTypes.Deserialize(recorded))
                {
                    case PositionOpened e:
                        Add(new Entry(e.PositionId, recorded.StreamId, e.Terms, e.Terms.InitialCollateral));
                        break;
                    case FundingApplied e when _byId.TryGetValue(e.PositionId, out var entry):
                        Remove(e.PositionId);
                        Add(entry with { Collateral = e.CollateralAfter });
                        break;
                    case PositionClosed e:
                        Remove(e.PositionId);
                        break;
                    case PositionLiquidated e:
                        Remove(e.PositionId);
                        break;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Positions whose liquidation price the mark has reached: longs at or above it, shorts at or below it.</summary>
    public IReadOnlyList<Entry> LiquidationCandidates(string market, decimal mark)
    {
        lock (_gate)
        {
            var candidates = new List<Entry>();
            if (_byLiquidationPrice.TryGetValue((market, PositionSide.Long), out var longs))
            {
                // Highest liquidation prices first; stop at the first long the mark has not reached.
                candidates.AddRange(longs.Reverse().TakeWhile(x => x.Price >= mark).Select(x => _byId[x.Id]));
            }

            if (_byLiquidationPrice.TryGetValue((market, PositionSide.Short), out var shorts))
            {
                candidates.AddRange(shorts.TakeWhile(x => x.Price <= mark).Select(x => _byId[x.Id]));
            }

            return candidates;
        }
    }

    /// <summary>Account streams with at least one open position (the accounts funding has to visit).</summary>
    public IReadOnlyList<string> AccountsWithOpenPositions()
    {
        lock (_gate)
        {
            return [.. _byId.Values.Select(e => e.AccountStream).Distinct(StringComparer.Ordinal)];
        }
    }

    private void Add(Entry entry)
    {
        _byId[entry.PositionId] = entry;
        var key = (entry.Terms.Market, entry.Terms.Side);
        if (!_byLiquidationPrice.TryGetValue(key, out var set))
        {
            _byLiquidationPrice[key] = set = [];
        }

        set.Add((entry.LiquidationPrice, entry.PositionId));
    }

    private void Remove(Guid positionId)
    {
        if (_byId.Remove(positionId, out var entry))
        {
            _byLiquidationPrice[(entry.Terms.Market, entry.Terms.Side)].Remove((entry.LiquidationPrice, positionId));
        }
    }
}
