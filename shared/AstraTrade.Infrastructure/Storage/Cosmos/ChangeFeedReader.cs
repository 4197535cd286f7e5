using System.Net;
using AstraTrade.Application.Ports;
using Microsoft.Azure.Cosmos;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// The event feed over the change feed of the events container (pull model, LatestVersion mode, from the beginning):
/// events come in the order of their items within each partition key range, so in commit order within a stream, and
/// each item's events in version order. Checkpoints are <see cref="CosmosFeedCheckpoint"/>s.
/// </summary>
internal sealed class ChangeFeedReader(Container container, CosmosRequests requests)
{
    // Items per change-feed page at most; each holds at least one event, so a page asked for n events reads ≤ n items.
    private const int MaxPageItems = 1000;

    public async ValueTask<FeedPage> ReadAsync(FeedCheckpoint after, int maxCount, CancellationToken cancellationToken)
    {
        var position = CosmosFeedCheckpoint.Parse(after, nameof(after));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var (token, skip, lastEventId) = position;
        while (true)
        {
            var pageItems = (int)Math.Clamp((long)skip + maxCount, 1, MaxPageItems);
            using var answer = await requests.SendAsync(
                "feed.read", ct => Iterator(token, pageItems).ReadNextAsync(ct), cancellationToken).ConfigureAwait(false);
            var response = answer.Response;
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return new FeedPage([], CosmosFeedCheckpoint.After(response.ContinuationToken ?? token));
            }

            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                throw new ArgumentException($"Cosmos DB refused the checkpoint's continuation: {response.ErrorMessage}", nameof(after));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw CosmosRequests.Unexpected("feed.read", response);
            }

            var events = EventItem.DecodeAll(response.Content).SelectMany(item => item.Events).ToList();
            var start = Locate(events, skip, lastEventId);
            if (start >= events.Count)
            {
                // Everything on this page was delivered before: go on from the page after it.
                (token, skip, lastEventId) = (response.ContinuationToken, 0, Guid.Empty);
                continue;
            }

            var count = Math.Min(maxCount, events.Count - start);
            var delivered = events.GetRange(start, count);
            var next = start + count == events.Count
                ? CosmosFeedCheckpoint.After(response.ContinuationToken)
                : CosmosFeedCheckpoint.Within(token, start + count, delivered[^1].EventId);
            return new FeedPage(delivered, next);
        }
    }

    private static int Locate(List<RecordedEvent> events, int skip, Guid lastEventId)
    {
        if (skip == 0)
        {
            return 0;
        }

        if (skip <= events.Count && events[skip - 1].EventId == lastEventId)
        {
            return skip;
        }

        // The page is not the one the checkpoint was taken on (a partition split regrouped it): continue after the last
        // event delivered if it is here, else deliver the page again (at least once, never lost).
        var at = events.FindIndex(e => e.EventId == lastEventId);
        return at + 1;
    }

    private FeedIterator Iterator(string? continuation, int pageItems) => container.GetChangeFeedStreamIterator(
        continuation is null ? ChangeFeedStartFrom.Beginning() : ChangeFeedStartFrom.ContinuationToken(continuation),
        ChangeFeedMode.LatestVersion,
        new ChangeFeedRequestOptions { PageSizeHint = pageItems });
}
