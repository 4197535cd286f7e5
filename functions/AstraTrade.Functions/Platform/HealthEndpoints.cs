using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Functions.Platform;

public static class HealthEndpoints
{
    public sealed record SubscriptionHealth(string Name, bool CaughtUp, long EventsHandled, DateTimeOffset? LastEventRecordedAt, string? LastError);

    public sealed record MarketHealth(string Symbol, decimal? Price, double? AgeSeconds);

    public sealed record HealthResponse(
        string Status,
        object Store,
        IReadOnlyList<SubscriptionHealth> Subscriptions,
        IReadOnlyList<MarketHealth> Markets,
        QueueHealth WorkQueue,
        AstraTrade.Application.Integration.IntegrationRelayStatus IntegrationRelay);

    /// <param name="Kind">in-process or azure-storage.</param>
    /// <param name="ApproximateMessages">Messages waiting, visible or not (Azure's count is approximate).</param>
    public sealed record QueueHealth(string Kind, string Name, int? ApproximateMessages, string? Error);

    /// <summary>
    /// 200 when the store answers, every feed subscription has caught up and every market has a fresh price;
    /// 503 with the same body otherwise (while starting, or when something is stuck), so probes and people see why.
    /// </summary>
    public static void MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        foreach (var path in new[] { "/api/v1/health", "/health" })
        {
            var endpoint = app.MapGet(path, async (IServiceProvider services, FeedSubscriptions subscriptions, MarketCatalog catalog, IMarketData data, TimeProvider time,
                    AstraTrade.Application.Integration.IntegrationEventRelay relay, CancellationToken cancellationToken) =>
                {
                    var (store, storeHealthy) = await StoreStatusAsync(services, cancellationToken);
                    var queue = await QueueStatusAsync(services.GetRequiredService<IWorkQueue>(), cancellationToken);
                    var now = time.GetUtcNow();
                    var feeds = subscriptions.All
                        .Select(s => new SubscriptionHealth(s.Name, s.CaughtUp.IsCompletedSuccessfully, s.EventsHandled, s.LastEventRecordedAt, s.LastError))
                        .ToList();
                    var markets = catalog.All
                        .Select(m => data.TryGetLatest(m.Symbol, out var t)
                            ? new MarketHealth(m.Symbol, t.Price, Math.Round((now - t.Time).TotalSeconds, 3))
                            : new MarketHealth(m.Symbol, null, null))
                        .ToList();
                    var healthy = storeHealthy && queue.Error is null && feeds.All(f => f.CaughtUp && f.LastError is null) && markets.All(m => m.AgeSeconds is < 5);
                    var body = new HealthResponse(healthy ? "healthy" : "degraded", store, feeds, markets, queue, relay.Status);
                    return TypedResults.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
                })
                .WithTags("Health")
                .WithSummary("Store, work queue, feed subscriptions, integration-event relay and price freshness")
                .AllowAnonymous();
            if (path == "/health")
            {
                endpoint.ExcludeFromDescription(); // the same probe at the root, for load balancers
            }
        }
    }

    /// <summary>The store this app runs on: Cosmos DB (reachable, containers in place) or the embedded store (open while
    /// the app runs, so healthy).</summary>
    private static async Task<(object Status, bool Healthy)> StoreStatusAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<AstraTrade.Infrastructure.Storage.Cosmos.CosmosStore>() is { } cosmos)
        {
            var status = await cosmos.GetStatusAsync(cancellationToken);
            return (status, status.Healthy);
        }

        return (services.GetRequiredService<EmbeddedStore>().GetStatus(), true);
    }

    /// <summary>The workflow runtime's work queue: how much waits on it, and whether Azure Storage answers (within 3 s).</summary>
    private static async Task<QueueHealth> QueueStatusAsync(IWorkQueue queue, CancellationToken cancellationToken)
    {
        switch (queue)
        {
            case AstraTrade.Infrastructure.Queues.AzureStorage.AzureStorageQueue storage:
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(TimeSpan.FromSeconds(3));
                    try
                    {
                        return new QueueHealth("azure-storage", storage.QueueName, await storage.GetApproximateMessageCountAsync(timeout.Token), null);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        return new QueueHealth("azure-storage", storage.QueueName, null, ex.Message);
                    }
                }

            case AstraTrade.Orchestrations.Runtime.InProcessWorkQueue inProcess:
                return new QueueHealth("in-process", Hosting.AppFunctions.WorkflowQueue, inProcess.Count, null);
            default:
                return new QueueHealth(queue.GetType().Name, Hosting.AppFunctions.WorkflowQueue, null, null);
        }
    }
}
