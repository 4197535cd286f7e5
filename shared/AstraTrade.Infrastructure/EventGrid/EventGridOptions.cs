namespace AstraTrade.Infrastructure.EventGrid;

/// <summary>
/// Settings of the Event Grid topic integration events are published to (section <c>EventGrid</c>), and of the webhook
/// that receives them. Without <see cref="TopicEndpoint"/> nothing goes to Event Grid: integration events are delivered
/// in process (standalone mode).
/// </summary>
public sealed class EventGridOptions
{
    public const string Section = "EventGrid";

    /// <summary>The topic's endpoint, e.g. <c>https://astratrade-events.westeurope-1.eventgrid.azure.net/api/events</c>.
    /// The topic must take the CloudEvents 1.0 input schema.</summary>
    public string? TopicEndpoint { get; set; }

    /// <summary>An access key of the topic (local runs and tests); without it the app signs in with its managed identity.</summary>
    public string? TopicKey { get; set; }

    /// <summary>The client id of a user-assigned managed identity; empty for the system-assigned identity.</summary>
    public string? ClientId { get; set; }

    /// <summary>The key the integration-events webhook requires (query <c>key</c> or header
    /// <c>X-Webhook-Key</c>); without it the webhook answers 501.</summary>
    public string? WebhookKey { get; set; }

    /// <summary>Retries of one publish request inside the SDK (on 408, 429, 5xx and network errors), before the relay's
    /// own retry of the whole batch takes over.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry delay; it doubles per retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one publish attempt may take.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool PublishesToEventGrid => !string.IsNullOrWhiteSpace(TopicEndpoint);

    /// <summary>The topic endpoint, checked.</summary>
    /// <exception cref="InvalidOperationException">It is missing or not an absolute http(s) URI, or it is plain http
    /// without a key (a managed-identity token is only ever sent over TLS).</exception>
    public Uri Endpoint()
    {
        if (!Uri.TryCreate(TopicEndpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidOperationException($"{Section}:TopicEndpoint must be the topic's absolute https URI, not '{TopicEndpoint}'.");
        }

        if (endpoint.Scheme == Uri.UriSchemeHttp && string.IsNullOrEmpty(TopicKey))
        {
            throw new InvalidOperationException($"{Section}:TopicEndpoint is plain http: that is only for a local topic with {Section}:TopicKey.");
        }

        return endpoint;
    }
}
