using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;

namespace AstraTrade.Application.Trading;

/// <summary>
/// The exchange an order goes to is decided by its account: live accounts trade on the live exchange (Extended),
/// practice and tournament accounts on the simulated one. A live order without a live exchange configured is refused,
/// never sent to the simulator.
/// </summary>
public sealed class ExchangeRouter(IExchange simulated, ILiveExchange? live) : IExchange
{
    private static readonly ExchangeAck NotConfigured = new(
        ExchangeAckStatus.Rejected, null, "live-trading-not-configured", "Live trading is not configured on this deployment.");

    public ValueTask<ExchangeAck> SubmitAsync(ExchangeOrder order, CancellationToken cancellationToken) =>
        !IsLive(order) ? simulated.SubmitAsync(order, cancellationToken)
        : live is null ? ValueTask.FromResult(NotConfigured)
        : live.SubmitAsync(order, cancellationToken);

    public ValueTask<bool> CancelAsync(ExchangeOrder order, CancellationToken cancellationToken) =>
        !IsLive(order) ? simulated.CancelAsync(order, cancellationToken)
        : live is null ? ValueTask.FromResult(true) // never configured, so never placed
        : live.CancelAsync(order, cancellationToken);

    public ValueTask<ExchangeAck> StatusAsync(ExchangeOrder order, CancellationToken cancellationToken) =>
        !IsLive(order) ? simulated.StatusAsync(order, cancellationToken)
        : live is null ? ValueTask.FromResult(NotConfigured)
        : live.StatusAsync(order, cancellationToken);

    private static bool IsLive(ExchangeOrder order) => StreamIds.IsLiveAccount(order.AccountStream);
}
