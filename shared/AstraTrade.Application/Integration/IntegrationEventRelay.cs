using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Application.Integration;

/// <summary>
/// The transactional outbox's relay (ARCHITECTURE.md §4): a durable feed subscription that publishes the integration
/// event of every stored event that has one (<see cref="IntegrationEventMapper"/>). The event log is the outbox, so an
/// event committed with its aggregate is published however the process dies afterwards: the subscription saves its
/// checkpoint only after the whole batch was acknowledged, and a failure (thrown from here) makes it deliver the batch
/// again, with backoff, until it goes through. Nothing is skipped; consumers deduplicate what is published twice.
/// Requests go out one after another in feed order, each within Event Grid's limits.
/// </summary>
public sealed class IntegrationEventRelay : IFeedHandler, IDisposable
{
    /// <summary>The meter of the relay's instruments (for the OpenTelemetry metrics setup).</summary>
    public const string MeterName = IntegrationRelayMetrics.MeterName;

    private readonly IIntegrationEventPublisher _publisher;
    private readonly IntegrationRelayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<IntegrationEventRelay> _logger;
    private readonly IntegrationRelayMetrics _metrics;
    private readonly Lock _gate = new();

    // Acknowledged events of a batch that has not gone through as a whole: when the subscription delivers the batch
    // again they are not sent again. Lost on a restart, which only means duplicates.
    private readonly HashSet<string> _acknowledged = new(StringComparer.Ordinal);
    private List<IntegrationEvent>? _pending;
    private DateTimeOffset? _lastPublishedAt;
    private long _published;
    private string? _lastError;

    public IntegrationEventRelay(
        IIntegrationEventPublisher publisher, IntegrationRelayOptions options, TimeProvider time, ILogger<IntegrationEventRelay> logger)
    {
        _publisher = publisher;
        _options = options.Validated();
        _time = time;
        _logger = logger;
        _metrics = new IntegrationRelayMetrics(this);
    }

    public IntegrationRelayStatus Status
    {
        get
        {
            lock (_gate)
            {
                var oldest = _pending is { Count: > 0 } pending ? _time.GetUtcNow() - pending.Min(e => e.Time) : (TimeSpan?)null;
                return new IntegrationRelayStatus(_pending?.Count, oldest, _lastPublishedAt, _published, _lastError);
            }
        }
    }

    public async ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        var events = new List<IntegrationEvent>();
        foreach (var recorded in batch)
        {
            if (IntegrationEventMapper.Map(recorded) is { } integrationEvent)
            {
                events.Add(integrationEvent);
            }
            else if (IntegrationEventMapper.StoredTypes.Contains(recorded.Type))
            {
                _logger.LogWarning("Stored event {EventId} ({Type}) in stream {Stream} belongs to no one the catalog knows; nothing is published for it",
                    recorded.EventId, recorded.Type, recorded.StreamId);
            }
        }

        lock (_gate)
        {
            _pending = [.. events.Where(e => !_acknowledged.Contains(e.Id))];
        }

        foreach (var request in IntegrationEventBatches.Split(Pending(), _options))
        {
            try
            {
                await _publisher.PublishAsync(request, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                lock (_gate)
                {
                    _lastError = $"{ex.GetType().Name}: {ex.Message}";
                }

                _metrics.Failed(request.Count);
                throw;
            }

            lock (_gate)
            {
                foreach (var e in request)
                {
                    _acknowledged.Add(e.Id);
                }

                _pending!.RemoveRange(0, request.Count);
                _lastPublishedAt = _time.GetUtcNow();
                _published += request.Count;
            }

            _metrics.Published(request.Count);
        }

        lock (_gate)
        {
            _acknowledged.Clear();
            _lastError = null;
        }
    }

    public void Dispose() => _metrics.Dispose();

    private List<IntegrationEvent> Pending()
    {
        lock (_gate)
        {
            return [.. _pending!];
        }
    }
}
