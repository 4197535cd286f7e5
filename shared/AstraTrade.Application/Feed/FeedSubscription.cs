using System.Diagnostics;
using AstraTrade.Application.Diagnostics;
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

    /// <summary>
    /// A span for handling one batch. Its parent is the trace the batch's events were appended in when they share one
    /// (a quiet system, or one busy request), so what the handler appends joins that trace; a batch from many traces
    /// links to each of them instead (up to 32), since a span has one parent.
    /// </summary>
    private Activity? StartBatchActivity(IReadOnlyList<RecordedEvent> batch)
    {
        if (!AstraTradeDiagnostics.Source.HasListeners())
        {
            return null;
        }

        var traces = batch.Select(e => TraceContext.Parse(e.TraceParent)).Where(c => c != default).DistinctBy(c => c.SpanId).Take(32).ToList();
        var single = traces.Count > 0 && traces.All(t => t.TraceId == traces[0].TraceId);
        var activity = AstraTradeDiagnostics.Source.StartActivity(
            "feed " + Name,
            ActivityKind.Consumer,
            single ? traces[^1] : default,
            links: single ? null : traces.Select(t => new ActivityLink(t)));
        activity?.SetTag("astratrade.feed.subscription", Name);
        activity?.SetTag("astratrade.feed.events", batch.Count);
        return activity;
    }

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
                    using (StartBatchActivity(page.Events))
                    {
                        await handler.HandleAsync(page.Events, cancellationToken);
                    }

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
