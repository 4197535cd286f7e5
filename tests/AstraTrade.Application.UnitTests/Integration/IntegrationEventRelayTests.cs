using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Integration;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Events;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;
using AstraTrade.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Application.UnitTests.Integration;

/// <summary>The relay: which events it publishes, in what requests and order, what a failure does, what it reports.</summary>
public class IntegrationEventRelayTests
{
    private static readonly Guid User = Guid.NewGuid();
    private readonly ManualTimeProvider _clock = new(Stored.At.AddSeconds(30));
    private readonly RecordingPublisher _publisher = new();

    [Fact]
    public async Task Only_catalog_events_are_published_in_feed_order_in_requests_of_at_most_the_event_limit()
    {
        using var relay = Relay(new IntegrationRelayOptions { MaxEventsPerRequest = 3 });
        var batch = Mixed(7);

        await relay.HandleAsync(batch, default);

        Assert.Equal([3, 3, 1], _publisher.Requests.Select(r => r.Count));
        Assert.Equal(
            batch.Select(IntegrationEventMapper.Map).OfType<IntegrationEvent>().Select(e => e.Id),
            _publisher.Requests.SelectMany(r => r).Select(e => e.Id));
        Assert.Equal(new IntegrationRelayStatus(0, null, _clock.GetUtcNow(), 7, null), relay.Status);
    }

    [Fact]
    public async Task With_Event_Grids_limits_every_request_is_at_most_1_MB_and_5000_events()
    {
        Assert.Equal((1_048_576, 5_000), (new IntegrationRelayOptions().MaxRequestBytes, new IntegrationRelayOptions().MaxEventsPerRequest));
        using var relay = Relay(new IntegrationRelayOptions());
        var batch = Enumerable.Range(1, 6_000).Select(i => Closed(i)).ToList();

        await relay.HandleAsync(batch, default);

        Assert.True(_publisher.Requests.Count >= 3);
        Assert.All(_publisher.Requests, r =>
        {
            Assert.InRange(r.Count, 1, 5_000);
            Assert.InRange(Encoded(r), 1, 1_048_576);
        });
        Assert.Equal(6_000, _publisher.Requests.Sum(r => r.Count));

        // Filled up to the limit (as measured with the slack per event), not cut early: one more event would not fit.
        var first = _publisher.Requests[0];
        var perEvent = IntegrationEventBatches.EncodedSize(first[0]) + IntegrationEventBatches.SlackPerEvent;
        Assert.True(Encoded(first) + (first.Count * IntegrationEventBatches.SlackPerEvent) + 1 + perEvent > 1_048_576);
    }

    [Fact]
    public async Task The_byte_limit_cuts_requests_before_the_event_limit_does()
    {
        var size = IntegrationEventBatches.EncodedSize(IntegrationEventMapper.Map(Closed(1))!) + IntegrationEventBatches.SlackPerEvent;
        using var relay = Relay(new IntegrationRelayOptions { MaxRequestBytes = 2 + (2 * size) + 1 + 10 });

        await relay.HandleAsync([.. Enumerable.Range(1, 5).Select(i => Closed(i))], default);

        Assert.Equal([2, 2, 1], _publisher.Requests.Select(r => r.Count));
        Assert.All(_publisher.Requests, r => Assert.True(Encoded(r) <= 2 + (2 * size) + 1 + 10));
    }

