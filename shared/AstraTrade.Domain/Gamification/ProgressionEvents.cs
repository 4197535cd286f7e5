namespace AstraTrade.Domain.Gamification;

/// <summary>An event in a user's progression stream. Every implementation is a plain JSON-serializable record.</summary>
public interface IProgressionEvent;

/// <summary>Why XP was awarded. Stored events carry the name, so names must never change.</summary>
public enum XpReason
{
    QualifyingClose = 1,
    Liquidation = 2,
    CheckIn = 3,
    StreakBonus = 4,
    Achievement = 5,

    /// <summary>A tournament prize: not capped (DOMAIN.md §2).</summary>
    Tournament = 6,
}

/// <summary>A close that qualified. Carries its feed identity so that replaying the stream rebuilds deduplication.</summary>
public sealed record QualifyingCloseRecorded(
    string SourceStream,
    long SourceVersion,
    string PositionId,
    TradingVenue Venue,
    bool Profitable,
    DateTimeOffset At) : IProgressionEvent;

/// <summary>A liquidation. Carries its feed identity so that replaying the stream rebuilds deduplication.</summary>
public sealed record LiquidationRecorded(string SourceStream, long SourceVersion, string PositionId, DateTimeOffset At)
    : IProgressionEvent;

public sealed record CheckedIn(DateOnly Day, DateTimeOffset At) : IProgressionEvent;

/// <summary>
/// The first qualifying activity of a new UTC day: <paramref name="Day"/> becomes the last activity day and
/// <paramref name="Streak"/> the streak (possibly restarted at 1). Emitted exactly when the streak bonus is due.
/// </summary>
public sealed record StreakUpdated(int Streak, DateOnly Day, DateTimeOffset At) : IProgressionEvent;

/// <summary>
/// Every change of XP, achievement bonus XP included, so a leaderboard can sum these alone.
/// <paramref name="Amount"/> is what was granted, <paramref name="CutByCap"/> what the daily trading cap withheld
/// (both recorded, even when the cap withheld everything); <paramref name="Day"/> is the UTC day the activity
/// belongs to; <paramref name="Reference"/> is the position or achievement id, when there is one.
/// </summary>
public sealed record XpAwarded(long Amount, long CutByCap, XpReason Reason, string? Reference, DateOnly Day, DateTimeOffset At)
    : IProgressionEvent;

/// <summary>
/// An achievement unlocked once and for all, with the bonus XP (awarded by the <see cref="XpAwarded"/> that
/// follows) and Stellar Shards it earned. <paramref name="Reason"/> is the condition met, or the reason sent by
/// the context that decided it.
/// </summary>
public sealed record AchievementUnlocked(string AchievementId, long BonusXp, long Shards, string Reason, DateTimeOffset At)
    : IProgressionEvent;

/// <summary>One per level reached, in ascending order, right after the XP that reached it (for feeds and notifications).</summary>
public sealed record LevelReached(int Level, DateTimeOffset At) : IProgressionEvent;

/// <summary>A tournament prize or refund applied: <paramref name="Shards"/> credited (the XP follows as its own award).</summary>
public sealed record TournamentPayoutRecorded(
    string SourceStream, long SourceVersion, string TournamentId, long Xp, long Shards, DateTimeOffset At) : IProgressionEvent;

public sealed record EntryFeePaid(string TournamentId, long Amount, DateTimeOffset At) : IProgressionEvent;

public sealed record EntryFeeReturned(string TournamentId, long Amount, DateTimeOffset At) : IProgressionEvent;
