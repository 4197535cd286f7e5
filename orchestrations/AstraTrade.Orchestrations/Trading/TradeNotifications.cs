using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Trading;

public static class TradeNotifications
{
    /// <summary>Tells an order's lifecycle something happened to it. An order without a lifecycle (a position opened
    /// before lifecycles) or whose lifecycle has ended ignores it: NotFound and Gone are not errors here.</summary>
    public static async Task NotifyTradeAsync<T>(
        this WorkflowClient workflows, Guid orderId, ExternalEvent<T> externalEvent, T payload, CancellationToken cancellationToken) =>
        await workflows.RaiseEventAsync(TradeLifecycle.InstanceId(orderId), externalEvent, payload, cancellationToken);
}
