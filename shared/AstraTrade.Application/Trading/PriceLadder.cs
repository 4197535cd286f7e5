using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Trigger prices per market and side, sorted, so a tick finds the k entries it crosses in O(log n + k): liquidation
/// prices, stop-losses, take-profits, resting limits. Not thread-safe; its owner locks.
/// </summary>
public sealed class PriceLadder
{
    private readonly Dictionary<(string Market, PositionSide Side), SortedSet<(decimal Price, Guid Id)>> _rungs = [];

    public void Add(string market, PositionSide side, decimal price, Guid id)
    {
        if (!_rungs.TryGetValue((market, side), out var set))
        {
            _rungs[(market, side)] = set = [];
        }

        set.Add((price, id));
    }

    public void Remove(string market, PositionSide side, decimal price, Guid id)
    {
        if (_rungs.TryGetValue((market, side), out var set))
        {
            set.Remove((price, id));
        }
    }

    /// <summary>Entries priced at or above <paramref name="price"/>, highest first.</summary>
    public IEnumerable<Guid> AtOrAbove(string market, PositionSide side, decimal price) =>
        _rungs.TryGetValue((market, side), out var set) ? set.Reverse().TakeWhile(x => x.Price >= price).Select(x => x.Id) : [];

    /// <summary>Entries priced at or below <paramref name="price"/>, lowest first.</summary>
    public IEnumerable<Guid> AtOrBelow(string market, PositionSide side, decimal price) =>
        _rungs.TryGetValue((market, side), out var set) ? set.TakeWhile(x => x.Price <= price).Select(x => x.Id) : [];
}
