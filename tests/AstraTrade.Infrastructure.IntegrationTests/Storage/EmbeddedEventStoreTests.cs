using System.Globalization;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>What the embedded event store promises beyond the port contract: one global order, its checkpoints,
/// its clock, its limits and its lifetime.</summary>
public sealed class EmbeddedEventStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _time = new();
    private EmbeddedStore _store = null!;

    private EmbeddedEventStore Events => _store.Events;

    public Task InitializeAsync()
    {
        _store = Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_feed_numbers_events_one_by_one_in_commit_order_and_keeps_each_append_together()
    {
        var appends = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var events = TestEvents.Many(1 + (i % 3));
            var result = await Events.AppendAsync($"stream-{i % 5}", ExpectedVersion.Any, events);
            return (Ids: events.Select(e => e.EventId).ToArray(), Result: result);
        })));

        var positions = new Dictionary<Guid, long>();
        var checkpoint = FeedCheckpoint.Start;
        for (var expected = 1L; ; expected++)
        {
            var page = await Events.ReadFeedAsync(checkpoint, 1);
            if (page.Events.Count == 0)
            {
                break;
            }

            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), page.Next.Value);
            positions.Add(page.Events[0].EventId, expected);
            checkpoint = page.Next;
        }

        Assert.Equal(appends.Sum(a => a.Ids.Length), positions.Count);
        foreach (var (ids, result) in appends)
        {
            var first = positions[ids[0]];
            Assert.Equal(Enumerable.Range(0, ids.Length).Select(i => first + i), ids.Select(id => positions[id]));
            Assert.Equal((first + ids.Length - 1).ToString(CultureInfo.InvariantCulture), result.Checkpoint.Value);
        }
    }

    [Fact]
    public async Task A_retried_append_returns_exactly_the_original_checkpoint()
    {
        var events = TestEvents.Many(2);
        await Events.AppendAsync("other", ExpectedVersion.NoStream, [TestEvents.New()]);
        var original = await Events.AppendAsync("s", ExpectedVersion.NoStream, events);
        await Events.AppendAsync("s", 2, [TestEvents.New()]);

        Assert.Equal(original, await Events.AppendAsync("s", ExpectedVersion.NoStream, events));
        Assert.Equal("3", original.Checkpoint.Value);
    }

    [Fact]
    public async Task A_retry_queued_together_with_its_original_succeeds_once()
    {
        var events = TestEvents.Many(2);

        var first = Events.AppendAsync("s", ExpectedVersion.NoStream, events).AsTask();
        var retry = Events.AppendAsync("s", ExpectedVersion.NoStream, events).AsTask();

        Assert.Equal(await first, await retry);
        Assert.Equal(2, (await Events.ReadStreamAsync("s", 1, 10)).Count);
    }

    [Fact]
    public async Task RecordedAt_is_the_injected_clock_at_the_time_of_the_append()
    {
        var start = _time.GetUtcNow();
        await Events.AppendAsync("s", ExpectedVersion.NoStream, [TestEvents.New()]);
        _time.Advance(TimeSpan.FromMinutes(5));
        await Events.AppendAsync("s", 1, [TestEvents.New()]);

        var read = await Events.ReadStreamAsync("s", 1, 10);

        Assert.Equal([start, start.AddMinutes(5)], read.Select(e => e.RecordedAt));
        Assert.All(read, e => Assert.Equal(TimeSpan.Zero, e.RecordedAt.Offset));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("01")]
    [InlineData("0")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("99999999999999999999")]
    public async Task A_malformed_checkpoint_is_rejected(string value)
    {
        await Events.AppendAsync("s", ExpectedVersion.NoStream, TestEvents.Many(2));

        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.ReadFeedAsync(new FeedCheckpoint(value), 10));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.WaitForEventsAsync(new FeedCheckpoint(value)));
    }

    [Fact]
    public async Task A_checkpoint_beyond_the_last_event_is_rejected_as_belonging_to_another_store()
    {
        await Events.AppendAsync("s", ExpectedVersion.NoStream, TestEvents.Many(2));

        Assert.Empty((await Events.ReadFeedAsync(new FeedCheckpoint("2"), 10)).Events);
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.ReadFeedAsync(new FeedCheckpoint("3"), 10));
    }

    [Fact]
    public async Task A_feed_page_stops_early_rather_than_grow_past_a_few_megabytes()
    {
        var big = new byte[900_000];
        for (var i = 0; i < 8; i++)
        {
            await Events.AppendAsync("big", ExpectedVersion.Any, [new EventData(Guid.NewGuid(), "big", big)]);
        }

        var page = await Events.ReadFeedAsync(FeedCheckpoint.Start, 100);

        Assert.InRange(page.Events.Count, 1, 5);
        Assert.All(page.Events, e => Assert.Equal(big.Length, e.Data.Length));
        var rest = 0;
        for (var next = await Events.ReadFeedAsync(page.Next, 100); next.Events.Count > 0; next = await Events.ReadFeedAsync(next.Next, 100))
        {
            rest += next.Events.Count;
        }

        Assert.Equal(8 - page.Events.Count, rest);
    }

    [Fact]
    public async Task Readers_running_alongside_writers_see_whole_appends_only()
    {
        const int AppendSize = 3;
        using var writing = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 150; i++)
            {
                await Events.AppendAsync("s", i * AppendSize, TestEvents.Many(AppendSize));
            }

            await writing.CancelAsync();
        });

        var reads = 0;
        while (!writing.IsCancellationRequested)
        {
            var stream = await Events.ReadStreamAsync("s", 1, int.MaxValue);
            Assert.Equal(0, stream.Count % AppendSize);
            Assert.Equal(Enumerable.Range(1, stream.Count).Select(v => (long)v), stream.Select(e => e.Version));
            var feed = await Events.ReadFeedAsync(FeedCheckpoint.Start, int.MaxValue);
            Assert.Equal(0, feed.Events.Count % AppendSize);
            reads++;
        }

        await writer;
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task Status_reports_the_head_the_streams_and_the_sizes()
    {
        await Events.AppendAsync("a", ExpectedVersion.NoStream, TestEvents.Many(3));
        await Events.AppendAsync("b", ExpectedVersion.NoStream, TestEvents.Many(1));
        await _store.Documents.PutAsync("c", "d", TestEvents.Json("{}"), Precondition.None);

        var status = _store.GetStatus();

        Assert.Equal(Path.GetFullPath(_directory.Path), status.DataDirectory);
        Assert.Equal(4, status.HeadPosition);
        Assert.Equal(2, status.StreamCount);
        Assert.Equal(new FileInfo(_directory.File(EmbeddedEventStore.FileName)).Length, status.EventLogBytes);
        Assert.Equal(1, status.DocumentCount);
        Assert.Equal(new FileInfo(_directory.File(EmbeddedDocumentStore.FileName)).Length, status.DocumentLogBytes);
        Assert.Equal(0, status.DiscardedTailBytes);
    }

    [Fact]
    public async Task Bad_appends_are_rejected_with_argument_exceptions_before_anything_is_written()
    {
        var ok = TestEvents.New();
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Events.AppendAsync(null!, 0, [ok]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("", 0, [ok]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync(new string('s', 201), 0, [ok]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("s\uD800", 0, [ok]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Events.AppendAsync("s", -2, [ok]));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Events.AppendAsync("s", 0, null!));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("s", 0, []));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("s", 0, [ok, null!]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("s", 0, [ok with { Type = "" }]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("s", 0, [ok with { Type = new string('t', 201) }]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("s", 0, [ok with { EventId = Guid.Empty }]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Events.AppendAsync("s", 0, [ok with { Data = new byte[1 << 20] }]));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Events.ReadStreamAsync("s", 1, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Events.ReadFeedAsync(FeedCheckpoint.Start, 0));

        Assert.Equal(0, _store.GetStatus().HeadPosition);
        Assert.Equal(1, (await Events.AppendAsync(new string('s', 200), 0, [ok with { Data = new byte[(1 << 20) - 1000] }])).Version);
    }

    [Fact]
    public async Task An_append_cancelled_before_the_writer_takes_it_is_not_written()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await Events.AppendAsync("s", ExpectedVersion.NoStream, [TestEvents.New()], cancelled.Token));

        Assert.Empty(await Events.ReadStreamAsync("s", 1, 10));
    }

    [Fact]
    public async Task Disposing_writes_the_appends_already_queued()
    {
        var pending = Enumerable.Range(0, 200).Select(i => Events.AppendAsync($"s-{i % 7}", ExpectedVersion.Any, [TestEvents.New()]).AsTask()).ToArray();

        await _store.DisposeAsync();

        Assert.All(pending, task => Assert.True(task.IsCompletedSuccessfully));
        _store = Open();
        Assert.Equal(200, _store.GetStatus().HeadPosition);
    }

    [Fact]
    public async Task After_disposal_every_operation_throws_ObjectDisposedException_and_feed_waiters_are_released()
    {
        var waiter = Events.WaitForEventsAsync(FeedCheckpoint.Start).AsTask();
        var events = Events;
        var documents = _store.Documents;

        await _store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await events.AppendAsync("s", 0, [TestEvents.New()]));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await events.ReadStreamAsync("s", 1, 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await events.ReadStreamBackwardAsync("s", 1, 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await events.ReadFeedAsync(FeedCheckpoint.Start, 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await events.WaitForEventsAsync(FeedCheckpoint.Start));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await documents.GetAsync("c", "d"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await documents.PutAsync("c", "d", TestEvents.Json("{}"), Precondition.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await documents.DeleteAsync("c", "d", Precondition.None));
        Assert.Throws<ObjectDisposedException>(() => _store.GetStatus());
        await _store.DisposeAsync();

        _store = Open();
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused_until_the_first_is_disposed()
    {
        var refused = Assert.Throws<DataDirectoryInUseException>(Open);
        Assert.Equal(Path.GetFullPath(_directory.Path), refused.DataDirectory);

        await _store.DisposeAsync();
        _store = Open();
    }

    private EmbeddedStore Open() => EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path }, _time);
}
