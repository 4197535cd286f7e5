using AstraTrade.Application.Eventing;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Which of the caller's accounts a trading request addresses: the practice account (the default) or the account of
/// a tournament entry, written <c>tournament:{id}</c> (the <c>account</c> query parameter of the trading API).
/// </summary>
public sealed record AccountSelector(string? TournamentId)
{
    public const string PracticeText = "practice";
    public const string TournamentPrefix = "tournament:";

    public static AccountSelector Practice { get; } = new((string?)null);

    public static AccountSelector ForTournament(string tournamentId) => new(tournamentId);

    public static bool TryParse(string? text, out AccountSelector selector, out DomainError? error)
    {
        selector = Practice;
        error = null;
        if (text is null or PracticeText)
        {
            return true;
        }

        var id = text.StartsWith(TournamentPrefix, StringComparison.Ordinal) ? text[TournamentPrefix.Length..] : "";
        if (id.Length is 0 or > Tournament.MaxIdLength || !id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            error = new DomainError(
                "invalid-account", $"'{Truncate(text)}' is not an account: use '{PracticeText}' or '{TournamentPrefix}{{tournament id}}'.");
            return false;
        }

        selector = ForTournament(id);
        return true;
    }

    public string StreamFor(Guid userId) =>
        TournamentId is { } id ? StreamIds.TournamentAccount(id, userId) : StreamIds.PracticeAccount(userId);

    public override string ToString() => TournamentId is { } id ? TournamentPrefix + id : PracticeText;

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
