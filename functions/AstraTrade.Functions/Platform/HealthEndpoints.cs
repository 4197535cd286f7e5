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
        AstraTrade.Application.Integration.IntegrationRelayStatus IntegrationRelay);

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
                    var now = time.GetUtcNow();
                    var feeds = subscriptions.All
                        .Select(s => new SubscriptionHealth(s.Name, s.CaughtUp.IsCompletedSuccessfully, s.EventsHandled, s.LastEventRecordedAt, s.LastError))
                        .ToList();
                    var markets = catalog.All
                        .Select(m => data.TryGetLatest(m.Symbol, out var t)
                            ? new MarketHealth(m.Symbol, t.Price, Math.Round((now - t.Time).TotalSeconds, 3))
                            : new MarketHealth(m.Symbol, null, null))
                        .ToList();
                    var healthy = storeHealthy && feeds.All(f => f.CaughtUp && f.LastError is null) && markets.All(m => m.AgeSeconds is < 5);
                    var body = new HealthResponse(healthy ? "healthy" : "degraded", store, feeds, markets, relay.Status);
                    return TypedResults.Json(body, statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
                })
                .WithTags("Health")
                .WithSummary("Store, feed subscriptions, integration-event relay and price freshness")
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
}
