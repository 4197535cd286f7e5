using System.Globalization;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

public sealed class DocumentCompactionTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Reopening_a_large_mostly_superseded_log_compacts_it_and_keeps_every_live_document_and_etag()
    {
        var live = new Dictionary<string, (string ETag, byte[] Body)>();
        var deletedEtags = new List<string>();
        long sizeBefore;
        await using (var store = Open())
        {
            for (var round = 0; round < 20; round++)
            {
                var puts = Enumerable.Range(0, 30).Select(async d =>
                {
                    var body = TestEvents.Json($$"""{"round":{{round}},"pad":"{{new string('x', 2000)}}"}""");
                    return (Id: $"doc-{d}", Body: body, ETag: await store.Documents.PutAsync("c", $"doc-{d}", body, Precondition.None));
                });
                foreach (var (id, body, etag) in await Task.WhenAll(puts))
                {
                    live[id] = (etag, body);
                }
            }

            for (var d = 0; d < 30; d += 3)
            {
                deletedEtags.Add(live[$"doc-{d}"].ETag);
                Assert.True(await store.Documents.DeleteAsync("c", $"doc-{d}", Precondition.IfMatch(live[$"doc-{d}"].ETag)));
                live.Remove($"doc-{d}");
            }

            sizeBefore = store.GetStatus().DocumentLogBytes;
        }

        Assert.True(sizeBefore > 1 << 20);
        var highestEtag = live.Values.Select(v => v.ETag).Concat(deletedEtags).Max(ParseEtag);

        await using (var store = Open())
        {
            var status = store.GetStatus();
            Assert.True(status.DocumentLogBytes < sizeBefore / 10, $"{status.DocumentLogBytes} bytes after compaction, {sizeBefore} before.");
            Assert.Equal(live.Count, status.DocumentCount);
            foreach (var (id, (etag, body)) in live)
            {
                var document = await store.Documents.GetAsync("c", id);
                Assert.Equal(etag, document!.ETag);
                Assert.Equal(body, document.Body.ToArray());
            }

            for (var d = 0; d < 30; d += 3)
            {
                Assert.Null(await store.Documents.GetAsync("c", $"doc-{d}"));
            }

            var recreated = await store.Documents.PutAsync("c", "doc-0", TestEvents.Json("{}"), Precondition.IfAbsent);
            Assert.True(ParseEtag(recreated) > highestEtag);
            await Assert.ThrowsAsync<PreconditionFailedException>(
                async () => await store.Documents.PutAsync("c", "doc-0", TestEvents.Json("{}"), Precondition.IfMatch(deletedEtags[0])));
            Assert.NotEqual(live["doc-1"].ETag, await store.Documents.PutAsync("c", "doc-1", TestEvents.Json("{}"), Precondition.IfMatch(live["doc-1"].ETag)));
        }

        await using (var store = Open())
        {
            Assert.Equal(live.Count + 1, store.GetStatus().DocumentCount);
        }
    }

    [Fact]
    public async Task A_compacted_log_that_ended_with_deletes_never_reissues_their_etags()
    {
        string deleted;
        long sizeBefore;
        await using (var store = Open(thresholdBytes: 0))
        {
            await store.Documents.PutAsync("c", "kept", TestEvents.Json("1"), Precondition.None);
            deleted = await store.Documents.PutAsync("c", "gone", TestEvents.Json("2"), Precondition.None);
            await store.Documents.DeleteAsync("c", "gone", Precondition.None);
            for (var i = 0; i < 5; i++)
            {
                await store.Documents.PutAsync("c", "churn", TestEvents.Json($"{i}"), Precondition.None);
            }

            await store.Documents.DeleteAsync("c", "churn", Precondition.None);
            sizeBefore = store.GetStatus().DocumentLogBytes;
        }

        await using (var store = Open(thresholdBytes: 0))
        {
            Assert.True(store.GetStatus().DocumentLogBytes < sizeBefore);
            var next = await store.Documents.PutAsync("c", "gone", TestEvents.Json("3"), Precondition.None);

            Assert.True(ParseEtag(next) > ParseEtag(deleted) + 6);
        }
    }

    [Fact]
    public async Task A_log_that_is_mostly_live_is_left_as_it_is()
    {
        long sizeBefore;
        await using (var store = Open(thresholdBytes: 0))
        {
            for (var d = 0; d < 10; d++)
            {
                await store.Documents.PutAsync("c", $"doc-{d}", TestEvents.Json("1"), Precondition.None);
            }

            await store.Documents.PutAsync("c", "doc-0", TestEvents.Json("2"), Precondition.None);
            sizeBefore = store.GetStatus().DocumentLogBytes;
        }

        await using (var store = Open(thresholdBytes: 0))
        {
            Assert.Equal(sizeBefore, store.GetStatus().DocumentLogBytes);
        }
    }

    [Fact]
    public async Task A_compaction_interrupted_by_a_crash_leaves_the_original_log_and_its_leftover_is_removed()
    {
        string etag;
        await using (var store = Open())
        {
            etag = await store.Documents.PutAsync("c", "d", TestEvents.Json("1"), Precondition.None);
        }

        var leftover = _directory.File(EmbeddedDocumentStore.FileName + ".compacting");
        await File.WriteAllBytesAsync(leftover, [1, 2, 3]);

        await using (var store = Open())
        {
            Assert.Equal(etag, (await store.Documents.GetAsync("c", "d"))!.ETag);
        }

        Assert.False(File.Exists(leftover));
    }

    private static long ParseEtag(string etag) => long.Parse(etag, CultureInfo.InvariantCulture);

    private EmbeddedStore Open(long thresholdBytes = 1 << 20) => EmbeddedStore.Open(
        new EmbeddedStoreOptions { DataDirectory = _directory.Path, DocumentCompactionThresholdBytes = thresholdBytes });
}
