using System.Diagnostics.Metrics;

namespace AstraTrade.Application.Integration;

/// <summary>
/// The relay's instruments (meter <see cref="MeterName"/>): how many events wait for the topic and how old the oldest is
/// (a relay that cannot publish shows both growing), and counters of published and failed events.
/// </summary>
internal sealed class IntegrationRelayMetrics : IDisposable
{
    public const string MeterName = "AstraTrade.Integration";

    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _failed;

    public IntegrationRelayMetrics(IntegrationEventRelay relay)
    {
        // The relay as the meter's scope tells its instruments apart from another relay's in the same process (tests).
        _meter = new Meter(new MeterOptions(MeterName) { Scope = relay });
        _meter.CreateObservableGauge(
            "astratrade.integration.relay.pending", () => relay.Status.PendingEvents ?? 0, "{event}",
            "Integration events read from the feed and not yet acknowledged by the topic.");
        _meter.CreateObservableGauge(
            "astratrade.integration.relay.oldest_pending_age", () => relay.Status.OldestPendingAge?.TotalSeconds ?? 0, "s",
            "Age of the oldest integration event not yet acknowledged (0 when none waits).");
        _published = _meter.CreateCounter<long>(
            "astratrade.integration.relay.published", "{event}", "Integration events the topic acknowledged (redeliveries count again).");
        _failed = _meter.CreateCounter<long>(
            "astratrade.integration.relay.failed", "{event}", "Integration events in publish requests that failed (they are published again).");
    }

    public void Published(int count) => _published.Add(count);

    public void Failed(int count) => _failed.Add(count);

    public void Dispose() => _meter.Dispose();
}
