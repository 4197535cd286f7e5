namespace AstraTrade.Contracts.Http;

/// <param name="XpForNextLevel">Total XP at which the next level is reached; null at the top level.</param>
/// <param name="Streak">Consecutive UTC days with qualifying activity, 0 once a day was missed.</param>
public sealed record ProgressionResponse(
    long Xp,
    int Level,
    long? XpForNextLevel,
    int Streak,
    int BestStreak,
    int MaxLeverage,
    long StellarShards,
    bool CheckedInToday,
    IReadOnlyList<AchievementResponse> Achievements);

public sealed record AchievementResponse(string Id, string Description, long BonusXp, DateTimeOffset UnlockedAt);

public sealed record CheckInResponse(long XpAwarded, ProgressionResponse Progression);

/// <param name="Score">XP for the xp boards; USD of realized PnL for pnl-weekly.</param>
public sealed record LeaderboardEntryResponse(int Rank, Guid UserId, string Username, decimal Score);

/// <param name="PeriodStart">Start of the current period for periodic boards (Monday 00:00 UTC for weekly ones).</param>
public sealed record LeaderboardResponse(string Board, DateTimeOffset? PeriodStart, int Total, IReadOnlyList<LeaderboardEntryResponse> Entries);

/// <param name="Me">The caller's entry, or null when the caller has no score on this board yet.</param>
public sealed record LeaderboardAroundResponse(string Board, DateTimeOffset? PeriodStart, int Total, LeaderboardEntryResponse? Me, IReadOnlyList<LeaderboardEntryResponse> Entries);
