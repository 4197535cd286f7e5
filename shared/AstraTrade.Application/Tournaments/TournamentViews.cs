using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Application.Tournaments;

public static class TournamentViews
{
    public static TournamentResponse Tournament(TournamentState recorded, DateTimeOffset now)
    {
        var state = Domain.Tournaments.Tournament.AsOf(recorded, now);
        var terms = state.Terms!;
        return new TournamentResponse(
            state.TournamentId!,
            Lower(terms.Kind.ToString()),
            terms.Name,
            Status(state.Status),
            terms.RegistrationOpensAt,
            terms.StartsAt,
            terms.JoinClosesAt,
            terms.EndsAt,
            terms.EntryFee,
            terms.SponsorAmount,
            state.Pool,
            terms.MaxEntries,
            state.Entries.Count,
            terms.StartingBalance,
            terms.MinClosedTrades,
            AccountSelector.ForTournament(state.TournamentId!).ToString(),
            Guid.TryParse(state.Champion, out var champion) ? champion : null,
            state.Cancellation is { } reason ? Reason(reason) : null);
    }

    /// <summary>not-enough-players or admin.</summary>
    public static string Reason(CancellationReason reason) => reason switch
    {
        CancellationReason.NotEnoughPlayers => "not-enough-players",
        CancellationReason.ByAdmin => "admin",
        _ => Lower(reason.ToString()),
    };

    public static TournamentEntryResponse Entry(TournamentState state, TournamentEntry entry) => new(
        state.TournamentId!,
        entry.EntryNumber,
        entry.JoinedAt,
        entry.EntryFee,
        state.Terms!.StartingBalance,
        AccountSelector.ForTournament(state.TournamentId!).ToString());

    public static string Status(TournamentStatus status) => Lower(status.ToString());

    public static bool TryParseStatus(string text, out TournamentStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && status != TournamentStatus.NotCreated && Enum.IsDefined(status)
        && text.All(char.IsLower);

    public static bool TryParseKind(string text, out TournamentKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && text.All(char.IsLower);

    private static string Lower(string name) => name.ToLowerInvariant();
}
