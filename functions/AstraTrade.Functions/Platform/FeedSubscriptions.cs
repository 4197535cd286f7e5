using AstraTrade.Application.Feed;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Leaderboards;
using AstraTrade.Application.Live;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading;
using AstraTrade.Infrastructure.Exchange.Practice;
using AstraTrade.Orchestrations.Trading;
using AstraTrade.Orchestrations.Tournaments;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// Everything that consumes the feed. The progression reactor writes events, so it keeps a durable checkpoint and
/// resumes; the tournament reactor, the tournament workflow reactor (which starts and cancels the tournaments'
/// workflow instances) and the trade-lifecycle reactor likewise; the in-memory projections (leaderboards, open positions, the practice order book, tournament directory and standings) rebuild from the start of the feed on each start,
/// and the live hub only forwards what is recorded after a client connected.
/// </summary>
public sealed class FeedSubscriptions
{
    /// <summary>Every feed consumer: its name (also its checkpoint document and, hosted, its lease prefix), its handler,
    /// and whether it keeps a durable checkpoint. The function declarations read the names from here.</summary>
    public static readonly IReadOnlyList<(string Name, Type Handler, bool Durable)> Table =
    [
        ("progression", typeof(ProgressionReactor), true),
        ("leaderboards", typeof(LeaderboardProjection), false),
        ("open-positions", typeof(OpenPositionsIndex), false),
        ("live-users", typeof(UserEventHub), false),
        ("tournaments", typeof(TournamentReactor), true),
        ("tournament-directory", typeof(TournamentDirectory), false),
        ("tournament-standings", typeof(TournamentStandings), false),
        ("practice-order-book", typeof(PracticeOrderBook), false),
        ("trade-lifecycles", typeof(TradeLifecycleReactor), true),
        ("tournament-workflows", typeof(TournamentWorkflowReactor), true),
        ("integration-events", typeof(AstraTrade.Application.Integration.IntegrationEventRelay), true),
    ];

    private readonly Dictionary<string, IFeedHandler> _handlers;

    public FeedSubscriptions(
        IServiceProvider services, IEventFeed feed, CheckpointStore checkpoints, TimeProvider time, ILoggerFactory loggers, IConfiguration configuration)
    {
        _handlers = Table.ToDictionary(t => t.Name, t => (IFeedHandler)services.GetRequiredService(t.Handler), StringComparer.Ordinal);
        var hosted = Hosting.AppHosting.UnderFunctionsHost(configuration);
        All = [.. Table
            .Where(t => !(hosted && t.Durable))
            .Select(t => new FeedSubscription(
                t.Name, feed, _handlers[t.Name], t.Durable ? checkpoints : null, time, loggers.CreateLogger<FeedSubscription>()))];
    }

    /// <summary>
    /// The subscriptions this process runs itself. Standalone: all of them. Under the Functions host: only the in-memory
    /// projections, which every instance needs whole and rebuilds from the feed's start; the durable reactors are
    /// cosmosDBTrigger functions instead (Hosting/AppFunctions.cs), so that the host's leases give each event to one
    /// instance of the app, as their checkpoints do here.
    /// </summary>
    public IReadOnlyList<FeedSubscription> All { get; }

    /// <summary>The handler of a subscription, for a change-feed invocation from the Functions host.</summary>
    public IFeedHandler HandlerOf(string subscription) =>
        _handlers.TryGetValue(subscription, out var handler)
            ? handler
            : throw new KeyNotFoundException($"No feed subscription '{subscription}'.");
}
