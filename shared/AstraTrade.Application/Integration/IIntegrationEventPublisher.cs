namespace AstraTrade.Application.Integration;

/// <summary>
/// Where integration events go: the Event Grid topic in Azure, the in-process consumer standalone
/// (ARCHITECTURE.md §2, §4). The relay hands it one request's worth of events at a time (within Event Grid's limits,
/// <see cref="IntegrationRelayOptions"/>).
/// </summary>
public interface IIntegrationEventPublisher
{
    /// <summary>Publishes <paramref name="events"/>; returns only once every one of them was accepted, and throws
    /// otherwise (then the relay publishes them again: consumers see duplicates, never gaps).</summary>
    ValueTask PublishAsync(IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken);
}
