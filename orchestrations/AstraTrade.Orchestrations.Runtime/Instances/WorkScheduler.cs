using AstraTrade.Application.Diagnostics;
using AstraTrade.Application.Ports;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>Puts work items on the queue, each invisible until its time. A delay longer than the queue allows is cut to
/// the queue's limit: the item then arrives early, and its handler puts it back for the rest of the wait.</summary>
internal sealed class WorkScheduler(IWorkQueue queue, TimeProvider time, ILogger logger)
{
    private const int MaxEnqueueAttempts = 5;

    public async ValueTask ScheduleAsync(IReadOnlyList<ScheduledWork> work, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (item, visibleAt) in work)
        {
            await EnqueueAsync(item, visibleAt - now, cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask EnqueueAsync(WorkItem item, TimeSpan delay, CancellationToken cancellationToken)
    {
        delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay > queue.MaxVisibilityDelay ? queue.MaxVisibilityDelay : delay;
        if (item.TraceParent is null && TraceContext.Current() is { } traceParent)
        {
            item = item with { TraceParent = traceParent };
        }

        var body = item.ToJson();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await queue.EnqueueAsync(body, delay, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (attempt < MaxEnqueueAttempts && ex is not OperationCanceledException and not ObjectDisposedException)
            {
                // The transition is stored; its work must follow. (If every attempt fails, recovery at the next start
                // re-enqueues it from the store.)
                logger.LogWarning(ex, "Enqueueing {Kind} for {InstanceId} failed (attempt {Attempt}); retrying", item.Kind, item.InstanceId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
