using System.Diagnostics;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>The embedded store keeps the trace context an append was made in (record kind 0x02), across a reopen, and
/// reads the files written before trace contexts existed (kind 0x01) as it always did.</summary>
public sealed class EmbeddedTraceContextTests : IDisposable
{
    private static readonly ActivitySource Source = new("AstraTrade.Tests.TraceContext");
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new();
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = s => s == Source,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public EmbeddedTraceContextTests() => ActivitySource.AddActivityListener(_listener);

    [Fact]
    public async Task An_append_made_in_a_recorded_trace_carries_its_traceparent_through_reads_the_feed_and_a_reopen()
    {
        string traceParent;
        await using (var store = Open())
        {
            using (var activity = Source.StartActivity("append")!)
            {
                traceParent = activity.Id!;
                await store.Events.AppendAsync("traced", ExpectedVersion.NoStream, TestEvents.Many(2));
            }

            await store.Events.AppendAsync("traced", 2, TestEvents.Many(1)); // outside any trace
            await AssertTraceParentsAsync(store, traceParent);
        }

        await using (var reopened = Open())
        {
            await AssertTraceParentsAsync(reopened, traceParent);
        }
    }

    [Fact]
    public async Task A_trace_nobody_records_is_not_stored()
    {
        await using var store = Open();
        using var unrecorded = new Activity("not sampled").SetIdFormat(ActivityIdFormat.W3C).Start();

        await store.Events.AppendAsync("plain", ExpectedVersion.NoStream, TestEvents.Many(1));

        Assert.Null((await store.Events.ReadStreamAsync("plain", 1, 10))[0].TraceParent);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _directory.Dispose();
    }

    private static async Task AssertTraceParentsAsync(EmbeddedStore store, string traceParent)
    {
        var stream = await store.Events.ReadStreamAsync("traced", 1, 10);
        Assert.Equal([traceParent, traceParent, null], stream.Select(e => e.TraceParent));
        var feed = await store.Events.ReadFeedAsync(FeedCheckpoint.Start, 10);
        Assert.Equal([traceParent, traceParent, null], feed.Events.Select(e => e.TraceParent));
        var backward = await store.Events.ReadStreamBackwardAsync("traced", long.MaxValue, 10);
        Assert.Equal([null, traceParent, traceParent], backward.Select(e => e.TraceParent));
    }

    private EmbeddedStore Open() => EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path }, _time);
}
