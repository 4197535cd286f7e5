using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Ports;

/// <summary>
/// Where orders execute (ARCHITECTURE.md §6): the simulated exchange for practice and tournament accounts, Extended for
/// live ones. The trade lifecycle submits an order after reserving its margin and records the fill the exchange
/// reports. Both calls are idempotent by order id: the lifecycle runs them at least once.
/// </summary>
public interface IExchange
{
    ValueTask<ExchangeAck> SubmitAsync(ExchangeOrder order, CancellationToken cancellationToken);

    /// <summary>Withdraws a resting order; true when it is no longer working there (cancelled now or before).</summary>
    ValueTask<bool> CancelAsync(ExchangeOrder order, CancellationToken cancellationToken);
}

public sealed record ExchangeOrder(Guid OrderId, string AccountStream, string Market, PositionSide Side, OrderType Type, decimal? LimitPrice, decimal Notional);

public enum ExchangeAckStatus
{
    /// <summary>Filled now, at <see cref="ExchangeAck.FillMark"/>.</summary>
    Filled,

    /// <summary>Resting in the book: a fill is reported later (a "limit-reached" event for the lifecycle).</summary>
    Resting,

    /// <summary>Taken but not yet confirmed: the fill is reported later, or the lifecycle gives up after its confirm timeout.</summary>
    Pending,

    /// <summary>Refused, with a code and a reason.</summary>
    Rejected,
}

public sealed record ExchangeAck(ExchangeAckStatus Status, MarkPrice? FillMark = null, string? Code = null, string? Message = null);
