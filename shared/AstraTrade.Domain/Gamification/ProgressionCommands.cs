namespace AstraTrade.Domain.Gamification;

/// <summary>
/// Where a position was traded. 0 stays unassigned so a missing or defaulted venue is rejected rather than read as
/// practice. Stored events carry the name, so names must never change.
/// </summary>
public enum TradingVenue
{
    Practice = 1,
    Tournament = 2,
    Live = 3,
}

/// <summary>A command to a user's progression stream. Closed hierarchy: only the commands below exist.</summary>
public abstract record ProgressionCommand
{
    private protected ProgressionCommand()
    {
    }
}

/// <summary>
/// A user-initiated close, sent for every close from the at-least-once trading feed; the decider decides
/// whether it qualifies. (<paramref name="SourceStream"/>, <paramref name="SourceVersion"/>) identify the
/// feed event, so a redelivery is recognised.
/// </summary>
public sealed record RecordClose(
    string SourceStream,
    long SourceVersion,
    string PositionId,
    TradingVenue Venue,
    DateTimeOffset OpenedAt,
    DateTimeOffset ClosedAt,
    decimal Notional,
    decimal RealizedPnl) : ProgressionCommand;

/// <summary>A liquidation from the at-least-once trading feed.</summary>
public sealed record RecordLiquidation(string SourceStream, long SourceVersion, string PositionId, DateTimeOffset At)
    : ProgressionCommand;

/// <summary>The daily check-in; <paramref name="Now"/> is the caller's clock reading.</summary>
public sealed record CheckIn(DateTimeOffset Now) : ProgressionCommand;

/// <summary>An achievement another context decided (TOURNAMENT_CHAMPION, CONSTELLATION_FOUNDER).</summary>
public sealed record UnlockAchievement(string AchievementId, string Reason, DateTimeOffset At) : ProgressionCommand;

/// <summary>
/// A tournament's prize or refund, from the tournament stream's <c>PrizeAwarded</c> or <c>EntryFeeRefunded</c>:
/// Stellar Shards credited and XP awarded outside the daily trading cap (DOMAIN.md §2), once per source event.
/// </summary>
public sealed record RecordTournamentPayout(
    string SourceStream, long SourceVersion, string TournamentId, long Xp, long Shards, DateTimeOffset At) : ProgressionCommand;

/// <summary>Takes a tournament's entry fee from the user's Stellar Shards before the entry is requested; once per
/// tournament, so a retried join never pays twice.</summary>
public sealed record PayEntryFee(string TournamentId, long Amount, DateTimeOffset At) : ProgressionCommand;

/// <summary>Gives back an entry fee whose join was refused; once, and only if it was paid.</summary>
public sealed record ReturnEntryFee(string TournamentId, DateTimeOffset At) : ProgressionCommand;
