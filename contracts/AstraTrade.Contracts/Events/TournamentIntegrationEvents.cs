namespace AstraTrade.Contracts.Events;

/// <summary>
/// A tournament was scored and its prizes paid (DOMAIN.md §3): <paramref name="Pool"/> Stellar Shards =
/// <paramref name="ShardsAwarded"/> + <paramref name="ShardsReturned"/> (refunds and the sponsor amount, returned only
/// when no entry qualified). CloudEvents type <see cref="IntegrationEventTypes.TournamentCompleted"/>; subject
/// <c>tournaments/{tournamentId}</c>. The standings themselves are at <c>GET /api/v1/tournaments/{id}/standings</c>.
/// </summary>
public sealed record TournamentCompletedV1(
    string TournamentId, int Entries, int Qualified, long Pool, long ShardsAwarded, long ShardsReturned, DateTimeOffset CompletedAt);

/// <summary>
/// A tournament was cancelled and every entry fee refunded. CloudEvents type
/// <see cref="IntegrationEventTypes.TournamentCancelled"/>; subject <c>tournaments/{tournamentId}</c>.
/// </summary>
/// <param name="Reason"><c>not-enough-players</c> (too few entries at the start) or <c>by-admin</c>.</param>
public sealed record TournamentCancelledV1(string TournamentId, string Reason, int Entries, DateTimeOffset CancelledAt);
