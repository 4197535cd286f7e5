using AstraTrade.Application.Ports;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>A store under test as the contract sees it; disposing <see cref="Lifetime"/> closes it.</summary>
public sealed record EventStoreConnection(IEventStore Store, IEventFeed Feed, IAsyncDisposable Lifetime);

/// <summary>
/// What every adapter of <see cref="IEventStore"/> and <see cref="IEventFeed"/> must do, as the ports' documentation
/// states it. An adapter's test class derives from this and says how to connect. Each test works in streams of its
/// own, never assumes the feed starts empty, and asserts order only within a stream (a Cosmos change feed orders
/// events per partition, not globally).
/// </summary>
public abstract class EventStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private IAsyncDisposable? _connection;
    private int _streams;

    protected IEventStore Store { get; private set; } = null!;

    protected IEventFeed Feed { get; private set; } = null!;

    public async Task InitializeAsync() => Use(await ConnectAsync());

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await DeleteStorageAsync();
    }

    [Fact]
    public async Task Appended_events_are_read_back_as_written_with_versions_from_one()
    {
        var stream = NewStream();
        var events = TestEvents.Many(3);

        var result = await Store.AppendAsync(stream, ExpectedVersion.NoStream, events);

        Assert.Equal(3, result.Version);
        var read = await Store.ReadStreamAsync(stream, 1, 100);
        Assert.Equal(3, read.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(stream, read[i].StreamId);
            Assert.Equal(i + 1, read[i].Version);
            Assert.Equal(events[i].EventId, read[i].EventId);
            Assert.Equal(events[i].Type, read[i].Type);
            Assert.Equal(events[i].Data.ToArray(), read[i].Data.ToArray());
        }
    }

    [Fact]
    public async Task Versions_continue_densely_across_appends()
    {
        var stream = NewStream();
        var first = TestEvents.Many(2);
        var second = TestEvents.Many(3);

        Assert.Equal(2, (await Store.AppendAsync(stream, ExpectedVersion.NoStream, first)).Version);
        Assert.Equal(5, (await Store.AppendAsync(stream, 2, second)).Version);

        var read = await Store.ReadStreamAsync(stream, 1, 100);
        AssertVersions(read, 1, 2, 3, 4, 5);
        Assert.Equal(first.Concat(second).Select(e => e.EventId), read.Select(e => e.EventId));
    }

    [Fact]
    public async Task NoStream_fails_when_the_stream_exists()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.New()]);

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            async () => await Store.AppendAsync(stream, ExpectedVersion.NoStream, [TestEvents.New()]));

        Assert.Equal(stream, conflict.StreamId);
        Assert.Equal(ExpectedVersion.NoStream, conflict.ExpectedVersion);
        Assert.Equal(1, conflict.ActualVersion);
        Assert.Single(await Store.ReadStreamAsync(stream, 1, 100));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task An_expected_version_other_than_the_streams_fails(long expected)
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(3));

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            async () => await Store.AppendAsync(stream, expected, [TestEvents.New()]));

        Assert.Equal(expected, conflict.ExpectedVersion);
        Assert.Equal(3, conflict.ActualVersion);
        Assert.Equal(3, (await Store.ReadStreamAsync(stream, 1, 100)).Count);
    }

    [Fact]
    public async Task A_positive_expected_version_fails_on_a_stream_that_does_not_exist()
    {
        var stream = NewStream();

        var conflict = await Assert.ThrowsAsync<WrongExpectedVersionException>(
            async () => await Store.AppendAsync(stream, 1, [TestEvents.New()]));

        Assert.Equal(0, conflict.ActualVersion);
        Assert.Empty(await Store.ReadStreamAsync(stream, 1, 100));
    }

    [Fact]
    public async Task Any_appends_whatever_the_version()
    {
        var stream = NewStream();

        Assert.Equal(1, (await Store.AppendAsync(stream, ExpectedVersion.Any, [TestEvents.New()])).Version);
        Assert.Equal(3, (await Store.AppendAsync(stream, ExpectedVersion.Any, TestEvents.Many(2))).Version);
    }

    [Fact]
    public async Task Of_appenders_racing_with_the_same_expected_version_exactly_one_wins()
    {
        var stream = NewStream();
        for (var expected = 0L; expected < 6; expected++)
        {
            var contenders = TestEvents.Many(32);

            // Half are issued back to back from this thread (so several share a write), half from the thread pool.
            var attempts = contenders.Select((e, i) => i % 2 == 0 ? TryAppend(stream, expected, e) : Task.Run(() => TryAppend(stream, expected, e)));
            var outcomes = await Task.WhenAll(attempts.ToArray());

            var winner = Assert.Single(outcomes, o => o.Won);
            Assert.All(outcomes.Where(o => !o.Won), o => Assert.Equal(expected + 1, o.ActualVersion));
            var stored = await Store.ReadStreamAsync(stream, expected + 1, 100);
            Assert.Equal(winner.EventId, Assert.Single(stored).EventId);
        }
    }

    [Fact]
    public async Task Writers_that_reload_and_retry_on_conflict_lose_nothing()
    {
        var stream = NewStream();
        var writers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var written = new List<Guid>();
            for (var i = 0; i < 20; i++)
            {
                var data = TestEvents.New();
                while (true)
                {
                    var last = await Store.ReadStreamBackwardAsync(stream, long.MaxValue, 1);
                    try
                    {
                        await Store.AppendAsync(stream, last.Count == 0 ? ExpectedVersion.NoStream : last[0].Version, [data]);
                        written.Add(data.EventId);
                        break;
                    }
                    catch (WrongExpectedVersionException)
                    {
                    }
                }
            }

            return written;
        }));

        var expected = (await Task.WhenAll(writers)).SelectMany(ids => ids).ToHashSet();

        var stored = await Store.ReadStreamAsync(stream, 1, 1000);
        Assert.Equal(Enumerable.Range(1, 160).Select(v => (long)v), stored.Select(e => e.Version));
        Assert.True(expected.SetEquals(stored.Select(e => e.EventId)));
    }

    [Fact]
    public async Task Retrying_an_append_that_was_stored_returns_its_original_version()
    {
        var stream = NewStream();
        var events = TestEvents.Many(2);
        var original = await Store.AppendAsync(stream, ExpectedVersion.NoStream, events);
        await Store.AppendAsync(stream, 2, [TestEvents.New()]);

        var retry = await Store.AppendAsync(stream, ExpectedVersion.NoStream, events);

        Assert.Equal(original.Version, retry.Version);
        Assert.Equal(3, (await Store.ReadStreamAsync(stream, 1, 100)).Count);
    }

    [Fact]
    public async Task A_retry_whose_event_ids_differ_from_the_stored_ones_is_a_conflict()
    {
        var stream = NewStream();
        var events = TestEvents.Many(2);
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, events);

        await Assert.ThrowsAsync<WrongExpectedVersionException>(
            async () => await Store.AppendAsync(stream, ExpectedVersion.NoStream, [events[0], TestEvents.New()]));
        await Assert.ThrowsAsync<WrongExpectedVersionException>(
            async () => await Store.AppendAsync(stream, ExpectedVersion.NoStream, [events[1]]));
        await Assert.ThrowsAsync<WrongExpectedVersionException>(
            async () => await Store.AppendAsync(stream, 1, [events[1], TestEvents.New()]));
        Assert.Equal(2, (await Store.ReadStreamAsync(stream, 1, 100)).Count);
    }

    [Fact]
    public async Task A_stream_that_does_not_exist_reads_as_empty()
    {
        var stream = NewStream();

        Assert.Empty(await Store.ReadStreamAsync(stream, 1, 10));
        Assert.Empty(await Store.ReadStreamBackwardAsync(stream, long.MaxValue, 10));
    }

    [Fact]
    public async Task Reading_forward_pages_through_a_stream_oldest_first()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(10));

        AssertVersions(await Store.ReadStreamAsync(stream, 0, 3), 1, 2, 3);
        AssertVersions(await Store.ReadStreamAsync(stream, 4, 3), 4, 5, 6);
        AssertVersions(await Store.ReadStreamAsync(stream, 10, 3), 10);
        Assert.Empty(await Store.ReadStreamAsync(stream, 11, 3));
        Assert.Equal(10, (await Store.ReadStreamAsync(stream, 1, int.MaxValue)).Count);
    }

    [Fact]
    public async Task Reading_backward_pages_through_a_stream_newest_first()
    {
        var stream = NewStream();
        await Store.AppendAsync(stream, ExpectedVersion.NoStream, TestEvents.Many(10));

        AssertVersions(await Store.ReadStreamBackwardAsync(stream, long.MaxValue, 3), 10, 9, 8);
        AssertVersions(await Store.ReadStreamBackwardAsync(stream, 7, 3), 7, 6, 5);
        AssertVersions(await Store.ReadStreamBackwardAsync(stream, 2, 3), 2, 1);
        AssertVersions(await Store.ReadStreamBackwardAsync(stream, 50, 2), 10, 9);
        Assert.Empty(await Store.ReadStreamBackwardAsync(stream, 0, 3));
    }

    [Fact]
    public async Task The_feed_delivers_every_event_once_in_stream_order()
    {
        var streams = Enumerable.Range(0, 4).Select(_ => NewStream()).ToArray();
        var appended = await Task.WhenAll(streams.Select(stream => Task.Run(async () =>
        {
            var ids = new List<Guid>();
            for (var i = 0; i < 10; i++)
            {
                var events = TestEvents.Many(1 + (i % 3));
                await Store.AppendAsync(stream, ids.Count, events);
                ids.AddRange(events.Select(e => e.EventId));
            }

            return ids;
        })));

        var delivered = await ReadFeedToEndAsync(FeedCheckpoint.Start, pageSize: 7);

        for (var s = 0; s < streams.Length; s++)
        {
            var ofStream = delivered.Where(e => e.StreamId == streams[s]).ToList();
            Assert.Equal(appended[s], ofStream.Select(e => e.EventId));
            Assert.Equal(Enumerable.Range(1, appended[s].Count).Select(v => (long)v), ofStream.Select(e => e.Version));
        }
    }

    [Fact]
    public async Task Resuming_from_a_checkpoint_misses_nothing_and_repeats_nothing()
    {
        var (first, second) = (NewStream(), NewStream());
        var checkpoint = await FeedEndAsync();
        var expected = new List<Guid>();
        var delivered = new List<RecordedEvent>();

        expected.AddRange(await AppendAsync(first, ExpectedVersion.NoStream, 2));
        expected.AddRange(await AppendAsync(second, ExpectedVersion.NoStream, 1));
        var page = await Feed.ReadFeedAsync(checkpoint, 1);
        delivered.AddRange(page.Events);
        checkpoint = page.Next;
        expected.AddRange(await AppendAsync(first, 2, 3));
        while (true)
        {
            page = await Feed.ReadFeedAsync(checkpoint, 2);
            if (page.Events.Count == 0)
            {
                break;
            }

            delivered.AddRange(page.Events);
            checkpoint = page.Next;
        }

        var ours = delivered.Where(e => e.StreamId == first || e.StreamId == second).Select(e => e.EventId).ToList();
        Assert.Equal(expected.Count, ours.Count);
        Assert.True(expected.ToHashSet().SetEquals(ours));
        Assert.Empty(await ReadFeedToEndAsync(checkpoint, pageSize: 10));
    }

    [Fact]
    public async Task The_feed_after_an_appends_checkpoint_does_not_hold_its_events_and_the_feed_up_to_it_does()
    {
        var stream = NewStream();
        var before = await FeedEndAsync();
        var ids = await AppendAsync(stream, ExpectedVersion.NoStream, 3);
        var result = await Store.AppendAsync(stream, 3, TestEvents.Many(1));

        var after = await ReadFeedToEndAsync(result.Checkpoint, pageSize: 10);
        var upTo = await ReadFeedToEndAsync(before, pageSize: 10);

        Assert.DoesNotContain(after, e => e.StreamId == stream);
        Assert.Equal(4, upTo.Count(e => e.StreamId == stream));
        Assert.True(ids.ToHashSet().IsSubsetOf(upTo.Select(e => e.EventId)));
    }

    [Fact]
    public async Task Waiting_for_events_returns_when_they_already_exist()
    {
        var checkpoint = await FeedEndAsync();
        await AppendAsync(NewStream(), ExpectedVersion.NoStream, 1);

        await Feed.WaitForEventsAsync(checkpoint).AsTask().WaitAsync(Patience);
    }

    [Fact]
    public async Task Waiting_for_events_wakes_up_when_one_is_appended()
    {
        var stream = NewStream();
        var checkpoint = await FeedEndAsync();

        var wait = Feed.WaitForEventsAsync(checkpoint).AsTask();
        var append = Task.Run(() => AppendAsync(stream, ExpectedVersion.NoStream, 1));

        await wait.WaitAsync(Patience);
        await append;
        Assert.Contains(await ReadFeedToEndAsync(checkpoint, pageSize: 10), e => e.StreamId == stream);
    }

    [Fact]
    public async Task Waiting_for_events_stops_when_cancelled()
    {
        var checkpoint = await FeedEndAsync();
        using var cancellation = new CancellationTokenSource();

        var wait = Feed.WaitForEventsAsync(checkpoint, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await Feed.WaitForEventsAsync(checkpoint, cancellation.Token));
    }

    [Fact]
    public async Task Acknowledged_events_survive_closing_and_reopening_the_store()
    {
        var (first, second) = (NewStream(), NewStream());
        var firstIds = await AppendAsync(first, ExpectedVersion.NoStream, 3);
        var secondIds = await AppendAsync(second, ExpectedVersion.NoStream, 1);
        var before = await Store.ReadStreamAsync(first, 1, 100);
        var checkpoint = await FeedEndAsync();

        await ReconnectAsync();

        var after = await Store.ReadStreamAsync(first, 1, 100);
        Assert.Equal(firstIds, after.Select(e => e.EventId));
        Assert.Equal(before.Select(e => (e.Version, e.Type, e.RecordedAt)), after.Select(e => (e.Version, e.Type, e.RecordedAt)));
        Assert.Equal(before.Select(e => e.Data.ToArray()), after.Select(e => e.Data.ToArray()));
        Assert.Equal(secondIds, (await Store.ReadStreamAsync(second, 1, 100)).Select(e => e.EventId));
        var feed = await ReadFeedToEndAsync(FeedCheckpoint.Start, pageSize: 50);
        Assert.Equal(4, feed.Count(e => e.StreamId == first || e.StreamId == second));

        Assert.Equal(4, (await Store.AppendAsync(first, 3, [TestEvents.New()])).Version);
        await Feed.WaitForEventsAsync(checkpoint).AsTask().WaitAsync(Patience);
        Assert.Contains(await ReadFeedToEndAsync(checkpoint, pageSize: 10), e => e.StreamId == first && e.Version == 4);
    }

    [Fact]
    public void Any_sequence_of_appends_behaves_like_a_list_per_stream_with_optimistic_concurrency()
    {
        var append = from stream in Gen.Choose(0, 1)
                     from expected in Gen.Choose(-1, 4)
                     from count in Gen.Choose(1, 3)
                     select (Stream: stream, Expected: (long)expected, Count: count);

        var property = Prop.ForAll(Arb.From(Gen.ListOf(append)), appends =>
        {
            string[] names = [NewStream(), NewStream()];
            List<Guid>[] model = [[], []];
            foreach (var (stream, expected, count) in appends)
            {
                var events = TestEvents.Many(count);
                var accepted = expected == ExpectedVersion.Any || expected == model[stream].Count;
                try
                {
                    var result = Store.AppendAsync(names[stream], expected, events).AsTask().GetAwaiter().GetResult();
                    model[stream].AddRange(events.Select(e => e.EventId));
                    if (!accepted || result.Version != model[stream].Count)
                    {
                        return false;
                    }
                }
                catch (WrongExpectedVersionException conflict)
                {
                    if (accepted || conflict.ActualVersion != model[stream].Count)
                    {
                        return false;
                    }
                }
            }

            return names.Select((name, s) => Store.ReadStreamAsync(name, 1, 1000).AsTask().GetAwaiter().GetResult()
                    .Select(e => e.EventId).SequenceEqual(model[s]))
                .All(same => same);
        });

        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);
    }

    /// <summary>Connects to the store under test, on this test's storage (the same storage every time within a test).</summary>
    protected abstract ValueTask<EventStoreConnection> ConnectAsync();

    /// <summary>Removes this test's storage, after its last connection is closed.</summary>
    protected virtual ValueTask DeleteStorageAsync() => ValueTask.CompletedTask;

    /// <summary>Closes the store and connects again: what was acknowledged must still be there.</summary>
    protected async Task ReconnectAsync()
    {
        var connection = _connection!;
        _connection = null;
        await connection.DisposeAsync();
        Use(await ConnectAsync());
    }

    protected string NewStream() => $"contract-{_run}-{Interlocked.Increment(ref _streams)}";

    /// <summary>Every event after <paramref name="after"/>, page by page until the feed has no more.</summary>
    protected async Task<List<RecordedEvent>> ReadFeedToEndAsync(FeedCheckpoint after, int pageSize)
    {
        var events = new List<RecordedEvent>();
        while (true)
        {
            var page = await Feed.ReadFeedAsync(after, pageSize);
            if (page.Events.Count == 0)
            {
                return events;
            }

            events.AddRange(page.Events);
            after = page.Next;
        }
    }

    /// <summary>A checkpoint after every event stored so far.</summary>
    protected async Task<FeedCheckpoint> FeedEndAsync()
    {
        var checkpoint = FeedCheckpoint.Start;
        while (true)
        {
            var page = await Feed.ReadFeedAsync(checkpoint, 1000);
            if (page.Events.Count == 0)
            {
                return checkpoint;
            }

            checkpoint = page.Next;
        }
    }

    private static void AssertVersions(IReadOnlyList<RecordedEvent> events, params long[] versions) =>
        Assert.Equal(versions, events.Select(e => e.Version));

    private async Task<List<Guid>> AppendAsync(string stream, long expectedVersion, int count)
    {
        var events = TestEvents.Many(count);
        await Store.AppendAsync(stream, expectedVersion, events);
        return events.Select(e => e.EventId).ToList();
    }

    private async Task<(bool Won, Guid EventId, long ActualVersion)> TryAppend(string stream, long expected, EventData data)
    {
        try
        {
            await Store.AppendAsync(stream, expected, [data]);
            return (true, data.EventId, expected + 1);
        }
        catch (WrongExpectedVersionException conflict)
        {
            return (false, data.EventId, conflict.ActualVersion);
        }
    }

    private void Use(EventStoreConnection connection)
    {
        _connection = connection.Lifetime;
        Store = connection.Store;
        Feed = connection.Feed;
    }
}
