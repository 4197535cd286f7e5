using System.Net;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Integration;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Events;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.EventGrid;
using Azure;

namespace AstraTrade.Infrastructure.IntegrationTests.EventGrid;

/// <summary>
/// The real requests <c>EventGridPublisherClient</c> sends for our integration events, checked at a local listener:
/// the topic's path, the key header, the CloudEvents batch content type and every CloudEvents field; and how it retries.
/// </summary>
public sealed class EventGridPublisherTests : IAsyncDisposable
{
    private const string Key = "bG9jYWwtdG9waWMta2V5LWZvci10ZXN0cw==";
    private static readonly DateTimeOffset At = new(2026, 11, 2, 12, 0, 0, 123, TimeSpan.Zero);
    private readonly LocalTopic _topic = new();

    public ValueTask DisposeAsync() => _topic.DisposeAsync();

    [Fact]
    public async Task A_batch_is_one_POST_to_api_events_with_the_key_and_a_CloudEvents_batch_of_every_field()
    {
        var user = Guid.NewGuid();
        var events = new[]
        {
            Map(StreamIds.Progression(user), new AchievementUnlocked("FIRST_TRADE", 100, 10, "first qualifying close", At)),
            Map(StreamIds.Progression(user), new LevelReached(2, At)),
            Map(StreamIds.PracticeAccount(user), new PositionClosed(Guid.NewGuid(),
                new PositionTerms("BTC-USD", PositionSide.Long, 2, 10m, 20m, 0.0004m, 50_000m, 0.01m, 0.005m, 0.0005m, At.AddMinutes(-1)),
                10m, 50_100m, 50_090.5m, 0.0362m, 0.01m, 10.0262m, CloseReason.TakeProfit, At)),
        };

        await Publisher().PublishAsync(events, default);

        var request = Assert.Single(_topic.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/events?api-version=2018-01-01", request.PathAndQuery);
        Assert.Equal(Key, request.Headers["aeg-sas-key"]);
        Assert.Equal("application/cloudevents-batch+json; charset=utf-8", request.Headers["Content-Type"]);

        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(JsonValueKind.Array, body.RootElement.ValueKind);
        var sent = body.RootElement.EnumerateArray().ToList();
        Assert.Equal(events.Length, sent.Count);
        for (var i = 0; i < events.Length; i++)
        {
            var json = sent[i];
            Assert.Equal(
                ["data", "datacontenttype", "id", "source", "specversion", "subject", "time", "type"],
                json.EnumerateObject().Select(p => p.Name).Order());
            Assert.Equal("1.0", json.GetProperty("specversion").GetString());
            Assert.Equal(events[i].Id, json.GetProperty("id").GetString());
            Assert.Equal(events[i].Source, json.GetProperty("source").GetString());
            Assert.Equal(events[i].Type, json.GetProperty("type").GetString());
            Assert.Equal(events[i].Time, json.GetProperty("time").GetDateTimeOffset());
            Assert.Equal(events[i].Subject, json.GetProperty("subject").GetString());
            Assert.Equal("application/json", json.GetProperty("datacontenttype").GetString());
            Assert.True(JsonElement.DeepEquals(events[i].Data, json.GetProperty("data")), $"data of {events[i].Type} as sent: {json.GetProperty("data")}");
        }

        // What a subscriber receives reads back as the same events.
        var parsed = EventGridPayloads.Parse(request.Body);
        Assert.Equal(events.Select(e => (e.Id, e.Type, e.Source, e.Subject, e.Time)), parsed.Select(e => (e.Id, e.Type, e.Source, e.Subject, e.Time)));
        Assert.All(events.Zip(parsed), pair => Assert.True(JsonElement.DeepEquals(pair.First.Data, pair.Second.Data)));
    }

    [Fact]
    public async Task The_stored_event_s_trace_context_travels_as_the_CloudEvents_traceparent_extension()
    {
        const string traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        var data = EventTypes.Serialize(new LevelReached(2, At));
        var integrationEvent = IntegrationEventMapper.Map(
            new RecordedEvent(StreamIds.Progression(Guid.NewGuid()), 1, data.EventId, data.Type, data.Data, At, traceParent))!;
        Assert.Equal(traceParent, integrationEvent.TraceParent);

        await Publisher().PublishAsync([integrationEvent], default);

        using var body = JsonDocument.Parse(Assert.Single(_topic.Requests).Body);
        Assert.Equal(traceParent, body.RootElement[0].GetProperty("traceparent").GetString());
        Assert.Equal(traceParent, Assert.Single(EventGridPayloads.Parse(Assert.Single(_topic.Requests).Body)).TraceParent);
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task A_5xx_or_429_is_retried_with_the_same_request_and_the_publish_succeeds(HttpStatusCode failure)
    {
        _topic.Respond = n => n < 2 ? failure : HttpStatusCode.OK;
        var e = Map(StreamIds.Progression(Guid.NewGuid()), new LevelReached(5, At));

        await Publisher().PublishAsync([e], default);

        Assert.Equal([failure, failure, HttpStatusCode.OK], _topic.Requests.Select(r => r.Status));
        Assert.All(_topic.Requests, r => Assert.Equal(_topic.Requests[0].Body, r.Body));
    }

    [Fact]
    public async Task A_topic_that_keeps_failing_fails_the_publish_after_the_configured_retries()
    {
        _topic.Respond = _ => HttpStatusCode.ServiceUnavailable;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Publisher().PublishAsync([Map(StreamIds.Progression(Guid.NewGuid()), new LevelReached(5, At))], default).AsTask());

        Assert.Equal(503, error.Status);
        Assert.Equal(3, _topic.Requests.Count); // the first attempt and MaxRetries = 2
    }

    [Fact]
    public async Task A_refused_request_is_not_retried_by_the_SDK_and_fails_the_publish()
    {
        _topic.Respond = _ => HttpStatusCode.BadRequest;

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Publisher().PublishAsync([Map(StreamIds.Progression(Guid.NewGuid()), new LevelReached(5, At))], default).AsTask());

        Assert.Equal(400, error.Status);
        Assert.Single(_topic.Requests);
    }

