namespace AstraTrade.Application.Integration;

/// <summary>
/// Standalone delivery (ARCHITECTURE.md §2): the relay's events go straight to this process's consumer. A request is
/// acknowledged once every handler has handled every event of it, so a failing handler fails the publish and the relay
/// delivers again, as Event Grid would retry; unlike Event Grid, it retries for as long as it takes (nothing is
/// dead-lettered), and the relay's status shows why it is stuck.
/// </summary>
public sealed class InProcessIntegrationEventPublisher(IntegrationEventConsumer consumer) : IIntegrationEventPublisher
{
    public async ValueTask PublishAsync(IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken) =>
        await consumer.ConsumeAsync(events, cancellationToken);
}
