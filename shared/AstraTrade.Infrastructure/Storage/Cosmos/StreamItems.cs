using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// The reads of one stream's items, all within its partition: the append that follows a version (a point read), the
/// appends overlapping a range of versions, and the stream's current version. None uses ORDER BY, TOP or aggregates
/// (which the SDK plans through the gateway, and cosmosdb-server cannot): results are sorted here.
/// </summary>
internal sealed class StreamItems(Container container, CosmosRequests requests)
{
    /// <summary>Versions beyond this are not stored as exact JSON numbers (doubles); no stream gets near it.</summary>
    public const long MaxVersion = 1L << 53;

    private const int MaxKnownHeads = 100_000;
    private const int ChainSteps = 3;

    // The highest version each stream is known to have reached at the end of an append. Such a version never stops
    // being one (items are never deleted), so the cache may be stale but is never wrong.
    private readonly ConcurrentDictionary<string, long> _knownHeads = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="version"/> is known to be the end of an append of the stream, without asking.</summary>
    public bool IsKnownEnd(string streamId, long version) =>
        version == 0 || (_knownHeads.TryGetValue(streamId, out var known) && known == version);

    /// <summary>Whether the stream is known to have reached <paramref name="version"/> (versions are dense), without asking.</summary>
    public bool IsKnownToExist(string streamId, long version) =>
        _knownHeads.TryGetValue(streamId, out var known) && version <= known;

    public void Remember(string streamId, long end)
    {
        if (_knownHeads.Count >= MaxKnownHeads)
        {
            _knownHeads.Clear();
        }

        _knownHeads.AddOrUpdate(streamId, end, (_, known) => Math.Max(known, end));
    }

