using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Cosmos;
using Microsoft.Azure.Cosmos;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>What the Cosmos DB store does beyond the port contract: several clients on one stream, restarts of a feed
/// reader, streams a new client knows nothing about, the raw items a cosmosDBTrigger receives, metrics and status.</summary>
[Collection(CosmosCollection.Name)]
public sealed class CosmosEventStoreTests(CosmosTarget target) : IAsyncLifetime
{
    private readonly string _database = target.NewDatabase();
    private readonly List<CosmosStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await target.DeleteDatabaseAsync(_database);
    }

    [Fact]
    public async Task An_append_made_in_a_recorded_trace_keeps_its_traceparent_in_reads_and_the_feed()
    {
        using var source = new System.Diagnostics.ActivitySource("AstraTrade.Tests.CosmosTrace");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s == source,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var store = Open();
        await store.InitializeAsync();
        var stream = NewStream();
        string traceParent;
        using (var activity = source.StartActivity("append")!)
        {
            traceParent = activity.Id!;
            await store.Events.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(2));
        }

        await store.Events.AppendAsync(stream, 2, TestEvents.Many(1));

        var read = await store.Events.ReadStreamAsync(stream, 1, 10);
        Assert.Equal([traceParent, traceParent, null], read.Select(e => e.TraceParent));
        var feed = await store.Events.ReadFeedAsync(FeedCheckpoint.Start, 1_000);
        Assert.Equal([traceParent, traceParent, null], feed.Events.Where(e => e.StreamId == stream).Select(e => e.TraceParent));
    }

    [Fact]
    public async Task Appenders_on_separate_clients_leave_a_stream_dense_with_each_event_once()
    {
        var clients = Enumerable.Range(0, 4).Select(_ => Open()).ToArray();
        await clients[0].InitializeAsync();
        var stream = NewStream();
        var acknowledged = new ConcurrentBag<Guid>();

        // Half the writers reload and retry with an expected version, half append with Any; each client has two.
        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var store = clients[w % clients.Length].Events;
            for (var i = 0; i < 12; i++)
            {
                var events = TestEvents.Many(1 + (i % 2));
                if (w % 2 == 0)
                {
                    await store.AppendAsync(stream, ExpectedVersion.Any, events);
                }
                else
                {
                    while (true)
                    {
                        var last = await store.ReadStreamBackwardAsync(stream, long.MaxValue, 1);
                        try
                        {
                            await store.AppendAsync(stream, last.Count == 0 ? ExpectedVersion.NoStream : last[0].Version, events);
                            break;
                        }
                        catch (WrongExpectedVersionException)
                        {
                        }
                    }
                }

                foreach (var e in events)
                {
                    acknowledged.Add(e.EventId);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);

        var stored = await clients[3].Events.ReadStreamAsync(stream, 1, 1000);
        Assert.Equal(Enumerable.Range(1, acknowledged.Count).Select(v => (long)v), stored.Select(e => e.Version));
        Assert.True(acknowledged.ToHashSet().SetEquals(stored.Select(e => e.EventId)));
        var fed = (await ReadFeedToEndAsync(clients[2].Events, FeedCheckpoint.Start, 10)).Where(e => e.StreamId == stream).ToList();
        Assert.Equal(stored.Select(e => e.EventId), fed.Select(e => e.EventId));
    }

    [Fact]
    public async Task Of_clients_appending_on_one_version_exactly_one_wins_and_the_others_learn_the_new_version()
    {
        var clients = Enumerable.Range(0, 6).Select(_ => Open()).ToArray();
        await clients[0].InitializeAsync();
        var stream = NewStream();
        await clients[0].Events.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(2));

        var outcomes = await Task.WhenAll(clients.Select(c => Task.Run(async () =>
        {
            try
            {
                return (await c.Events.AppendAsync(stream, 2, TestEvents.Many(3))).Version;
            }
            catch (WrongExpectedVersionException conflict)
            {
                return -conflict.ActualVersion;
            }
        })));

        Assert.Equal(5, Assert.Single(outcomes, o => o > 0));
        Assert.All(outcomes.Where(o => o < 0), o => Assert.Equal(-5, o));
        Assert.Equal(5, (await clients[5].Events.ReadStreamAsync(stream, 1, 100)).Count);
    }

    [Fact]
    public async Task A_feed_reader_resumes_after_a_restart_from_a_checkpoint_inside_an_item()
    {
        var writer = Open();
        await writer.Events.AppendAsync(NewStream(), ExpectedVersion.NoStream, [TestEvents.New()]);
        var start = await FeedEndAsync(writer.Events);
        var streams = new[] { NewStream(), NewStream() };
        var appended = new List<Guid>();
        foreach (var (stream, round) in streams.SelectMany(s => Enumerable.Range(0, 3).Select(r => (s, r))))
        {
            var events = TestEvents.Many(3);
            await writer.Events.AppendAsync(stream, round * 3, events);
            appended.AddRange(events.Select(e => e.EventId));
        }

        // Read five events (an item and two thirds), then "restart": a new store, from the saved checkpoint string.
        var before = Open();
        var first = await before.Events.ReadFeedAsync(start, 2);
        var second = await before.Events.ReadFeedAsync(first.Next, 3);
        var saved = second.Next.Value;
        await before.DisposeAsync();
        var after = Open();
        var rest = await ReadFeedToEndAsync(after.Events, new FeedCheckpoint(saved), 4);

        Assert.Contains("\"s\":", saved, StringComparison.Ordinal);
        var delivered = first.Events.Concat(second.Events).Concat(rest).Where(e => streams.Contains(e.StreamId)).ToList();
        Assert.Equal(appended.Count, delivered.Count);
        Assert.True(appended.ToHashSet().SetEquals(delivered.Select(e => e.EventId)));
        foreach (var stream in streams)
        {
            Assert.Equal(Enumerable.Range(1, 9).Select(v => (long)v), delivered.Where(e => e.StreamId == stream).Select(e => e.Version));
        }
    }

    [Fact]
    public async Task Each_appends_checkpoint_lies_after_it_for_a_reader_on_another_client()
    {
        var writer = Open();
        var reader = Open();
        var streams = Enumerable.Range(0, 8).Select(_ => NewStream()).ToArray();
        var before = await FeedEndAsync(reader.Events);

        // Appends that finish together share the end-of-feed probes; each checkpoint must still lie after its own append.
        var results = await Task.WhenAll(streams.Select(stream =>
            writer.Events.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(2)).AsTask()));

        for (var i = 0; i < streams.Length; i++)
        {
            var after = await ReadFeedToEndAsync(reader.Events, results[i].Checkpoint, 50);
            Assert.DoesNotContain(after, e => e.StreamId == streams[i]);
        }

        var upToThem = await ReadFeedToEndAsync(reader.Events, before, 50);
        Assert.All(streams, stream => Assert.Equal(2, upToThem.Count(e => e.StreamId == stream)));
    }

    [Fact]
    public async Task A_checkpoint_whose_page_changed_shape_delivers_again_rather_than_lose_events()
    {
        var store = Open();
        await store.Events.AppendAsync(NewStream(), ExpectedVersion.NoStream, [TestEvents.New()]);
        var token = CosmosFeedCheckpoint.Parse(await FeedEndAsync(store.Events), "end").Continuation;
        Assert.NotNull(token);
        var events = TestEvents.Many(4);
        await store.Events.AppendAsync(NewStream(), ExpectedVersion.NoStream, events);

        // As after a partition split: the page read from the checkpoint's continuation is not the one it was taken on.
        var misplaced = await store.Events.ReadFeedAsync(CosmosFeedCheckpoint.Within(token, 3, events[0].EventId), 10);
        var unknown = await store.Events.ReadFeedAsync(CosmosFeedCheckpoint.Within(token, 2, Guid.NewGuid()), 10);

        Assert.Equal(events.Skip(1).Select(e => e.EventId), misplaced.Events.Select(e => e.EventId));
        Assert.Equal(events.Select(e => e.EventId), unknown.Events.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_client_that_knows_nothing_of_a_long_stream_finds_its_end()
    {
        var writer = Open();
        var stream = NewStream();
        for (var version = 0; version < 40; version++)
        {
            await writer.Events.AppendAsync(stream, version, [TestEvents.New()]);
        }

        var newcomer = Open();
        var last = await newcomer.Events.ReadStreamBackwardAsync(stream, long.MaxValue, 3);
        var fresh = Open();
        var any = await fresh.Events.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Many(2));
        var late = Open();
        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            async () => await late.Events.AppendAsync(stream, 40, [TestEvents.New()]));

        Assert.Equal([40L, 39L, 38L], last.Select(e => e.Version));
        Assert.Equal(42, any.Version);
        Assert.Equal(42, conflict.ActualVersion);
    }

    [Fact]
    public async Task An_append_that_is_too_large_or_not_UTF8_is_refused_and_writes_nothing()
    {
        var options = target.Options(_database);
        options.MaxAppendBytes = 4096;
        var store = Track(CosmosStore.Create(options));
        var stream = NewStream();

        var large = new EventData(Guid.NewGuid(), "big", TestEvents.Json("\"" + new string('x', 5000) + "\""));
        var tooLarge = await Assert.ThrowsAsync<ArgumentException>(async () => await store.Events.AppendAsync(stream, 0, [large]));
        await Assert.ThrowsAsync<ArgumentException>(
            async () => await store.Events.AppendAsync(stream, 0, [new EventData(Guid.NewGuid(), "t", new byte[] { 0xC3 })]));

        Assert.Contains("maxAppendBytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.Empty(await store.Events.ReadStreamAsync(stream, 1, 10));
    }

    [Fact]
    public async Task Without_its_containers_and_without_creating_them_the_store_fails_clearly_and_keeps_failing()
    {
        // A database nobody creates (on an account too, where the other tests share one).
        var options = target.Options("astratrade-missing-" + Guid.NewGuid().ToString("N"));
        options.CreateResources = false;
        options.TransientRetries = 0;
        var store = Track(CosmosStore.Create(options));

        var error = await Assert.ThrowsAsync<CosmosStoreException>(
            async () => await store.Events.AppendAsync(NewStream(), ExpectedVersion.NoStream, [TestEvents.New()]));
        var status = await store.GetStatusAsync();

        Assert.Equal("events.append", error.Operation);
        Assert.False(error.IsTransient);
        Assert.True(status.Reachable);
        Assert.All(status.Containers, c => Assert.False(c.Exists));
        Assert.False(status.Healthy);
    }

    [Fact]
    public async Task The_raw_items_of_the_change_feed_read_back_as_the_stored_events()
    {
        var store = Open();
        var stream = NewStream();
        await store.Events.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(2));
        await store.Events.AppendAsync(stream, 2, TestEvents.Many(1));
        await store.Documents.PutAsync("c", "not-an-event", TestEvents.Json("{}"), Precondition.None);

        // What a cosmosDBTrigger hands the app: the container's items, as JSON.
        using var client = CosmosClientFactory.Create(target.Options(_database));
        var fromTrigger = new List<RecordedEvent>();
        foreach (var container in new[] { "events", "documents" })
        {
            var iterator = client.GetContainer(_database, container).GetChangeFeedStreamIterator(ChangeFeedStartFrom.Beginning(), ChangeFeedMode.LatestVersion);
            while (true)
            {
                using var response = await iterator.ReadNextAsync();
                if (response.StatusCode == System.Net.HttpStatusCode.NotModified)
                {
                    break;
                }

                using var page = await JsonDocument.ParseAsync(response.Content);
                foreach (var item in page.RootElement.GetProperty("Documents").EnumerateArray())
                {
                    fromTrigger.AddRange(CosmosEventDocuments.ToRecordedEvents(item));
                }
            }
        }

        var stored = await store.Events.ReadStreamAsync(stream, 1, 10);
        Assert.Equal(
            stored.Select(e => (e.StreamId, e.Version, e.EventId, e.Type, Convert.ToBase64String(e.Data.Span), e.RecordedAt)),
            fromTrigger.Where(e => e.StreamId == stream).Select(e => (e.StreamId, e.Version, e.EventId, e.Type, Convert.ToBase64String(e.Data.Span), e.RecordedAt)));
    }

    [Fact]
    public async Task Documents_with_ids_Cosmos_forbids_or_too_long_to_escape_round_trip()
    {
        var store = Open();
        string[] ids = ["a/b", "a#b?c", "back\\slash", "pipe|and%percent", "a%2Fb", "100%", "tilde~7C", "été ☃", new string('/', 200)];

        foreach (var id in ids)
        {
            await store.Documents.PutAsync("odd|collection", id, TestEvents.Json($"\"{id.Length}\""), Precondition.IfAbsent);
        }

        foreach (var id in ids)
        {
            var document = await store.Documents.GetAsync("odd|collection", id);
            Assert.True(document is not null, $"document {id} not found");
            Assert.Equal(TestEvents.Json($"\"{id.Length}\""), document!.Body.ToArray());
            Assert.True(await store.Documents.DeleteAsync("odd|collection", id, Precondition.IfMatch(document.ETag)));
        }

        Assert.Null(await store.Documents.GetAsync("odd", "collection|a/b"));
    }

    [Fact]
    public async Task Each_request_records_its_charge_under_the_operation_that_sent_it()
    {
        var charges = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CosmosMetrics.MeterName && instrument.Name == CosmosMetrics.RequestChargeName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var map = tags.ToArray().ToDictionary(t => t.Key, t => t.Value);
            if ((string?)map["database"] == _database)
            {
                charges.AddOrUpdate((string)map["operation"]!, value, (_, sum) => sum + value);
            }
        });
        listener.Start();
        var store = Open();
        var stream = NewStream();

        await store.Events.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.New()]);
        await store.Events.ReadStreamAsync(stream, 1, 10);
        await store.Events.ReadFeedAsync(FeedCheckpoint.Start, 10);
        await store.Documents.PutAsync("c", "a", TestEvents.Json("1"), Precondition.None);
        await store.Documents.GetAsync("c", "a");
        await store.Documents.DeleteAsync("c", "a", Precondition.None);

        foreach (var operation in new[] { "events.append", "events.read", "feed.read", "feed.checkpoint", "documents.put", "documents.get", "documents.delete" })
        {
            Assert.True(charges.TryGetValue(operation, out var charge) && charge > 0, $"no request charge recorded for {operation}");
        }
    }

    [Fact]
    public async Task Status_reports_the_containers_and_an_unreachable_account_without_throwing()
    {
        var store = Open();
        await store.InitializeAsync();

        var status = await store.GetStatusAsync();
        var options = target.Options(_database);
        options.ConnectionString = $"AccountEndpoint=https://127.0.0.1:1/;AccountKey={CosmosDbServer.Key};";
        options.MaxRateLimitRetries = 0;
        options.TransientRetries = 0;
        var unreachable = await Track(CosmosStore.Create(options)).GetStatusAsync();

        Assert.True(status.Healthy, status.Error);
        Assert.Equal(_database, status.Database);
        Assert.Equal(["events", "documents"], status.Containers.Select(c => c.Name));
        Assert.DoesNotContain(CosmosDbServer.Key, status.ToString(), StringComparison.Ordinal);
        Assert.False(unreachable.Reachable);
        Assert.False(unreachable.Healthy);
        Assert.NotNull(unreachable.Error);
    }

    [Fact]
    public async Task The_containers_are_created_as_the_definitions_file_says()
    {
        await Open().InitializeAsync();
        using var client = CosmosClientFactory.Create(target.Options(_database));

        foreach (var definition in CosmosContainerDefinitions.Default.Containers)
        {
            var properties = (await client.GetContainer(_database, definition.Name).ReadContainerAsync()).Resource;
            Assert.Equal(definition.PartitionKeyPath, properties.PartitionKeyPath);
            using var expected = JsonDocument.Parse(definition.IndexingPolicyJson);
            Assert.Equal(
                expected.RootElement.GetProperty("excludedPaths").EnumerateArray().Select(p => p.GetProperty("path").GetString()),
                properties.IndexingPolicy.ExcludedPaths.Select(p => p.Path));
        }
    }

    [CosmosDbServerCannotCheck("it charges every request 1 RU, so recorded charges cannot be told from a constant")]
    public async Task Request_charges_are_the_services_own()
    {
        var charges = new ConcurrentBag<double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CosmosMetrics.MeterName && instrument.Name == CosmosMetrics.RequestChargeName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            if (tags.ToArray().Any(t => t.Key == "operation" && (string?)t.Value == "events.append"))
            {
                charges.Add(value);
            }
        });
        listener.Start();

        await Open().Events.AppendAsync(NewStream(), ExpectedVersion.NoStream, TestEvents.Many(3));

        // Creating an item of a few hundred bytes costs several RU on Cosmos DB, and fractional amounts are common.
        Assert.Contains(charges, c => c > 1);
    }

    private static async Task<List<RecordedEvent>> ReadFeedToEndAsync(IEventFeed feed, FeedCheckpoint after, int pageSize)
    {
        var events = new List<RecordedEvent>();
        while (true)
        {
            var page = await feed.ReadFeedAsync(after, pageSize);
            if (page.Events.Count == 0)
            {
                return events;
            }

            Assert.True(page.Events.Count <= pageSize);
            events.AddRange(page.Events);
            after = page.Next;
        }
    }

    private static async Task<FeedCheckpoint> FeedEndAsync(IEventFeed feed)
    {
        var checkpoint = FeedCheckpoint.Start;
        while (true)
        {
            var page = await feed.ReadFeedAsync(checkpoint, 1000);
            if (page.Events.Count == 0)
            {
                return checkpoint;
            }

            checkpoint = page.Next;
        }
    }

    private static string NewStream() => "adapter-" + Guid.NewGuid().ToString("N");

    private CosmosStore Open() => Track(CosmosStore.Create(target.Options(_database)));

    private CosmosStore Track(CosmosStore store)
    {
        _stores.Add(store);
        return store;
    }
}
