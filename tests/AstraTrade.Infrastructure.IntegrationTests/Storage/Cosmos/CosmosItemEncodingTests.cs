using System.Text;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Cosmos;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>How appends, documents and feed checkpoints are written as Cosmos DB items and strings.</summary>
public sealed class CosmosItemEncodingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 10, 15, 0, 123, TimeSpan.Zero);

    [Fact]
    public void An_append_item_reads_back_as_its_events_with_versions_after_its_base()
    {
        var events = TestEvents.Many(3);
        using var item = JsonDocument.Parse(EventItem.Encode("account-1", 4, events, Now.AddTicks(7)));

        var recorded = CosmosEventDocuments.ToRecordedEvents(item.RootElement);

        Assert.Equal("4", item.RootElement.GetProperty("id").GetString());
        Assert.Equal([5L, 6L, 7L], recorded.Select(e => e.Version));
        Assert.Equal(events.Select(e => e.EventId), recorded.Select(e => e.EventId));
        Assert.All(recorded, e => Assert.Equal("account-1", e.StreamId));
        Assert.All(recorded, e => Assert.Equal(Now.AddTicks(7), e.RecordedAt));
        Assert.Equal(events.Select(e => e.Data.ToArray()), recorded.Select(e => e.Data.ToArray()));
    }

    [Fact]
    public void Event_data_is_kept_as_text_so_decimals_and_spacing_survive_exactly()
    {
        var json = "{ \"amount\": 79228162514264337593543950335, \"fee\": 0.1000000000000000000000000001,\n \"name\": \"\\u00e9t\u00e9\" }";
        var data = new EventData(Guid.NewGuid(), "fee-charged", Encoding.UTF8.GetBytes(json));
        using var item = JsonDocument.Parse(EventItem.Encode("s", 0, [data], Now));

        Assert.Equal(JsonValueKind.String, item.RootElement.GetProperty("events")[0].GetProperty("data").ValueKind);
        Assert.Equal(json, Encoding.UTF8.GetString(CosmosEventDocuments.ToRecordedEvents(item.RootElement)[0].Data.Span));
    }

    [Fact]
    public void Event_data_that_is_not_UTF8_is_refused()
    {
        var data = new EventData(Guid.NewGuid(), "t", new byte[] { 0x7B, 0xFF, 0x7D });

        Assert.Throws<ArgumentException>(() => EventItem.Encode("s", 0, [data], Now));
    }

    [Theory]
    [InlineData("""{"id":"a","collection":"c","key":"a","body":"{}"}""")]
    [InlineData("""{"id":"lease-1","ContinuationToken":"\"12\"","Owner":null}""")]
    [InlineData("""{"id":"0","stream":"s","kind":"append","first":1,"last":2,"recordedAt":"2026-11-21T10:15:00.0000000+00:00","events":[]}""")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"id":"0","stream":"s","kind":"append","first":1,"last":1,"recordedAt":"yesterday","events":[{"id":"7d7a3f0c-4f39-4f11-9a6d-1b2c3d4e5f60","type":"t","data":"{}"}]}""")]
    public void Anything_that_is_not_an_append_item_holds_no_events(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Empty(CosmosEventDocuments.ToRecordedEvents(document.RootElement));
    }

    [Fact]
    public void Document_item_ids_escape_what_Cosmos_forbids_and_keep_collection_and_id_apart()
    {
        Assert.Equal("checkpoints|feed-progression", DocumentItem.IdFor("checkpoints", "feed-progression"));
        Assert.Equal("a~7Cb|c", DocumentItem.IdFor("a|b", "c"));
        Assert.Equal("a|b~7Cc", DocumentItem.IdFor("a", "b|c"));
        Assert.Equal("c|~2F~5C~3F~23~25~7E~0A", DocumentItem.IdFor("c", "/\\?#%~\n"));
        Assert.Equal("users|vega@example.com é", DocumentItem.IdFor("users", "vega@example.com é"));
    }

    [Fact]
    public void A_document_id_too_long_once_escaped_becomes_a_hash_that_no_escaped_id_can_equal()
    {
        var collection = new string('/', 200);
        var first = DocumentItem.IdFor(collection, new string('#', 200));
        var second = DocumentItem.IdFor(collection, new string('#', 199) + "?");

        Assert.StartsWith("~~", first, StringComparison.Ordinal);
        Assert.Equal(66, first.Length);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("~~", DocumentItem.IdFor(new string('~', 100), new string('~', 100)), StringComparison.Ordinal);
        Assert.DoesNotContain('%', DocumentItem.IdFor("100%", "a%2Fb"));
    }

    [Fact]
    public void Feed_checkpoints_round_trip_and_foreign_ones_are_refused()
    {
        var eventId = Guid.NewGuid();
        var after = CosmosFeedCheckpoint.Parse(CosmosFeedCheckpoint.After("""[{"token":"\"5\""}]"""), "after");
        var within = CosmosFeedCheckpoint.Parse(CosmosFeedCheckpoint.Within(null, 3, eventId), "after");

        Assert.Equal(new CosmosFeedCheckpoint("""[{"token":"\"5\""}]""", 0, Guid.Empty), after);
        Assert.Equal(new CosmosFeedCheckpoint(null, 3, eventId), within);
        Assert.Equal(default, CosmosFeedCheckpoint.Parse(FeedCheckpoint.Start, "after"));
        Assert.True(CosmosFeedCheckpoint.After(null).IsStart);
        foreach (var foreign in new[] { "5", "{\"c\":null}", "{\"c\":\"x\",\"s\":0,\"e\":\"" + eventId + "\"}", "{\"c\":\"x\",\"s\":2}", "{oops" })
        {
            var error = Assert.Throws<ArgumentException>(() => CosmosFeedCheckpoint.Parse(new FeedCheckpoint(foreign), "after"));
            Assert.Equal("after", error.ParamName);
        }
    }
}
