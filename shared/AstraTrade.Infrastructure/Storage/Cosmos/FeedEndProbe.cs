using System.Net;
using AstraTrade.Application.Ports;
using Microsoft.Azure.Cosmos;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// Checkpoints at the current end of the change feed, for <see cref="AppendResult.Checkpoint"/>: a change-feed read
/// "from now" answers with a continuation after every change the partition has acknowledged, and an append that was
/// acknowledged before the read started is among them (with session or stronger consistency, since the client's session
/// token makes the replica catch up). Appends that finish while a probe is under way share the next one, so under load
/// there is one probe in flight, not one per append.
/// </summary>
internal sealed class FeedEndProbe(Container container, CosmosRequests requests)
{
    // A probe across many partition key ranges drains pages until every range has answered "nothing new".
    private const int MaxPages = 1000;

    private readonly Lock _gate = new();
    private bool _running;
    private TaskCompletionSource<FeedCheckpoint>? _next;

    /// <summary>A checkpoint at or after everything acknowledged before this call.</summary>
    public Task<FeedCheckpoint> EndAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<FeedCheckpoint> waiter;
        bool start;
        lock (_gate)
        {
            start = !_running;
            if (start)
            {
                _running = true;
                waiter = new TaskCompletionSource<FeedCheckpoint>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            else
            {
                // The probe under way may have started before the caller's write was acknowledged: wait for the next.
                _next ??= new TaskCompletionSource<FeedCheckpoint>(TaskCreationOptions.RunContinuationsAsynchronously);
                waiter = _next;
            }
        }

        if (start)
        {
            _ = RunAsync(waiter);
        }

        return waiter.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(TaskCompletionSource<FeedCheckpoint> current)
    {
        while (true)
        {
            try
            {
                current.TrySetResult(await ProbeAsync().ConfigureAwait(false));
            }
            catch (Exception ex)
            {
                current.TrySetException(ex);
            }

            lock (_gate)
            {
                if (_next is null)
                {
                    _running = false;
                    return;
                }

                (current, _next) = (_next, null);
            }
        }
    }

    private async Task<FeedCheckpoint> ProbeAsync()
    {
        var iterator = container.GetChangeFeedStreamIterator(
            ChangeFeedStartFrom.Now(), ChangeFeedMode.LatestVersion, new ChangeFeedRequestOptions { PageSizeHint = 1 });
        for (var page = 0; page < MaxPages; page++)
        {
            // One waiter's cancellation must not fail the others, so the probe itself is not cancellable.
            using var answer = await requests.SendAsync("feed.checkpoint", ct => iterator.ReadNextAsync(ct), CancellationToken.None)
                .ConfigureAwait(false);
            var response = answer.Response;
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                return CosmosFeedCheckpoint.After(response.ContinuationToken);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw CosmosRequests.Unexpected("feed.checkpoint", response);
            }
        }

        throw new CosmosStoreException("feed.checkpoint", HttpStatusCode.ServiceUnavailable, 0,
            $"the change feed did not reach its end within {MaxPages} pages (writes are arriving faster than it can be read)");
    }
}
