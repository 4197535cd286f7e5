using System.Collections.Immutable;

namespace AstraTrade.Domain.Tournaments;

/// <summary>One user's entry: the order and time in which the tournament accepted it, and the fee it owes.</summary>
public sealed record TournamentEntry(string UserId, int EntryNumber, DateTimeOffset JoinedAt, long EntryFee);

/// <summary>
/// A tournament folded from its events by <see cref="Tournament.Evolve"/>. Sorted, ordinal collections so that equal
/// histories give identical snapshots. A stream with no events is <see cref="Initial"/> (<see cref="TournamentStatus.NotCreated"/>).
/// </summary>
public sealed record TournamentState
{
    public static TournamentState Initial { get; } = new();

    public string? TournamentId { get; init; }

    public TournamentTerms? Terms { get; init; }

    public string? CreatedBy { get; init; }

    public TournamentStatus Status { get; init; }

    /// <summary>User id → entry.</summary>
    public ImmutableSortedDictionary<string, TournamentEntry> Entries { get; init; } =
        ImmutableSortedDictionary.Create<string, TournamentEntry>(StringComparer.Ordinal);

    /// <summary>Σ entry fees of the entries.</summary>
    public long EntryFees { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>When it completed or was cancelled.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    public CancellationReason? Cancellation { get; init; }

    /// <summary>The frozen final standings (empty until finalized), qualified entries by rank first.</summary>
    public ImmutableList<Standing> FinalStandings { get; init; } = [];

    /// <summary>User id → prize.</summary>
    public ImmutableSortedDictionary<string, PrizeAwarded> Prizes { get; init; } =
        ImmutableSortedDictionary.Create<string, PrizeAwarded>(StringComparer.Ordinal);

    public string? Champion { get; init; }

    /// <summary>User id → entry fee refunded.</summary>
    public ImmutableSortedDictionary<string, long> Refunds { get; init; } =
        ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);

    public long SponsorReturned { get; init; }

    /// <summary>The Stellar Shard pool: entry fees plus the sponsor amount.</summary>
    public long Pool => EntryFees + (Terms?.SponsorAmount ?? 0);

    /// <summary>Shards paid out as prizes.</summary>
    public long ShardsAwarded => Prizes.Values.Sum(p => p.Shards);

    /// <summary>Shards given back: refunded fees and the returned sponsor amount.</summary>
    public long ShardsReturned => Refunds.Values.Sum() + SponsorReturned;

    public bool IsClosed => Status is TournamentStatus.Completed or TournamentStatus.Cancelled;
}
