using System.Net;
using AstraTrade.Application.Diagnostics;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using Microsoft.Azure.Cosmos;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// The event store and its feed on the Cosmos DB events container (docs/cosmos.md). Each append is one item, partitioned
/// by stream, whose id is the stream version the append follows (see <see cref="EventItem"/>): Cosmos DB refuses a second
/// item with that id, so of two appends based on one version exactly one is stored, with no transactional batch.
/// An expected version ahead of the stream is refused by first checking that an append ends exactly there; that fact
/// never changes once true, so checking and then creating leaves no race. The feed is the container's change feed.
/// Get it from <see cref="CosmosStore.Events"/>; the <see cref="CosmosStore"/> owns its lifetime.
/// </summary>
public sealed class CosmosEventStore : IEventStore, IEventFeed
{
    private readonly Container _container;
    private readonly CosmosRequests _requests;
    private readonly Func<CancellationToken, Task> _ready;
    private readonly TimeProvider _time;
    private readonly TimeSpan _pollInterval;
    private readonly int _maxAppendBytes;
    private readonly StreamItems _streams;
    private readonly ChangeFeedReader _feed;
    private readonly FeedEndProbe _feedEnd;

    internal CosmosEventStore(
        Container container, CosmosRequests requests, Func<CancellationToken, Task> ready, TimeProvider time, CosmosStoreOptions options)
    {
        _container = container;
        _requests = requests;
        _ready = ready;
        _time = time;
        _pollInterval = options.FeedPollInterval;
        _maxAppendBytes = options.MaxAppendBytes;
        _streams = new StreamItems(container, requests);
        _feed = new ChangeFeedReader(container, requests);
        _feedEnd = new FeedEndProbe(container, requests);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The returned checkpoint comes from a change-feed read "from now" made after the item was written: one more
    /// request per append (shared by appends that finish together), and exact under session or stronger consistency.
    /// A retry of an append that was stored (the same event ids, based on the same version) returns its original version.
    /// </remarks>
    /// <exception cref="CosmosStoreException">Cosmos DB stayed unavailable or throttled through every retry, or failed otherwise.</exception>
    public async ValueTask<AppendResult> AppendAsync(
        string streamId, long expectedVersion, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default)
    {
        EventItem.Validate(streamId, expectedVersion, events);
        var recordedAt = _time.GetUtcNow();
        var traceParent = TraceContext.Current(); // the caller's, before any await moves us off its context

        // Encoding once up front reports a bad or oversized append before anything is sent.
        var basis = expectedVersion == ExpectedVersion.Any ? 0 : expectedVersion;
        var item = Encode(streamId, basis, events, recordedAt, traceParent);
        await _ready(cancellationToken).ConfigureAwait(false);

        if (expectedVersion == ExpectedVersion.Any)
        {
            basis = await _streams.CurrentVersionAsync(streamId, 0, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                item = Encode(streamId, basis, events, recordedAt, traceParent);
                if (await TryCreateAsync(streamId, item, cancellationToken).ConfigureAwait(false))
                {
                    return await AppendedAsync(streamId, basis + events.Count, cancellationToken).ConfigureAwait(false);
                }

                // Another append took this version first; build on whatever the stream is at now.
                basis = await _streams.CurrentVersionAsync(streamId, basis, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!await _streams.HasEndAtAsync(streamId, expectedVersion, cancellationToken).ConfigureAwait(false))
        {
            // The stream never was at that version: it is behind it, or the version falls inside one append.
            var actual = await _streams.CurrentVersionAsync(streamId, 0, cancellationToken).ConfigureAwait(false);
            throw new WrongExpectedVersionException(streamId, expectedVersion, actual);
        }

        if (await TryCreateAsync(streamId, item, cancellationToken).ConfigureAwait(false))
        {
            return await AppendedAsync(streamId, expectedVersion + events.Count, cancellationToken).ConfigureAwait(false);
        }

        // An append based on the same version is stored: this one, retried after a lost acknowledgement, or another.
        var stored = await _streams.AppendAfterAsync(streamId, expectedVersion, cancellationToken).ConfigureAwait(false);
        if (stored is not null && stored.HoldsExactly(events))
        {
            return await AppendedAsync(streamId, stored.Last, cancellationToken).ConfigureAwait(false);
        }

        var current = await _streams.CurrentVersionAsync(streamId, stored?.Last ?? 0, cancellationToken).ConfigureAwait(false);
        throw new WrongExpectedVersionException(streamId, expectedVersion, current);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamAsync(
        string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        Limits.CheckNameForLookup(streamId, "stream id", nameof(streamId));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var from = Math.Max(fromVersion, 1);
        if (from > StreamItems.MaxVersion)
        {
            return [];
        }

        await _ready(cancellationToken).ConfigureAwait(false);
        var to = from + Math.Min(maxCount, StreamItems.MaxVersion) - 1;
        var items = await _streams.OverlappingAsync(streamId, from, to, cancellationToken).ConfigureAwait(false);
        return items.SelectMany(i => i.Events).Where(e => e.Version >= from && e.Version <= to).Take(maxCount).ToList();
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RecordedEvent>> ReadStreamBackwardAsync(
        string streamId, long fromVersion, int maxCount, CancellationToken cancellationToken = default)
    {
        Limits.CheckNameForLookup(streamId, "stream id", nameof(streamId));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (fromVersion < 1)
        {
            return [];
        }

        await _ready(cancellationToken).ConfigureAwait(false);
        var to = fromVersion;
        if (!_streams.IsKnownToExist(streamId, to))
        {
            // Where the stream ends matters only if the read starts beyond it.
            var current = await _streams.CurrentVersionAsync(streamId, 0, cancellationToken).ConfigureAwait(false);
            to = Math.Min(to, current);
            if (to < 1)
            {
                return [];
            }
        }

        var from = Math.Max(1, to - maxCount + 1);
        var items = await _streams.OverlappingAsync(streamId, from, to, cancellationToken).ConfigureAwait(false);
        return items.SelectMany(i => i.Events).Where(e => e.Version >= from && e.Version <= to).Reverse().ToList();
    }

    /// <inheritdoc />
    /// <remarks>Events come in commit order within each stream (and within each partition key range), not globally.</remarks>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a checkpoint of this store.</exception>
    public async ValueTask<FeedPage> ReadFeedAsync(FeedCheckpoint after, int maxCount, CancellationToken cancellationToken = default)
    {
        CosmosFeedCheckpoint.Parse(after, nameof(after));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await _ready(cancellationToken).ConfigureAwait(false);
        return await _feed.ReadAsync(after, maxCount, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Polls the change feed every <see cref="CosmosStoreOptions.FeedPollInterval"/>.</remarks>
    /// <exception cref="ArgumentException"><paramref name="after"/> is not a checkpoint of this store.</exception>
    public async ValueTask WaitForEventsAsync(FeedCheckpoint after, CancellationToken cancellationToken = default)
    {
        CosmosFeedCheckpoint.Parse(after, nameof(after));
        cancellationToken.ThrowIfCancellationRequested();
        await _ready(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var page = await _feed.ReadAsync(after, 1, cancellationToken).ConfigureAwait(false);
            if (page.Events.Count > 0)
            {
                return;
            }

            await Task.Delay(_pollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private byte[] Encode(string streamId, long basis, IReadOnlyList<EventData> events, DateTimeOffset recordedAt, string? traceParent)
    {
        var item = EventItem.Encode(streamId, basis, events, recordedAt, traceParent);
        if (item.Length > _maxAppendBytes)
        {
            throw new ArgumentException(
                $"The append takes {item.Length} bytes as a Cosmos DB item; the limit is {_maxAppendBytes} (CosmosDb:maxAppendBytes).",
                nameof(events));
        }

        return item;
    }

    /// <summary>Creates the item; false when an item with its id (the same base version) exists in the stream.</summary>
    private async Task<bool> TryCreateAsync(string streamId, byte[] item, CancellationToken cancellationToken)
    {
        using var answer = await _requests.SendAsync(
            "events.append",
            ct => _container.CreateItemStreamAsync(new MemoryStream(item, writable: false), new PartitionKey(streamId), cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        return answer.Status switch
        {
            HttpStatusCode.Created => true,
            HttpStatusCode.Conflict => false,
            HttpStatusCode.RequestEntityTooLarge => throw new ArgumentException(
                "Cosmos DB refused the append as too large for one item (2 MiB).", "events"),
            _ => throw CosmosRequests.Unexpected("events.append", answer.Response),
        };
    }

    private async Task<AppendResult> AppendedAsync(string streamId, long version, CancellationToken cancellationToken)
    {
        _streams.Remember(streamId, version);
        var checkpoint = await _feedEnd.EndAsync(cancellationToken).ConfigureAwait(false);
        return new AppendResult(version, checkpoint);
    }
}
