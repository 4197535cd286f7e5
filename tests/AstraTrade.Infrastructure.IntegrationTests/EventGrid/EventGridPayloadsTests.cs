using System.Text;
using AstraTrade.Infrastructure.EventGrid;

namespace AstraTrade.Infrastructure.IntegrationTests.EventGrid;

/// <summary>What an Event Grid trigger or webhook receives, in both schemas, and clear refusals of what is not an event.</summary>
public class EventGridPayloadsTests
{
    /// <summary>A CloudEvents-schema delivery as Event Grid sends it to a subscriber (one event per request by default).</summary>
    private const string CloudEvent = """
        {
          "id": "da33b8cc-7336-8e41-982d-8f7c3d637f34",
          "source": "/astratrade/gamification",
          "specversion": "1.0",
          "type": "astratrade.gamification.achievement-unlocked.v1",
          "subject": "users/0f8fad5bd9cb469fa16570867728950e",
          "time": "2026-11-02T12:00:00.123+00:00",
          "datacontenttype": "application/json",
          "data": { "userId": "0f8fad5b-d9cb-469f-a165-70867728950e", "achievementId": "FIRST_TRADE", "unlockedAt": "2026-11-02T12:00:00+00:00" }
        }
        """;

    /// <summary>Event Grid's subscription validation event (Event Grid schema, always an array), as it posts it to a WebHook.</summary>
    private const string ValidationEvent = """
        [{
          "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
          "topic": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/astratrade/providers/Microsoft.EventGrid/topics/astratrade-events",
          "subject": "",
          "data": {
            "validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
            "validationUrl": "https://rp-westeurope.eventgrid.azure.net:553/eventsubscriptions/nft/validate?id=512d38b6&t=2026-11-02T12:00:00.0000000Z&apiVersion=2025-02-15&token=redacted"
          },
          "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
          "eventTime": "2026-11-02T12:00:00.9556811Z",
          "metadataVersion": "1",
          "dataVersion": "1"
        }]
        """;

    [Fact]
    public void A_single_CloudEvent_reads_with_every_field()
    {
        var e = Assert.Single(Parse(CloudEvent));

        Assert.Equal(
            ("da33b8cc-7336-8e41-982d-8f7c3d637f34", "astratrade.gamification.achievement-unlocked.v1", "/astratrade/gamification", "users/0f8fad5bd9cb469fa16570867728950e"),
            (e.Id, e.Type, e.Source, e.Subject));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 12, 0, 0, 123, TimeSpan.Zero), e.Time);
        Assert.Equal("FIRST_TRADE", e.Data.GetProperty("achievementId").GetString());
    }

    [Fact]
    public void A_batch_reads_in_order_and_base64_JSON_data_is_decoded()
    {
        var data = Convert.ToBase64String("""{"level":3}"""u8);
        var batch = $$"""[{{CloudEvent}}, {"specversion":"1.0","id":"2","source":"/s","type":"t","time":"2026-11-02T12:00:01Z","data_base64":"{{data}}"}]""";

        var events = Parse(batch);

        Assert.Equal(["da33b8cc-7336-8e41-982d-8f7c3d637f34", "2"], events.Select(e => e.Id));
        Assert.Equal(3, events[1].Data.GetProperty("level").GetInt32());
        Assert.Null(events[1].Subject);
    }

    [Fact]
    public void The_validation_event_reads_in_the_Event_Grid_schema_and_gives_its_code()
    {
        var e = Assert.Single(Parse(ValidationEvent));

        Assert.Equal(EventGridPayloads.SubscriptionValidationEventType, e.Type);
        Assert.StartsWith("/subscriptions/", e.Source, StringComparison.Ordinal);
        Assert.True(EventGridPayloads.TryGetValidationCode(e, out var code));
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", code);
        Assert.False(EventGridPayloads.TryGetValidationCode(Parse(CloudEvent)[0], out _));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "empty array")]
    [InlineData("42", "not a number")]
    [InlineData("[1]", "Event 0 must be a JSON object, not a number")]
    [InlineData("""{"id":"1"}""", "neither a CloudEvent")]
    [InlineData("""{"specversion":"0.3","id":"1","source":"/s","type":"t","time":"2026-11-02T12:00:00Z"}""", "specversion '0.3'")]
    [InlineData("""{"specversion":"1.0","source":"/s","type":"t","time":"2026-11-02T12:00:00Z"}""", "has no 'id'")]
    [InlineData("""{"specversion":"1.0","id":"","source":"/s","type":"t","time":"2026-11-02T12:00:00Z"}""", "has no 'id'")]
    [InlineData("""{"specversion":"1.0","id":"1","type":"t","time":"2026-11-02T12:00:00Z"}""", "(id '1') has no 'source'")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","time":"2026-11-02T12:00:00Z"}""", "has no 'type'")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t"}""", "has no 'time'")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"yesterday"}""", "not an RFC 3339 timestamp")]
    [InlineData("""{"specversion":"1.0","id":7,"source":"/s","type":"t","time":"2026-11-02T12:00:00Z"}""", "'id' that is a number")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2026-11-02T12:00:00Z","datacontenttype":"text/plain","data":"hi"}""", "only JSON data")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2026-11-02T12:00:00Z","data":{},"data_base64":"e30="}""", "both 'data' and 'data_base64'")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"/s","type":"t","time":"2026-11-02T12:00:00Z","data_base64":"%%%"}""", "not base64")]
    [InlineData("""{"eventType":"x","id":"1"}""", "has no 'eventTime'")]
    [InlineData("""[{"id":"1","eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2026-11-02T12:00:00Z","data":{}}]""", "validationCode")]
    public void Bad_payloads_are_refused_saying_what_and_where(string payload, string expected)
    {
        var error = Assert.Throws<IntegrationEventFormatException>(() =>
        {
            foreach (var e in Parse(payload))
            {
                EventGridPayloads.TryGetValidationCode(e, out _);
            }
        });

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<AstraTrade.Application.Integration.IntegrationEvent> Parse(string json) => EventGridPayloads.Parse(Encoding.UTF8.GetBytes(json));
}
