using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Infrastructure.Exchange.Practice;

/// <summary>
/// The simulated exchange of practice and tournament accounts (DOMAIN.md §1): a market order fills at once at the
/// latest mark (the account applies the spread); a limit order fills at once if the mark has already crossed its limit,
/// and otherwise rests in the <see cref="PracticeOrderBook"/> until a tick crosses it. It never leaves an order pending.
/// </summary>
public sealed class PracticeExchange(IMarketData marketData, TimeProvider time) : IExchange
{
    /// <summary>How old a mark may be to fill at (DOMAIN.md §1: not older than 5 s).</summary>
    public static readonly TimeSpan MaxMarkAge = TimeSpan.FromSeconds(5);

    public ValueTask<ExchangeAck> SubmitAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        if (!marketData.TryGetLatest(order.Market, out var tick) || time.GetUtcNow() - tick.Time > MaxMarkAge)
        {
            return ValueTask.FromResult(order.Type == OrderType.Limit
                ? new ExchangeAck(ExchangeAckStatus.Resting) // it waits for a price anyway
                : new ExchangeAck(ExchangeAckStatus.Rejected, null, "stale-price", $"There is no current price for {order.Market}; try again in a moment."));
        }

        var mark = new MarkPrice(tick.Price, tick.Time);
        var crossed = order.LimitPrice is not { } limit || (order.Side == PositionSide.Long ? tick.Price <= limit : tick.Price >= limit);
        return ValueTask.FromResult(crossed ? new ExchangeAck(ExchangeAckStatus.Filled, mark) : new ExchangeAck(ExchangeAckStatus.Resting));
    }

    /// <summary>The simulated exchange keeps no orders of its own: an order's state is what a submit would answer now.</summary>
    public ValueTask<ExchangeAck> StatusAsync(ExchangeOrder order, CancellationToken cancellationToken) => SubmitAsync(order, cancellationToken);

    /// <summary>The book follows the account: once the reservation is released the order is gone from it.</summary>
    public ValueTask<bool> CancelAsync(ExchangeOrder order, CancellationToken cancellationToken) => ValueTask.FromResult(true);
}
