namespace AstraTrade.Contracts.Events;

/// <summary>
/// The CloudEvents 1.0 <c>type</c> of every integration event (ARCHITECTURE.md §4): reverse-DNS, the bounded context,
/// the past-tense fact, and a version. A breaking change to a payload is a new version, published beside the old one
/// until no consumer reads the old.
/// </summary>
public static class IntegrationEventTypes
{
    public const string AchievementUnlocked = "astratrade.gamification.achievement-unlocked.v1";

    /// <summary><see cref="LevelReachedV1"/>: a user reached a level.</summary>
    public const string LevelReached = "astratrade.gamification.level-reached.v1";

    /// <summary><see cref="PositionClosedV1"/>: a position ended, closed or liquidated.</summary>
    public const string PositionClosed = "astratrade.trading.position-closed.v1";

    /// <summary><see cref="TournamentCompletedV1"/>: a tournament was scored and paid out.</summary>
    public const string TournamentCompleted = "astratrade.tournaments.tournament-completed.v1";

    /// <summary><see cref="TournamentCancelledV1"/>: a tournament was cancelled and its fees refunded.</summary>
    public const string TournamentCancelled = "astratrade.tournaments.tournament-cancelled.v1";

    /// <summary>Every type above: the catalog (docs/integration-events.md).</summary>
    public static IReadOnlyList<string> All { get; } = [AchievementUnlocked, LevelReached, PositionClosed, TournamentCompleted, TournamentCancelled];
}
