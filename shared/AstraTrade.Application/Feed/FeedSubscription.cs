using AstraTrade.Application.Ports;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Application.Feed;

/// <summary>
/// Runs one handler over the feed: read a batch after the checkpoint, handle it, save the checkpoint, wait for more.
/// With a <see cref="CheckpointStore"/> the subscription resumes where it stopped; without one it rebuilds from the
/// start on every run (for in-memory projections). A failing batch is retried with backoff, never skipped.
/// </summary>
public sealed class FeedSubscription(
    string name,
    IEventFeed feed,
    IFeedHandler handler,
    CheckpointStore? checkpoints,
    TimeProvider time,
    ILogger logger,
    int batchSize = 512)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly TaskCompletionSource _caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name { get; } = name;

    public FeedCheckpoint Checkpoint { get; private set; } = FeedCheckpoint.Start;

    public long EventsHandled { get; private set; }

    /// <summary>When the last handled event was recorded: how far behind the subscription is, for /health.</summary>
    public DateTimeOffset? LastEventRecordedAt { get; private set; }

    public string? LastError { get; private set; }

    /// <summary>Completes once the subscription has reached the end of the feed for the first time.</summary>
    public Task CaughtUp => _caughtUp.Task;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Checkpoint = checkpoints is null ? FeedCheckpoint.Start : await checkpoints.LoadAsync(Name, cancellationToken);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var page = await feed.ReadFeedAsync(Checkpoint, batchSize, cancellationToken);
                if (page.Events.Count > 0)
                {
                    await handler.HandleAsync(page.Events, cancellationToken);
                    if (checkpoints is not null)
                    {
                        await checkpoints.SaveAsync(Name, page.Next, cancellationToken);
                    }

                    EventsHandled += page.Events.Count;
                    LastEventRecordedAt = page.Events[^1].RecordedAt;
                }

                Checkpoint = page.Next;
                failures = 0;
                LastError = null;
                if (page.Events.Count < batchSize)
                {
                    _caughtUp.TrySetResult();
                    await feed.WaitForEventsAsync(Checkpoint, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                failures++;
                LastError = ex.Message;
                var backoff = TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 50 * Math.Pow(2, failures)));
                logger.LogError(ex, "Feed subscription {Subscription} failed at {Checkpoint} (attempt {Attempt}); retrying in {Backoff}",
                    Name, Checkpoint, failures, backoff);
                try
                {
                    await Task.Delay(backoff, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }
}
