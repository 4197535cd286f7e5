namespace AstraTrade.Contracts.Http;

/// <param name="Kind">daily, weekly or custom.</param>
/// <param name="Status">scheduled, registration, live, finalizing, completed or cancelled, as of the response time.</param>
/// <param name="PrizePool">Stellar Shards: entry fees so far plus the sponsor amount.</param>
/// <param name="Account">The account selector for trading in this tournament (<c>?account=</c> on the trading API).</param>
/// <param name="Champion">The winner once completed (null when nobody qualified).</param>
/// <param name="CancellationReason">not-enough-players or admin, when cancelled.</param>
public sealed record TournamentResponse(
    string Id,
    string Kind,
    string Name,
    string Status,
    DateTimeOffset RegistrationOpensAt,
    DateTimeOffset StartsAt,
    DateTimeOffset JoinClosesAt,
    DateTimeOffset EndsAt,
    long EntryFee,
    long SponsorAmount,
    long PrizePool,
    int? MaxEntries,
    int Entries,
    decimal StartingBalance,
    int MinClosedTrades,
    string Account,
    Guid? Champion,
    string? CancellationReason);

public sealed record TournamentsPage(IReadOnlyList<TournamentResponse> Items, string? NextCursor);

/// <param name="Id">daily-YYYY-MM-DD, weekly-YYYY-Www (their schedule windows) or custom-[a-z0-9-]+.</param>
/// <param name="Kind">daily, weekly or custom.</param>
public sealed record CreateTournamentRequest(
    string Id, string Kind, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt, long EntryFee = 0, long SponsorAmount = 0, int? MaxEntries = null);

public sealed record CancelTournamentRequest(string Reason);

/// <param name="Account">The account selector to trade with this entry.</param>
public sealed record TournamentEntryResponse(string TournamentId, int EntryNumber, DateTimeOffset JoinedAt, long EntryFee, decimal StartingBalance, string Account);

/// <param name="Place">1-based place in the list (qualified entries first).</param>
/// <param name="Rank">Rank among qualified entries (≥ the minimum closed trades), null for the others.</param>
/// <param name="Equity">While live: cash plus margin at cost (realized results; open positions are valued at mark only
/// when the tournament ends). Once completed: the final equity after closing at mark.</param>
/// <param name="Return">(equity − starting balance) / starting balance.</param>
public sealed record StandingResponse(int Place, int? Rank, Guid UserId, string Username, decimal Equity, decimal Return, int ClosedTrades, bool Qualified);

/// <param name="Final">True once the tournament completed: the standings are the frozen final results.</param>
public sealed record StandingsResponse(string TournamentId, bool Final, int Total, IReadOnlyList<StandingResponse> Entries);

/// <param name="Me">The caller's line, or null when the caller has no entry.</param>
public sealed record StandingsAroundResponse(string TournamentId, bool Final, int Total, StandingResponse? Me, IReadOnlyList<StandingResponse> Entries);