    [Fact]
    public async Task Nothing_to_publish_sends_nothing()
    {
        await Publisher().PublishAsync([], default);

        Assert.Empty(_topic.Requests);
    }

    [Theory]
    [InlineData("", null, "absolute https URI")]
    [InlineData("events.example", null, "absolute https URI")]
    [InlineData("ftp://topic.example/api/events", "k", "absolute https URI")]
    [InlineData("http://topic.example/api/events", null, "only for a local topic")]
    public void Endpoints_are_checked_before_anything_is_sent(string endpoint, string? key, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(() => EventGridIntegrationPublisher.CreateClient(new EventGridOptions { TopicEndpoint = endpoint, TopicKey = key }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("7a9c1e55-0b6d-4a44-9f0e-6c2f3b1d8e21")]
    public void Without_a_key_the_client_uses_the_managed_identity_over_https(string? clientId)
    {
        var options = new EventGridOptions { TopicEndpoint = "https://astratrade.westeurope-1.eventgrid.azure.net/api/events", ClientId = clientId };

        // No token is asked for until something is sent (there is no managed identity endpoint here).
        Assert.NotNull(EventGridIntegrationPublisher.CreateClient(options));
        Assert.True(options.PublishesToEventGrid);
        Assert.False(new EventGridOptions().PublishesToEventGrid);
    }

    private EventGridIntegrationPublisher Publisher() => new(EventGridIntegrationPublisher.CreateClient(new EventGridOptions
    {
        TopicEndpoint = _topic.Endpoint,
        TopicKey = Key,
        MaxRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        NetworkTimeout = TimeSpan.FromSeconds(10),
    }));

    internal static IntegrationEvent Map(string stream, object domainEvent)
    {
        var data = EventTypes.Serialize(domainEvent);
        return IntegrationEventMapper.Map(new RecordedEvent(stream, 1, data.EventId, data.Type, data.Data, At))
            ?? throw new InvalidOperationException(Encoding.UTF8.GetString(data.Data.Span));
    }
}
