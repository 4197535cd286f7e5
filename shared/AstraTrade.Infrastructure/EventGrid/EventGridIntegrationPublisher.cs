using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using AstraTrade.Application.Integration;

namespace AstraTrade.Infrastructure.EventGrid;

/// <summary>
/// Publishes integration events to an Event Grid topic (CloudEvents 1.0 input schema) with the SDK's
/// <see cref="EventGridPublisherClient"/>: one request per call, which the topic accepts or refuses as a whole; a
/// refusal (after the SDK's own retries) throws <see cref="RequestFailedException"/>, and the relay publishes again.
/// </summary>
public sealed class EventGridIntegrationPublisher(EventGridPublisherClient client) : IIntegrationEventPublisher
{
    public async ValueTask PublishAsync(IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        await client.SendEventsAsync(events.Select(ToCloudEvent), cancellationToken);
    }

    /// <summary>A client for <paramref name="options"/>: the topic key when one is configured, else the managed identity.</summary>
    public static EventGridPublisherClient CreateClient(EventGridOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.Endpoint();
        var clientOptions = new EventGridPublisherClientOptions
        {
            Retry =
            {
                Mode = RetryMode.Exponential,
                MaxRetries = options.MaxRetries,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                NetworkTimeout = options.NetworkTimeout,
            },
        };

        if (!string.IsNullOrEmpty(options.TopicKey))
        {
            return new EventGridPublisherClient(endpoint, new AzureKeyCredential(options.TopicKey), clientOptions);
        }

        var identity = string.IsNullOrWhiteSpace(options.ClientId)
            ? ManagedIdentityId.SystemAssigned
            : ManagedIdentityId.FromUserAssignedClientId(options.ClientId);
        return new EventGridPublisherClient(endpoint, new ManagedIdentityCredential(identity), clientOptions);
    }

    /// <summary>The SDK's CloudEvent: our id, time and subject, the data as JSON (not base64), and the trace context of
    /// the stored event as the CloudEvents distributed-tracing extension (<c>traceparent</c>).</summary>
    internal static CloudEvent ToCloudEvent(IntegrationEvent e)
    {
        var cloudEvent = new CloudEvent(e.Source, e.Type, BinaryData.FromString(e.Data.GetRawText()), "application/json", CloudEventDataFormat.Json)
        {
            Id = e.Id,
            Time = e.Time,
            Subject = e.Subject,
        };
        if (e.TraceParent is { } traceParent)
        {
            cloudEvent.ExtensionAttributes["traceparent"] = traceParent;
        }

        return cloudEvent;
    }
}
