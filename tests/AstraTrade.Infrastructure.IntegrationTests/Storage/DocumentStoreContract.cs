using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>A document store under test as the contract sees it; disposing <see cref="Lifetime"/> closes it.</summary>
public sealed record DocumentStoreConnection(IDocumentStore Store, IAsyncDisposable Lifetime);

/// <summary>
/// What every adapter of <see cref="IDocumentStore"/> must do, as the port's documentation states it. An adapter's test
/// class derives from this and says how to connect. Each test uses collections of its own, and treats ETags as
/// opaque strings.
/// </summary>
public abstract class DocumentStoreContract : IAsyncLifetime
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];
    private IAsyncDisposable? _connection;

    protected IDocumentStore Store { get; private set; } = null!;

    private string Collection => $"contract-{_run}";

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
    public async Task A_put_document_is_read_back_with_its_etag()
    {
        var etag = await Store.PutAsync(Collection, "a", TestEvents.Json("""{"n":1}"""), Precondition.None);

        var document = await Store.GetAsync(Collection, "a");

        Assert.NotNull(document);
        Assert.Equal(Collection, document.Collection);
        Assert.Equal("a", document.Id);
        Assert.Equal(TestEvents.Json("""{"n":1}"""), document.Body.ToArray());
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal(etag, document.ETag);
    }

    [Fact]
    public async Task A_document_that_was_never_put_reads_as_null()
    {
        Assert.Null(await Store.GetAsync(Collection, "missing"));
    }

    [Fact]
    public async Task Every_put_gives_the_document_a_new_etag_and_the_latest_body_wins()
    {
        var etags = new List<string>();
        for (var n = 0; n < 5; n++)
        {
            etags.Add(await Store.PutAsync(Collection, "a", TestEvents.Json($$"""{"n":{{n}}}"""), Precondition.None));
        }

        var document = await Store.GetAsync(Collection, "a");

        Assert.Equal(5, etags.Distinct().Count());
        Assert.Equal(etags[^1], document!.ETag);
        Assert.Equal(TestEvents.Json("""{"n":4}"""), document.Body.ToArray());
    }

    [Fact]
    public async Task Documents_are_addressed_by_collection_and_id_together()
    {
        var other = Collection + "-other";
        var etagA = await Store.PutAsync(Collection, "same", TestEvents.Json("1"), Precondition.None);
        var etagB = await Store.PutAsync(other, "same", TestEvents.Json("2"), Precondition.None);

        Assert.NotEqual(etagA, etagB);
        Assert.Equal(TestEvents.Json("1"), (await Store.GetAsync(Collection, "same"))!.Body.ToArray());
        Assert.Equal(TestEvents.Json("2"), (await Store.GetAsync(other, "same"))!.Body.ToArray());
        Assert.Null(await Store.GetAsync(Collection, "Same"));
    }

    [Fact]
    public async Task IfAbsent_creates_a_missing_document_and_refuses_an_existing_one()
    {
        var etag = await Store.PutAsync(Collection, "a", TestEvents.Json("1"), Precondition.IfAbsent);

        var refused = await Assert.ThrowsAsync<PreconditionFailedException>(
            async () => await Store.PutAsync(Collection, "a", TestEvents.Json("2"), Precondition.IfAbsent));

        Assert.Equal(Collection, refused.Collection);
        Assert.Equal("a", refused.Id);
        var document = await Store.GetAsync(Collection, "a");
        Assert.Equal(etag, document!.ETag);
        Assert.Equal(TestEvents.Json("1"), document.Body.ToArray());
    }

    [Fact]
    public async Task IfMatch_writes_over_the_current_etag_only()
    {
        var first = await Store.PutAsync(Collection, "a", TestEvents.Json("1"), Precondition.None);
        var second = await Store.PutAsync(Collection, "a", TestEvents.Json("2"), Precondition.IfMatch(first));

        await Assert.ThrowsAsync<PreconditionFailedException>(
            async () => await Store.PutAsync(Collection, "a", TestEvents.Json("stale"), Precondition.IfMatch(first)));

        var document = await Store.GetAsync(Collection, "a");
        Assert.Equal(second, document!.ETag);
        Assert.Equal(TestEvents.Json("2"), document.Body.ToArray());
    }

    [Fact]
    public async Task IfMatch_fails_on_a_document_that_does_not_exist()
    {
        var etag = await Store.PutAsync(Collection, "a", TestEvents.Json("1"), Precondition.None);

        await Assert.ThrowsAsync<PreconditionFailedException>(
            async () => await Store.PutAsync(Collection, "b", TestEvents.Json("1"), Precondition.IfMatch(etag)));
        Assert.Null(await Store.GetAsync(Collection, "b"));
    }

    [Fact]
    public async Task Delete_removes_the_document_and_says_whether_there_was_one()
    {
        await Store.PutAsync(Collection, "a", TestEvents.Json("1"), Precondition.None);

        Assert.True(await Store.DeleteAsync(Collection, "a", Precondition.None));
        Assert.Null(await Store.GetAsync(Collection, "a"));
        Assert.False(await Store.DeleteAsync(Collection, "a", Precondition.None));
        Assert.False(await Store.DeleteAsync(Collection, "never", Precondition.None));
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_fails_and_keeps_the_document()
    {
        var first = await Store.PutAsync(Collection, "a", TestEvents.Json("1"), Precondition.None);
        var second = await Store.PutAsync(Collection, "a", TestEvents.Json("2"), Precondition.None);

        await Assert.ThrowsAsync<PreconditionFailedException>(
            async () => await Store.DeleteAsync(Collection, "a", Precondition.IfMatch(first)));
        Assert.Equal(second, (await Store.GetAsync(Collection, "a"))!.ETag);

        Assert.True(await Store.DeleteAsync(Collection, "a", Precondition.IfMatch(second)));
        Assert.Null(await Store.GetAsync(Collection, "a"));
    }

    [Fact]
    public async Task A_recreated_document_does_not_match_etags_from_before_it_was_deleted()
    {
        var old = await Store.PutAsync(Collection, "a", TestEvents.Json("1"), Precondition.None);
        await Store.DeleteAsync(Collection, "a", Precondition.None);

        var recreated = await Store.PutAsync(Collection, "a", TestEvents.Json("2"), Precondition.IfAbsent);

        Assert.NotEqual(old, recreated);
        await Assert.ThrowsAsync<PreconditionFailedException>(
            async () => await Store.PutAsync(Collection, "a", TestEvents.Json("3"), Precondition.IfMatch(old)));
    }

    [Fact]
    public async Task Of_writers_racing_with_the_same_etag_exactly_one_wins()
    {
        var etag = await Store.PutAsync(Collection, "a", TestEvents.Json("0"), Precondition.None);
        for (var round = 0; round < 5; round++)
        {
            var current = etag;
            var attempts = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
            {
                try
                {
                    return await Store.PutAsync(Collection, "a", TestEvents.Json($"{i}"), Precondition.IfMatch(current));
                }
                catch (PreconditionFailedException)
                {
                    return null;
                }
            }));

            etag = Assert.Single(await Task.WhenAll(attempts), e => e is not null)!;
            Assert.Equal(etag, (await Store.GetAsync(Collection, "a"))!.ETag);
        }
    }

    [Fact]
    public async Task Of_creators_racing_with_IfAbsent_exactly_one_wins()
    {
        var attempts = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            try
            {
                return await Store.PutAsync(Collection, "a", TestEvents.Json($"{i}"), Precondition.IfAbsent);
            }
            catch (PreconditionFailedException)
            {
                return null;
            }
        }));

        var winner = Assert.Single(await Task.WhenAll(attempts), e => e is not null);
        Assert.Equal(winner, (await Store.GetAsync(Collection, "a"))!.ETag);
    }

    [Fact]
    public async Task Acknowledged_writes_survive_closing_and_reopening_the_store()
    {
        var etagA = await Store.PutAsync(Collection, "a", TestEvents.Json("a"), Precondition.None);
        await Store.PutAsync(Collection, "b", TestEvents.Json("b"), Precondition.None);
        await Store.DeleteAsync(Collection, "b", Precondition.None);
        var etagC = await Store.PutAsync(Collection, "c", TestEvents.Json("c1"), Precondition.None);
        etagC = await Store.PutAsync(Collection, "c", TestEvents.Json("c2"), Precondition.IfMatch(etagC));

        await ReconnectAsync();

        Assert.Equal(etagA, (await Store.GetAsync(Collection, "a"))!.ETag);
        Assert.Null(await Store.GetAsync(Collection, "b"));
        var c = await Store.GetAsync(Collection, "c");
        Assert.Equal(etagC, c!.ETag);
        Assert.Equal(TestEvents.Json("c2"), c.Body.ToArray());
        var next = await Store.PutAsync(Collection, "a", TestEvents.Json("a2"), Precondition.IfMatch(etagA));
        Assert.NotEqual(etagA, next);
    }

    /// <summary>Connects to the store under test, on this test's storage (the same storage every time within a test).</summary>
    protected abstract ValueTask<DocumentStoreConnection> ConnectAsync();

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

    private void Use(DocumentStoreConnection connection)
    {
        _connection = connection.Lifetime;
        Store = connection.Store;
    }
}
