using System.Collections.Frozen;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Every open position, kept from the feed. Practice and tournament positions are ordered by liquidation price,
/// stop-loss and take-profit per market and side, so a tick finds the positions it liquidates or triggers in
/// O(log n + k). Live positions are Extended's to liquidate, fund and trigger, so they are only listed, for the
/// reconciler that compares them with Extended's. In memory: rebuilt from the feed on start.
/// </summary>
public sealed class OpenPositionsIndex : IFeedHandler
{
    private static readonly FrozenSet<string> Relevant = new[]
    {
        EventTypes.NameOf<PositionOpened>(), EventTypes.NameOf<FundingApplied>(),
        EventTypes.NameOf<PositionClosed>(), EventTypes.NameOf<PositionLiquidated>(), EventTypes.NameOf<ProtectionSet>(),
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _byId = [];
    private readonly PriceLadder _byLiquidationPrice = new();
    private readonly PriceLadder _byStopLoss = new();
    private readonly PriceLadder _byTakeProfit = new();
    private readonly HashSet<Guid> _triggerReported = [];
    private readonly Dictionary<Guid, Entry> _live = [];

    public sealed record Entry(Guid PositionId, string AccountStream, PositionTerms Terms, decimal Collateral, Protection Protection)
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
            if (!Relevant.Contains(recorded.Type) || !StreamIds.TryParseAccount(recorded.StreamId, out _, out var kind))
            {
                continue;
            }

            lock (_gate)
            {
                if (kind == AccountKind.Live)
                {
                    ListLive(recorded);
                    continue;
                }

                switch (EventTypes.Deserialize(recorded))
                {
                    case PositionOpened e:
                        Add(new Entry(e.PositionId, recorded.StreamId, e.Terms, e.Terms.InitialCollateral, e.Protection ?? Protection.None));
                        break;
                    case FundingApplied e when _byId.TryGetValue(e.PositionId, out var entry):
                        Remove(e.PositionId);
                        Add(entry with { Collateral = e.CollateralAfter });
                        break;
                    case ProtectionSet e when _byId.TryGetValue(e.PositionId, out var entry):
                        Remove(e.PositionId);
                        Add(entry with { Protection = e.Protection });
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
            return [.. _byLiquidationPrice.AtOrAbove(market, PositionSide.Long, mark)
                .Concat(_byLiquidationPrice.AtOrBelow(market, PositionSide.Short, mark))
                .Select(id => _byId[id])];
        }
    }

    /// <summary>Positions whose stop-loss or take-profit the mark has crossed, each reported once (until
    /// <see cref="Rearm"/> or a new protection): the watcher hands them to their lifecycles, which close them.</summary>
    public IReadOnlyList<Entry> TakeTriggered(string market, decimal mark)
    {
        lock (_gate)
        {
            var crossed = _byStopLoss.AtOrAbove(market, PositionSide.Long, mark)
                .Concat(_byStopLoss.AtOrBelow(market, PositionSide.Short, mark))
                .Concat(_byTakeProfit.AtOrBelow(market, PositionSide.Long, mark))
                .Concat(_byTakeProfit.AtOrAbove(market, PositionSide.Short, mark));
            return [.. crossed.Where(_triggerReported.Add).Select(id => _byId[id])];
        }
    }

    /// <summary>Reports the position again at the next tick that crosses its protection (its close did not happen).</summary>
    public void Rearm(Guid positionId)
    {
        lock (_gate)
        {
            _triggerReported.Remove(positionId);
        }
    }

    /// <summary>Every open live position, oldest first.</summary>
    public IReadOnlyList<Entry> LivePositions()
    {
        lock (_gate)
        {
            return [.. _live.Values.OrderBy(e => e.Terms.OpenedAt).ThenBy(e => e.PositionId)];
        }
    }

    /// <summary>Practice and tournament account streams with at least one open position (the accounts funding has to visit).</summary>
    public IReadOnlyList<string> AccountsWithOpenPositions()
    {
        lock (_gate)
        {
            return [.. _byId.Values.Select(e => e.AccountStream).Distinct(StringComparer.Ordinal)];
        }
    }

    private void ListLive(RecordedEvent recorded)
    {
        switch (EventTypes.Deserialize(recorded))
        {
            case PositionOpened e:
                _live[e.PositionId] = new Entry(e.PositionId, recorded.StreamId, e.Terms, e.Terms.InitialCollateral, Protection.None);
                break;
            case PositionClosed e:
                _live.Remove(e.PositionId);
                break;
            case PositionLiquidated e:
                _live.Remove(e.PositionId);
                break;
        }
    }

    private void Add(Entry entry)
    {
        _byId[entry.PositionId] = entry;
        var (market, side) = (entry.Terms.Market, entry.Terms.Side);
        _byLiquidationPrice.Add(market, side, entry.LiquidationPrice, entry.PositionId);
        if (entry.Protection.StopLoss is { } stopLoss)
        {
            _byStopLoss.Add(market, side, stopLoss, entry.PositionId);
        }

        if (entry.Protection.TakeProfit is { } takeProfit)
        {
            _byTakeProfit.Add(market, side, takeProfit, entry.PositionId);
        }
    }

    private void Remove(Guid positionId)
    {
        if (!_byId.Remove(positionId, out var entry))
        {
            return;
        }

        var (market, side) = (entry.Terms.Market, entry.Terms.Side);
        _byLiquidationPrice.Remove(market, side, entry.LiquidationPrice, positionId);
        _triggerReported.Remove(positionId);
        if (entry.Protection.StopLoss is { } stopLoss)
        {
            _byStopLoss.Remove(market, side, stopLoss, positionId);
        }

        if (entry.Protection.TakeProfit is { } takeProfit)
        {
            _byTakeProfit.Remove(market, side, takeProfit, positionId);
        }
    }
}
