using System.Collections.Frozen;
using System.Diagnostics;
using AstraTrade.Application.Diagnostics;
using AstraTrade.Contracts.Events;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Application.Integration;

/// <summary>
/// The receiving side of integration events (behind an Event Grid trigger or webhook in Azure, behind the in-process
/// publisher standalone): hands each event, in the order given, to every handler that consumes its type. An event a
/// handler has already handled (<see cref="IntegrationDeliveryLog"/>, keyed by the handler's type name) is not handed
/// to it again; it is recorded only after the handler returned, so a handler that failed gets the event again on the
/// next delivery. The first failure stops the delivery (later events are not handed out of order) and is thrown as an
/// <see cref="IntegrationEventHandlerException"/>: the sender delivers again. A type no handler consumes is acknowledged.
/// </summary>
public sealed class IntegrationEventConsumer
{
    private readonly IntegrationDeliveryLog _deliveries;
    private readonly ILogger<IntegrationEventConsumer> _logger;
    private readonly FrozenDictionary<string, (string Key, IIntegrationEventHandler Handler)[]> _byType;

    public IntegrationEventConsumer(
        IEnumerable<IIntegrationEventHandler> handlers, IntegrationDeliveryLog deliveries, ILogger<IntegrationEventConsumer> logger)
    {
        Handlers = [.. handlers];
        _deliveries = deliveries;
        _logger = logger;
        var duplicate = Handlers.GroupBy(HandlerKey).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            // Both would share one delivery record per event, so the second would never see anything.
            throw new ArgumentException($"The handler {duplicate.Key} is registered {duplicate.Count()} times.", nameof(handlers));
        }

        _byType = Handlers
            .SelectMany(h => h.EventTypes.Distinct(StringComparer.Ordinal).Select(type => (Type: type, Key: HandlerKey(h), Handler: h)))
            .GroupBy(x => x.Type, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(x => (x.Key, x.Handler)).ToArray(), StringComparer.Ordinal);
    }

    public IReadOnlyList<IIntegrationEventHandler> Handlers { get; }

    /// <summary>The name a handler's deliveries are recorded under: its type's full name (renaming the class forgets
    /// what it handled, so it would see redelivered events once more).</summary>
    public static string HandlerKey(IIntegrationEventHandler handler) => handler.GetType().FullName ?? handler.GetType().Name;

    /// <exception cref="IntegrationEventHandlerException">A handler failed; events before it were handled.</exception>
    public async ValueTask<IntegrationConsumeResult> ConsumeAsync(IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        int handled = 0, duplicates = 0, unhandled = 0;
        foreach (var e in events)
        {
            if (!_byType.TryGetValue(e.Type, out var targets))
            {
                unhandled++;
                if (IntegrationEventTypes.All.Contains(e.Type))
                {
                    _logger.LogDebug("No handler here consumes {Type}; event {EventId} acknowledged", e.Type, e.Id);
                }
                else
                {
                    _logger.LogWarning("Integration event {EventId} has a type this version does not know ({Type}, from {Source}); acknowledged",
                        e.Id, e.Type, e.Source);
                }

                continue;
            }

            foreach (var (key, handler) in targets)
            {
                if (await _deliveries.WasHandledAsync(key, e.Id, cancellationToken))
                {
                    duplicates++;
                    continue;
                }

                try
                {
                    // The consumer's span continues the trace the event was caused in (its traceparent).
                    using var activity = AstraTradeDiagnostics.Source.StartActivity(
                        "integration " + e.Type, ActivityKind.Consumer, TraceContext.Parse(e.TraceParent));
                    activity?.SetTag("astratrade.integration.event_id", e.Id);
                    activity?.SetTag("astratrade.integration.handler", key);
                    await handler.HandleAsync(e, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new IntegrationEventHandlerException(key, e, ex);
                }

                await _deliveries.RecordAsync(key, e, cancellationToken);
                handled++;
            }
        }

        return new IntegrationConsumeResult(handled, duplicates, unhandled);
    }
}

/// <param name="Handled">Handler calls that succeeded.</param>
/// <param name="Duplicates">Handler calls skipped because that handler had already handled the event.</param>
/// <param name="Unhandled">Events no handler here consumes (acknowledged).</param>
public sealed record IntegrationConsumeResult(int Handled, int Duplicates, int Unhandled);

/// <summary>A handler threw on an integration event: deliver it again later.</summary>
public sealed class IntegrationEventHandlerException(string handler, IntegrationEvent integrationEvent, Exception inner)
    : Exception($"{handler} failed on integration event {integrationEvent.Id} ({integrationEvent.Type}): {inner.Message}", inner)
{
    public string Handler { get; } = handler;

    public string EventId { get; } = integrationEvent.Id;
}
