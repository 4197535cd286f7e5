namespace AstraTrade.Application.Integration;

/// <summary>
/// A consumer of integration events (in Azure, behind an eventGridTrigger function; standalone, called in process by
/// the relay). Delivery is at least once; the dispatcher in front of handlers drops an event id it has already seen,
/// but a handler that crashed mid-way sees its event again, so handling must still be idempotent.
/// A thrown exception means "deliver again later".
/// </summary>
public interface IIntegrationEventHandler
{
    /// <summary>The CloudEvents types this handler consumes.</summary>
    IReadOnlyCollection<string> EventTypes { get; }

    ValueTask HandleAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken);
}
