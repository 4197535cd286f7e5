using System.Diagnostics.Metrics;
using System.Net;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Cosmos;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>Throttling and lost answers, injected between the SDK and the server (<see cref="FaultingHandler"/>).</summary>
[Collection(CosmosCollection.Name)]
public sealed class CosmosResilienceTests(CosmosTarget target) : IAsyncLifetime
{
    private readonly string _database = target.NewDatabase();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => target.DeleteDatabaseAsync(_database);

    [Fact]
    public async Task Throttled_appends_are_retried_by_the_SDK_honouring_retry_after()
    {
        var (store, faults) = Open(FaultingHandler.WritesTo("events"), faults: 3, HttpStatusCode.TooManyRequests, sdkRetries: 9);
        await using var _ = store;
        using var retries = new RetryCounter(_database);
        var stream = NewStream();

        var result = await store.Events.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(2));

        Assert.Equal(2, result.Version);
        Assert.Equal(3, faults.Served);
        Assert.Equal(0, retries.Count);
        Assert.Equal(2, (await store.Events.ReadStreamAsync(stream, 1, 10)).Count);
    }

    [Fact]
    public async Task Throttling_the_SDK_gives_up_on_is_retried_by_the_store()
    {
        var (store, faults) = Open(FaultingHandler.WritesTo("documents"), faults: 3, HttpStatusCode.TooManyRequests, sdkRetries: 0);
        await using var _ = store;
        using var retries = new RetryCounter(_database);

        var etag = await store.Documents.PutAsync("c", "a", TestEvents.Json("1"), Precondition.IfAbsent);

        Assert.Equal(3, faults.Served);
        Assert.Equal(3, retries.Count);
        Assert.Equal(etag, (await store.Documents.GetAsync("c", "a"))!.ETag);
    }

    [Fact]
    public async Task Throttling_that_outlasts_every_retry_fails_as_transient_and_writes_nothing()
    {
        var (store, faults) = Open(FaultingHandler.WritesTo("events"), faults: int.MaxValue, HttpStatusCode.TooManyRequests, sdkRetries: 1, storeRetries: 2);
        await using var _ = store;
        var stream = NewStream();

        var error = await Assert.ThrowsAsync<CosmosStoreException>(
            async () => await store.Events.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.New()]));

        Assert.True(error.IsTransient);
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal("events.append", error.Operation);
        Assert.Equal((1 + 1) * (1 + 2), faults.Served); // (SDK attempt + its retry) for each of the store's three attempts
        Assert.Empty(await store.Events.ReadStreamAsync(stream, 1, 10));
    }

    [Fact]
    public async Task An_append_whose_answer_was_lost_is_stored_once_and_acknowledged()
    {
        var (store, faults) = Open(FaultingHandler.WritesTo("events"), faults: 1, HttpStatusCode.ServiceUnavailable, forwardFirst: true);
        await using var _ = store;
        var stream = NewStream();
        var events = TestEvents.Many(3);

        var result = await store.Events.AppendAsync(stream, ExpectedVersion.NoStream, events);

        Assert.Equal(1, faults.Served);
        Assert.Equal(3, result.Version);
        Assert.Equal(events.Select(e => e.EventId), (await store.Events.ReadStreamAsync(stream, 1, 10)).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_conditional_document_write_whose_answer_was_lost_reports_success()
    {
        var (store, faults) = Open(FaultingHandler.WritesTo("documents"), faults: 2, HttpStatusCode.ServiceUnavailable, forwardFirst: true);
        await using var _ = store;

        var created = await store.Documents.PutAsync("c", "a", TestEvents.Json("1"), Precondition.IfAbsent);
        var replaced = await store.Documents.PutAsync("c", "a", TestEvents.Json("2"), Precondition.IfMatch(created));

        Assert.Equal(2, faults.Served);
        var document = await store.Documents.GetAsync("c", "a");
        Assert.Equal(replaced, document!.ETag);
        Assert.Equal(TestEvents.Json("2"), document.Body.ToArray());
    }

    [Fact]
    public async Task A_lost_answer_does_not_turn_someone_elses_write_into_ours()
    {
        var (store, _) = Open(FaultingHandler.WritesTo("documents"), faults: 0, HttpStatusCode.ServiceUnavailable);
        await using var __ = store;
        await store.Documents.PutAsync("c", "a", TestEvents.Json("theirs"), Precondition.None);
        var (racing, faults) = Open(FaultingHandler.WritesTo("documents"), faults: 1, HttpStatusCode.ServiceUnavailable, forwardFirst: false);
        await using var ___ = racing;

        // The first attempt never reached the server, its retry finds the document: that is a real conflict.
        await Assert.ThrowsAsync<PreconditionFailedException>(
            async () => await racing.Documents.PutAsync("c", "a", TestEvents.Json("ours"), Precondition.IfAbsent));
        Assert.Equal(1, faults.Served);
        Assert.Equal(TestEvents.Json("theirs"), (await store.Documents.GetAsync("c", "a"))!.Body.ToArray());
    }

    private string NewStream() => "resilience-" + Guid.NewGuid().ToString("N");

    private (CosmosStore Store, FaultingHandler Faults) Open(
        Func<HttpRequestMessage, bool> matches, int faults, HttpStatusCode fault, int sdkRetries = 9, bool forwardFirst = false, int storeRetries = 3)
    {
        var handler = new FaultingHandler(matches, faults, fault, forwardFirst);
        var options = target.Options(_database);
        options.MaxRateLimitRetries = sdkRetries;
        options.TransientRetries = storeRetries;
        options.WrapHttpHandler = inner =>
        {
            handler.InnerHandler = inner;
            return handler;
        };
        return (CosmosStore.Create(options), handler);
    }

    /// <summary>Counts the store's own retries for one database.</summary>
    private sealed class RetryCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private int _count;

        public RetryCounter(string database)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == CosmosMetrics.MeterName && instrument.Name == CosmosMetrics.RetriesName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "database" && (string?)tag.Value == database)
                    {
                        Interlocked.Add(ref _count, (int)value);
                    }
                }
            });
            _listener.Start();
        }

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
