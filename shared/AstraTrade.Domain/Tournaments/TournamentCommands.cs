namespace AstraTrade.Domain.Tournaments;

/// <summary>A command to one tournament's stream. <see cref="Now"/> is the caller's clock reading: the decider never reads a clock.</summary>
public abstract record TournamentCommand(DateTimeOffset Now);

/// <summary>
/// Creates a tournament under <paramref name="TournamentId"/> (the stream id). Daily and weekly tournaments come from
/// the scheduler (<see cref="TournamentSchedule.CreateCommand"/>) and must match their schedule window and id; custom
/// ones come from an admin, with an id starting <c>custom-</c>. Amounts are whole Stellar Shards. Repeating an
/// accepted create with the same content is a no-op.
/// </summary>
public sealed record CreateTournament(
    string TournamentId,
    TournamentKind Kind,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long EntryFee,
    long SponsorAmount,
    int? MaxEntries,
    Actor CreatedBy,
    DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>The timer's "registration opens now"; rejected before start − lead, a no-op once it is open or past.</summary>
public sealed record OpenRegistration(DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>
/// A user joins. The application collects <see cref="TournamentTerms.EntryFee"/> Stellar Shards as the accepted
/// <see cref="EntryJoined"/> says, and opens the tournament account. <paramref name="Suspended"/> is the user's status,
/// read by the application; the user id comes from the caller's token.
/// </summary>
public sealed record JoinTournament(string UserId, bool Suspended, DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>The timer's "start now": goes Live, or Cancelled with refunds when too few joined. Rejected before the
/// start; a no-op once started (or cancelled).</summary>
public sealed record StartTournament(DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>The timer's "end now": trading closes and the tournament waits for results (Finalizing). Rejected before
/// the end; a no-op once ended.</summary>
public sealed record EndTournament(DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>Whatever phase changes are due at <paramref name="Now"/> (open, start or cancel, end); never rejected for
/// timing. One timer can send this to every active tournament.</summary>
public sealed record AdvanceTournament(DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>
/// The final results after the end: one per entry, with the equity of its tournament account once its open positions
/// were closed at mark, and its count of closed trades. Ranks the entries, pays prizes and completes the tournament,
/// all in one decision; once completed, any further finalize is a no-op, so prizes are paid exactly once.
/// </summary>
public sealed record FinalizeTournament(IReadOnlyList<EntryResult> Results, DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>An admin cancels a tournament that has not ended; every entry fee is refunded and the sponsor amount returned.</summary>
public sealed record CancelTournament(Actor By, string Reason, DateTimeOffset Now) : TournamentCommand(Now);

/// <summary>One entry's performance: its tournament account's equity (USD) and how many trades it closed. Final
/// results are taken after the end, when open positions have been closed at mark; live results at any time.</summary>
public sealed record EntryResult(string UserId, decimal Equity, int ClosedTrades);
