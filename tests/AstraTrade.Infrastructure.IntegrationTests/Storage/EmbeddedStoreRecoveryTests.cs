using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>What the store makes of its files after a crash: torn writes are cut off, damage is refused.</summary>
public sealed class EmbeddedStoreRecoveryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task An_append_torn_at_any_byte_is_gone_whole_after_reopening_and_appending_continues()
    {
        var (intact, lastAppendStart) = await WriteSampleAsync(_directory.Path);
        var bytes = await File.ReadAllBytesAsync(_directory.File(EmbeddedEventStore.FileName));
        Assert.True(bytes.Length > lastAppendStart);

        for (var cut = lastAppendStart; cut < bytes.Length; cut++)
        {
            using var copy = new TempDirectory();
            await File.WriteAllBytesAsync(copy.File(EmbeddedEventStore.FileName), bytes[..(int)cut]);
            File.Copy(_directory.File(EmbeddedDocumentStore.FileName), copy.File(EmbeddedDocumentStore.FileName));

            await using (var store = Open(copy.Path))
            {
                await AssertHoldsAsync(store, intact);
                Assert.Empty(await store.Events.ReadStreamAsync("torn", 1, 10));
                Assert.Equal(cut - lastAppendStart, store.GetStatus().DiscardedTailBytes);
                await store.Events.AppendAsync("torn", ExpectedVersion.NoStream, TestEvents.Many(2));
            }

            await using (var reopened = Open(copy.Path))
            {
                await AssertHoldsAsync(reopened, intact);
                Assert.Equal(2, (await reopened.Events.ReadStreamAsync("torn", 1, 10)).Count);
                Assert.Equal(intact.Count + 2, reopened.GetStatus().HeadPosition);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(70_000)]
    public async Task Garbage_after_the_last_append_is_cut_off(int garbageLength)
    {
        var (intact, _) = await WriteSampleAsync(_directory.Path);
        var garbage = new byte[garbageLength];
        new Random(garbageLength).NextBytes(garbage);
        await using (var file = new FileStream(_directory.File(EmbeddedEventStore.FileName), FileMode.Append))
        {
            await file.WriteAsync(garbage);
        }

        await using var store = Open(_directory.Path);

        Assert.Equal(garbageLength, store.GetStatus().DiscardedTailBytes);
        Assert.Equal(3, (await store.Events.ReadStreamAsync("torn", 1, 10)).Count);
        Assert.Equal(4, (await store.Events.AppendAsync("torn", 3, [TestEvents.New()])).Version);
        await AssertHoldsAsync(store, intact);
    }

    [Fact]
    public async Task Damage_in_the_middle_of_the_event_log_is_refused_without_changing_it_or_keeping_the_directory_locked()
    {
        await WriteSampleAsync(_directory.Path);
        var path = _directory.File(EmbeddedEventStore.FileName);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        Assert.Throws<LogCorruptedException>(() => Open(_directory.Path));
        Assert.Throws<LogCorruptedException>(() => Open(_directory.Path));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_document_write_torn_at_any_byte_is_gone_after_reopening()
    {
        long before;
        string etag;
        await using (var store = Open(_directory.Path))
        {
            etag = await store.Documents.PutAsync("c", "kept", TestEvents.Json("1"), Precondition.None);
            before = store.GetStatus().DocumentLogBytes;
            await store.Documents.PutAsync("c", "torn", TestEvents.Json("2"), Precondition.None);
        }

        var bytes = await File.ReadAllBytesAsync(_directory.File(EmbeddedDocumentStore.FileName));
        for (var cut = before; cut < bytes.Length; cut++)
        {
            using var copy = new TempDirectory();
            await File.WriteAllBytesAsync(copy.File(EmbeddedDocumentStore.FileName), bytes[..(int)cut]);
            File.Copy(_directory.File(EmbeddedEventStore.FileName), copy.File(EmbeddedEventStore.FileName));

            await using var store = Open(copy.Path);

            Assert.Equal(etag, (await store.Documents.GetAsync("c", "kept"))!.ETag);
            Assert.Null(await store.Documents.GetAsync("c", "torn"));
            var next = await store.Documents.PutAsync("c", "torn", TestEvents.Json("3"), Precondition.IfAbsent);
            Assert.NotEqual(etag, next);
        }
    }

    private static EmbeddedStore Open(string directory) => EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory });

    /// <summary>Writes a few appends, the last of three events to stream "torn"; returns the events before it and
    /// where its record starts.</summary>
    private static async Task<(List<RecordedEvent> Intact, long LastAppendStart)> WriteSampleAsync(string directory)
    {
        await using var store = Open(directory);
        await store.Events.AppendAsync("a", ExpectedVersion.NoStream, TestEvents.Many(2));
        await store.Events.AppendAsync("b", ExpectedVersion.NoStream, TestEvents.Many(1));
        await store.Events.AppendAsync("a", 2, TestEvents.Many(1));
        var intact = (await store.Events.ReadFeedAsync(FeedCheckpoint.Start, 100)).Events.ToList();
        var lastAppendStart = store.GetStatus().EventLogBytes;
        await store.Events.AppendAsync("torn", ExpectedVersion.NoStream, TestEvents.Many(3));
        return (intact, lastAppendStart);
    }

    private static async Task AssertHoldsAsync(EmbeddedStore store, List<RecordedEvent> expected)
    {
        var feed = (await store.Events.ReadFeedAsync(FeedCheckpoint.Start, 100)).Events;
        Assert.Equal(
            expected.Select(e => (e.StreamId, e.Version, e.EventId)),
            feed.Take(expected.Count).Select(e => (e.StreamId, e.Version, e.EventId)));
        Assert.Equal(3, (await store.Events.ReadStreamAsync("a", 1, 10)).Count);
    }
}
