using AstraTrade.Application.Feed;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Leaderboards;
using AstraTrade.Application.Live;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading;
using AstraTrade.Orchestrations.Tournaments;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// Everything that consumes the feed. The progression reactor writes events, so it keeps a durable checkpoint and
/// resumes; the tournament reactor and the tournament workflow reactor (which starts and cancels the tournaments'
/// workflow instances) likewise; the in-memory projections (leaderboards, open positions, tournament directory and standings) rebuild from the start of the feed on each start,
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
        new("tournament-workflows", feed, tournamentWorkflows, checkpoints, time, loggers.CreateLogger<FeedSubscription>()),
    ];
}
