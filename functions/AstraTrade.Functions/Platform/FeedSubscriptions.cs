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
public sealed class FeedSubscriptions(
    IEventFeed feed,
    CheckpointStore checkpoints,
    ProgressionReactor progression,
    LeaderboardProjection leaderboards,
    OpenPositionsIndex openPositions,
    UserEventHub live,
    TournamentReactor tournaments,
    TournamentDirectory tournamentDirectory,
    TournamentStandings tournamentStandings,
    PracticeOrderBook practiceOrderBook,
    TradeLifecycleReactor tradeLifecycles,
    TournamentWorkflowReactor tournamentWorkflows,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public IReadOnlyList<FeedSubscription> All { get; } =
    [
        new("progression", feed, progression, checkpoints, time, loggers.CreateLogger<FeedSubscription>()),
        new("leaderboards", feed, leaderboards, null, time, loggers.CreateLogger<FeedSubscription>()),
        new("open-positions", feed, openPositions, null, time, loggers.CreateLogger<FeedSubscription>()),
        new("live-users", feed, live, null, time, loggers.CreateLogger<FeedSubscription>()),
        new("tournaments", feed, tournaments, checkpoints, time, loggers.CreateLogger<FeedSubscription>()),
        new("tournament-directory", feed, tournamentDirectory, null, time, loggers.CreateLogger<FeedSubscription>()),
        new("tournament-standings", feed, tournamentStandings, null, time, loggers.CreateLogger<FeedSubscription>()),
        new("practice-order-book", feed, practiceOrderBook, null, time, loggers.CreateLogger<FeedSubscription>()),
        new("trade-lifecycles", feed, tradeLifecycles, checkpoints, time, loggers.CreateLogger<FeedSubscription>()),
        new("tournament-workflows", feed, tournamentWorkflows, checkpoints, time, loggers.CreateLogger<FeedSubscription>()),
    ];
}
