using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Ports;

/// <summary>
/// Where orders execute (ARCHITECTURE.md §6): the simulated exchange for practice and tournament accounts, Extended for
/// live ones. The trade lifecycle submits an order after reserving its margin and records the fill the exchange
/// reports. Every call is idempotent by order id: the lifecycle runs them at least once.
/// </summary>
public interface IExchange
{
    ValueTask<ExchangeAck> SubmitAsync(ExchangeOrder order, CancellationToken cancellationToken);

    /// <summary>Withdraws a resting order; true when it is no longer working there (cancelled now or before), false
    /// when it filled first.</summary>
    ValueTask<bool> CancelAsync(ExchangeOrder order, CancellationToken cancellationToken);

    /// <summary>Where a submitted order is now (filled, still resting or pending, or ended without a fill), without
    /// placing anything. An exchange that does not push its fills (Extended) is polled with this.</summary>
    ValueTask<ExchangeAck> StatusAsync(ExchangeOrder order, CancellationToken cancellationToken);
}

public sealed record ExchangeOrder(Guid OrderId, string AccountStream, string Market, PositionSide Side, OrderType Type, decimal? LimitPrice, decimal Notional, int Leverage);

public enum ExchangeAckStatus
{
    /// <summary>Filled now, at <see cref="ExchangeAck.FillMark"/>.</summary>
    Filled,

    /// <summary>Resting in the book: a fill is reported later.</summary>
    Resting,

    /// <summary>Taken but not yet confirmed: the fill is reported later, or the lifecycle gives up after its confirm timeout.</summary>
    Pending,

    /// <summary>Refused, or ended without a fill, with a code and a reason.</summary>
    Rejected,
}

/// <param name="FillMark">The price a fill happened at (practice: the mark the account applies its spread to).</param>
/// <param name="Execution">What a real exchange executed (price, quantity, fee); null on the simulated exchange.</param>
public sealed record ExchangeAck(
    ExchangeAckStatus Status, MarkPrice? FillMark = null, string? Code = null, string? Message = null, ExchangeExecution? Execution = null);
