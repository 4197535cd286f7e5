using System.Globalization;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>What the embedded document store promises beyond the port contract: its ETags, limits and cancellation.</summary>
public sealed class EmbeddedDocumentStoreTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private EmbeddedStore _store = null!;

    private EmbeddedDocumentStore Documents => _store.Documents;

    public Task InitializeAsync()
    {
        _store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path, MaxDocumentBytes = 1000 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task ETags_are_one_store_wide_sequence_across_documents_and_deletes()
    {
        var a = await Documents.PutAsync("c", "a", TestEvents.Json("1"), Precondition.None);
        var b = await Documents.PutAsync("other", "b", TestEvents.Json("1"), Precondition.None);
        await Documents.DeleteAsync("c", "a", Precondition.None);
        var c = await Documents.PutAsync("c", "a", TestEvents.Json("2"), Precondition.None);

        Assert.Equal(["1", "2", "4"], new[] { a, b, c });
    }

    [Fact]
    public async Task Concurrent_writes_get_distinct_increasing_etags_in_the_order_they_commit()
    {
        var etags = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(async () => long.Parse(await Documents.PutAsync("c", $"d{i % 10}", TestEvents.Json($"{i}"), Precondition.None), CultureInfo.InvariantCulture))));

        Assert.Equal(Enumerable.Range(1, 100).Select(e => (long)e), etags.Order());
    }

    [Fact]
    public async Task A_delete_with_IfAbsent_fails_on_an_existing_document_and_does_nothing_on_a_missing_one()
    {
        await Documents.PutAsync("c", "a", TestEvents.Json("1"), Precondition.None);

        await Assert.ThrowsAsync<PreconditionFailedException>(async () => await Documents.DeleteAsync("c", "a", Precondition.IfAbsent));
        Assert.False(await Documents.DeleteAsync("c", "missing", Precondition.IfAbsent));
        Assert.NotNull(await Documents.GetAsync("c", "a"));
    }

    [Fact]
    public async Task Bad_writes_are_rejected_with_argument_exceptions_before_anything_is_written()
    {
        var body = TestEvents.Json("{}");
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Documents.PutAsync(null!, "a", body, Precondition.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.PutAsync("", "a", body, Precondition.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.PutAsync("c", "", body, Precondition.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.PutAsync("c", new string('i', 201), body, Precondition.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.PutAsync("c", "\uDC00", body, Precondition.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.PutAsync("c", "a", new byte[1001], Precondition.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.PutAsync("c", "a", body, Precondition.IfMatch("")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.DeleteAsync("c", "", Precondition.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await Documents.GetAsync("", "a"));

        Assert.Equal(0, _store.GetStatus().DocumentCount);
        Assert.Equal("1", await Documents.PutAsync(new string('c', 200), "a", new byte[1000], Precondition.None));
    }

    [Fact]
    public async Task A_write_cancelled_before_the_writer_takes_it_is_not_written()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await Documents.PutAsync("c", "a", TestEvents.Json("1"), Precondition.None, cancelled.Token));

        Assert.Null(await Documents.GetAsync("c", "a"));
        Assert.Equal("1", await Documents.PutAsync("c", "a", TestEvents.Json("1"), Precondition.None));
    }
}
