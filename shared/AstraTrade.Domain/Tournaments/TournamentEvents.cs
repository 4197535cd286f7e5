namespace AstraTrade.Domain.Tournaments;

/// <summary>Everything that happens to a tournament. Every implementation is a plain JSON-serializable positional
/// record with no polymorphic members; amounts of Stellar Shards are whole numbers.</summary>
public interface ITournamentEvent
{
    DateTimeOffset At { get; }
}

public sealed record TournamentCreated(string TournamentId, TournamentTerms Terms, string CreatedBy, DateTimeOffset At) : ITournamentEvent;

public sealed record RegistrationOpened(DateTimeOffset At) : ITournamentEvent;

/// <summary>
/// <paramref name="UserId"/> entered as entry number <paramref name="EntryNumber"/> (1, 2, … in the order the
/// tournament accepted them) at <paramref name="At"/>, owing <paramref name="EntryFee"/> SS; their tournament account
/// starts with <paramref name="StartingBalance"/> USD.
/// </summary>
public sealed record EntryJoined(string UserId, int EntryNumber, long EntryFee, decimal StartingBalance, DateTimeOffset At) : ITournamentEvent;

public sealed record TournamentStarted(int Entries, DateTimeOffset At) : ITournamentEvent;

/// <summary>An entry fee goes back to its payer (cancellation, or completion with no qualified entry).</summary>
public sealed record EntryFeeRefunded(string UserId, long Amount, DateTimeOffset At) : ITournamentEvent;

/// <summary>The sponsor amount goes back to the sponsor (cancellation, or completion with no qualified entry).</summary>
public sealed record SponsorAmountReturned(long Amount, DateTimeOffset At) : ITournamentEvent;

/// <summary>Follows its refunds. <paramref name="CancelledBy"/> and <paramref name="Note"/> are set when an admin cancelled.</summary>
public sealed record TournamentCancelled(CancellationReason Reason, int Entries, string? CancelledBy, string? Note, DateTimeOffset At)
    : ITournamentEvent;

/// <summary>The end passed: trading is closed and standings are frozen until results arrive.</summary>
public sealed record TournamentEnded(DateTimeOffset At) : ITournamentEvent;

/// <summary>One line of the final standings, in standings order: qualified entries with their rank first, then the
/// others (rank null).</summary>
public sealed record EntryScored(
    int? Rank,
    string UserId,
    int EntryNumber,
    DateTimeOffset JoinedAt,
    decimal Equity,
    decimal Return,
    int ClosedTrades,
    bool Qualified,
    DateTimeOffset At) : ITournamentEvent;

/// <summary>The prize of one qualified entry: <paramref name="Shards"/> Stellar Shards (0 below the podium) and
/// <paramref name="Xp"/> tournament XP (uncapped). One per qualified entry, in rank order.</summary>
public sealed record PrizeAwarded(string UserId, int Rank, long Shards, long Xp, DateTimeOffset At) : ITournamentEvent;

/// <summary>Rank 1 unlocks <paramref name="AchievementId"/> (TOURNAMENT_CHAMPION); see <see cref="Tournament.ChampionUnlock"/>.</summary>
public sealed record ChampionDeclared(string UserId, string AchievementId, DateTimeOffset At) : ITournamentEvent;

/// <summary>The last event of a completed tournament: <paramref name="Pool"/> = <paramref name="ShardsAwarded"/> +
/// <paramref name="ShardsReturned"/> (refunds and sponsor amount, paid only when no entry qualified).</summary>
public sealed record TournamentCompleted(int Entries, int Qualified, long Pool, long ShardsAwarded, long ShardsReturned, DateTimeOffset At)
    : ITournamentEvent;