    /// <summary>The append that followed <paramref name="version"/>, or null if none did (yet).</summary>
    public async Task<EventItem?> AppendAfterAsync(string streamId, long version, CancellationToken cancellationToken)
    {
        using var answer = await requests.SendAsync(
            "events.read-append",
            ct => container.ReadItemStreamAsync(EventItem.IdFor(version), new PartitionKey(streamId), cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        var response = answer.Response;
        if (CosmosRequests.IsItemNotFound(response))
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw CosmosRequests.Unexpected("events.read-append", response);
        }

        using var document = await JsonDocument.ParseAsync(response.Content, cancellationToken: cancellationToken).ConfigureAwait(false);
        var item = EventItem.TryDecode(document.RootElement)
            ?? throw new InvalidDataException($"The item '{version}' of stream '{streamId}' in the events container is not an append.");
        Remember(streamId, item.Last);
        return item;
    }

    /// <summary>The appends holding any version in [<paramref name="from"/>, <paramref name="to"/>], oldest first.</summary>
    public async Task<List<EventItem>> OverlappingAsync(string streamId, long from, long to, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.stream = @stream AND c.last >= @from AND c.first <= @to")
            .WithParameter("@stream", streamId)
            .WithParameter("@from", from)
            .WithParameter("@to", Math.Min(to, MaxVersion));
        var items = new List<EventItem>();
        await QueryAsync("events.read", streamId, query, maxItemCount: 100, content =>
        {
            items.AddRange(EventItem.DecodeAll(content));
            return false;
        }, cancellationToken).ConfigureAwait(false);
        items.Sort((a, b) => a.First.CompareTo(b.First));
        if (items.Count > 0)
        {
            Remember(streamId, items[^1].Last);
        }

        return items;
    }

    /// <summary>Whether an append of the stream ends exactly at <paramref name="version"/>: whether the stream was ever at it.</summary>
    public async Task<bool> HasEndAtAsync(string streamId, long version, CancellationToken cancellationToken)
    {
        if (IsKnownEnd(streamId, version))
        {
            return true;
        }

        var query = new QueryDefinition("SELECT VALUE c.last FROM c WHERE c.stream = @stream AND c.last = @version")
            .WithParameter("@stream", streamId)
            .WithParameter("@version", version);
        var found = false;
        await QueryAsync("events.check-version", streamId, query, maxItemCount: 1, content =>
        {
            found = CountValues(content) > 0;
            return found;
        }, cancellationToken).ConfigureAwait(false);
        return found;
    }

    /// <summary>
    /// The stream's current version (0 for a stream without events), found from <paramref name="knownEnd"/> (a version
    /// the stream is known to have reached at the end of an append, or 0): first by following appends with point reads
    /// (the append after version v has id v), which takes one read when nothing was appended since; then, for a stream
    /// far ahead of what is known, by doubling and then halving steps over "does an append end at or after v?".
    /// </summary>
    public async Task<long> CurrentVersionAsync(string streamId, long knownEnd, CancellationToken cancellationToken)
    {
        var head = Math.Max(knownEnd, _knownHeads.GetValueOrDefault(streamId));
        for (var step = 0; step < ChainSteps; step++)
        {
            var next = await AppendAfterAsync(streamId, head, cancellationToken).ConfigureAwait(false);
            if (next is null)
            {
                Remember(streamId, head);
                return head;
            }

            head = next.Last;
        }

        var stride = 1L;
        while (await EndAtOrAfterAsync(streamId, head + stride, cancellationToken).ConfigureAwait(false) is { } end)
        {
            head = end;
            stride *= 2;
        }

        // The current version is at least head and below head + stride.
        var below = head + stride;
        while (below - head > 1)
        {
            var middle = head + ((below - head) / 2);
            if (await EndAtOrAfterAsync(streamId, middle, cancellationToken).ConfigureAwait(false) is { } end)
            {
                head = end;
            }
            else
            {
                below = middle;
            }
        }

        Remember(streamId, head);
        return head;
    }

    private static int CountValues(Stream content)
    {
        using var document = JsonDocument.Parse(content);
        return document.RootElement.TryGetProperty("Documents", out var values) && values.ValueKind == JsonValueKind.Array
            ? values.GetArrayLength()
            : 0;
    }

    private static long? FirstValue(Stream content)
    {
        using var document = JsonDocument.Parse(content);
        return document.RootElement.TryGetProperty("Documents", out var values)
            && values.ValueKind == JsonValueKind.Array
            && values.GetArrayLength() > 0
            && values[0].TryGetInt64(out var value)
                ? value
                : null;
    }

    /// <summary>The end of some append ending at or after <paramref name="version"/>, or null when there is none.</summary>
    private async Task<long?> EndAtOrAfterAsync(string streamId, long version, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT VALUE c.last FROM c WHERE c.stream = @stream AND c.last >= @version")
            .WithParameter("@stream", streamId)
            .WithParameter("@version", version);
        long? end = null;
        await QueryAsync("events.find-version", streamId, query, maxItemCount: 1, content =>
        {
            end = FirstValue(content);
            return end is not null;
        }, cancellationToken).ConfigureAwait(false);
        return end;
    }

    /// <summary>Runs a query within the stream's partition, page by page (a page may be empty with more to come), until
    /// <paramref name="onPage"/> says it has what it needs or the pages run out.</summary>
    private async Task QueryAsync(
        string operation, string streamId, QueryDefinition query, int maxItemCount, Func<Stream, bool> onPage, CancellationToken cancellationToken)
    {
        var options = new QueryRequestOptions { PartitionKey = new PartitionKey(streamId), MaxItemCount = maxItemCount };
        string? continuation = null;
        do
        {
            var from = continuation;
            using var answer = await requests.SendAsync(
                operation, ct => container.GetItemQueryStreamIterator(query, from, options).ReadNextAsync(ct), cancellationToken)
                .ConfigureAwait(false);
            var response = answer.Response;
            if (!response.IsSuccessStatusCode)
            {
                throw CosmosRequests.Unexpected(operation, response);
            }

            if (onPage(response.Content))
            {
                return;
            }

            continuation = response.ContinuationToken;
        }
        while (continuation is not null);
    }
}