    [Fact]
    public void An_event_bigger_than_a_request_is_refused_with_its_id_rather_than_sent()
    {
        var e = IntegrationEventMapper.Map(Closed(1))!;
        var limits = new IntegrationRelayOptions { MaxRequestBytes = 100 };

        var error = Assert.Throws<InvalidOperationException>(() => IntegrationEventBatches.Split([e], limits).ToList());

        Assert.Contains(e.Id, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1_048_577, 10)]
    [InlineData(1_000, 0)]
    [InlineData(1_000, 5_001)]
    public void Limits_beyond_Event_Grids_are_refused(int bytes, int events) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new IntegrationRelayOptions { MaxRequestBytes = bytes, MaxEventsPerRequest = events }.Validated());

    [Fact]
    public async Task A_failed_request_fails_the_batch_and_its_retry_sends_only_what_was_not_acknowledged()
    {
        using var relay = Relay(new IntegrationRelayOptions { MaxEventsPerRequest = 2 });
        var batch = Enumerable.Range(1, 5).Select(i => Closed(i, Stored.At.AddSeconds(i))).ToList();
        _publisher.FailRequest = attempt => attempt == 1;

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => relay.HandleAsync(batch, default).AsTask());

        var status = relay.Status;
        Assert.Equal(3, status.PendingEvents);
        Assert.Equal(TimeSpan.FromSeconds(27), status.OldestPendingAge); // the third event, recorded at +3 s; now is +30 s
        Assert.Equal("HttpRequestException: " + failure.Message, status.LastError);
        Assert.Equal(2, status.Published);

        await relay.HandleAsync(batch, default); // the subscription delivers the same batch again

        Assert.Equal([2, 2, 1], _publisher.Requests.Select(r => r.Count));
        Assert.Equal(batch.Select(b => IntegrationEventMapper.Map(b)!.Id), _publisher.Requests.SelectMany(r => r).Select(e => e.Id));
        Assert.Equal(new IntegrationRelayStatus(0, null, _clock.GetUtcNow(), 5, null), relay.Status);

        await relay.HandleAsync(batch, default); // once the batch went through, a redelivery (checkpoint not saved) is published again
        Assert.Equal(10, _publisher.Requests.Sum(r => r.Count));
    }

    [Fact]
    public async Task Before_its_first_batch_the_relay_does_not_know_what_is_pending()
    {
        using var relay = Relay(new IntegrationRelayOptions());
        Assert.Equal(new IntegrationRelayStatus(null, null, null, 0, null), relay.Status);

        await relay.HandleAsync([Stored.Event(StreamIds.Progression(User), 1, new CheckedIn(DateOnly.FromDateTime(Stored.At.UtcDateTime), Stored.At))], default);

        Assert.Equal(new IntegrationRelayStatus(0, null, null, 0, null), relay.Status);
        Assert.Empty(_publisher.Requests);
    }

    [Fact]
    public async Task Metrics_show_pending_events_their_age_and_what_was_published_or_failed()
    {
        using var relay = Relay(new IntegrationRelayOptions { MaxEventsPerRequest = 1 });
        var measured = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == relay)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, _, _) => measured[i.Name] = measured.GetValueOrDefault(i.Name) + value);
        listener.SetMeasurementEventCallback<int>((i, value, _, _) => measured[i.Name] = value);
        listener.SetMeasurementEventCallback<double>((i, value, _, _) => measured[i.Name] = value);
        listener.Start();
        _publisher.FailRequest = attempt => attempt == 2;

        await Assert.ThrowsAsync<HttpRequestException>(() => relay.HandleAsync([Closed(1), Closed(2), Closed(3, Stored.At.AddSeconds(10))], default).AsTask());
        listener.RecordObservableInstruments();

        Assert.Equal(2, measured["astratrade.integration.relay.published"]);
        Assert.Equal(1, measured["astratrade.integration.relay.failed"]);
        Assert.Equal(1, measured["astratrade.integration.relay.pending"]);
        Assert.Equal(20, measured["astratrade.integration.relay.oldest_pending_age"]);
        Assert.Equal("AstraTrade.Integration", IntegrationEventRelay.MeterName);
    }

    private IntegrationEventRelay Relay(IntegrationRelayOptions options) =>
        new(_publisher, options, _clock, NullLogger<IntegrationEventRelay>.Instance);

    /// <summary>Closes, XP awards and achievements, interleaved: only some of them are in the catalog.</summary>
    private static List<RecordedEvent> Mixed(int catalogEvents)
    {
        var events = new List<RecordedEvent>();
        for (var i = 1; i <= catalogEvents; i++)
        {
            events.Add(Stored.Event(StreamIds.Progression(User), i * 2, new XpAwarded(50, 0, XpReason.QualifyingClose, "p", DateOnly.FromDateTime(Stored.At.UtcDateTime), Stored.At)));
            events.Add(i % 2 == 0
                ? Stored.Event(StreamIds.Progression(User), (i * 2) + 1, new AchievementUnlocked("A" + i, 1, 1, "r", Stored.At))
                : Closed(i));
        }

        return events;
    }

    private static RecordedEvent Closed(int i, DateTimeOffset? at = null) => Stored.Event(
        StreamIds.PracticeAccount(User),
        i,
        new PositionClosed(Guid.NewGuid(), new PositionTerms("ETH-USD", PositionSide.Long, 10, 50m, 500m, 0.2m, 2_500m, 0.25m, 0.005m, 0.0005m, Stored.At),
            50m, 2_510m, 2_509.5m, 1.9m, 0.25m, 51.65m, CloseReason.User, at ?? Stored.At),
        at);

    /// <summary>The request as a JSON array of CloudEvents, measured.</summary>
    private static int Encoded(IReadOnlyList<IntegrationEvent> request)
    {
        var json = new StringBuilder("[");
        foreach (var e in request)
        {
            json.Append(json.Length > 1 ? "," : "").Append(JsonSerializer.Serialize(new
            {
                specversion = "1.0", id = e.Id, source = e.Source, type = e.Type, time = e.Time, subject = e.Subject, datacontenttype = "application/json", data = e.Data,
            }));
        }

        return Encoding.UTF8.GetByteCount(json.Append(']').ToString());
    }
}
