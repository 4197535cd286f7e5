using AstraTrade.Application.Eventing;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Which of the caller's accounts a trading request addresses: the practice account (the default), the live account
/// (<c>live</c>, real money on Extended) or the account of a tournament entry, written <c>tournament:{id}</c> (the
/// <c>account</c> query parameter of the trading API).
/// </summary>
public sealed record AccountSelector(AccountKind Kind, string? TournamentId)
{
    public const string PracticeText = "practice";
    public const string LiveText = "live";
    public const string TournamentPrefix = "tournament:";

    public static AccountSelector Practice { get; } = new(AccountKind.Practice, null);

    public static AccountSelector Live { get; } = new(AccountKind.Live, null);

    public static AccountSelector ForTournament(string tournamentId) => new(AccountKind.Tournament, tournamentId);

    public static bool TryParse(string? text, out AccountSelector selector, out DomainError? error)
    {
        selector = Practice;
        error = null;
        switch (text)
        {
            case null or PracticeText:
                return true;
            case LiveText:
                selector = Live;
                return true;
        }

        var id = text.StartsWith(TournamentPrefix, StringComparison.Ordinal) ? text[TournamentPrefix.Length..] : "";
        if (id.Length is 0 or > Tournament.MaxIdLength || !id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            error = new DomainError(
                "invalid-account", $"'{Truncate(text)}' is not an account: use '{PracticeText}', '{LiveText}' or '{TournamentPrefix}{{tournament id}}'.");
            return false;
        }

        selector = ForTournament(id);
        return true;
    }

    public string StreamFor(Guid userId) => Kind switch
    {
        AccountKind.Tournament => StreamIds.TournamentAccount(TournamentId!, userId),
        AccountKind.Live => StreamIds.LiveAccount(userId),
        _ => StreamIds.PracticeAccount(userId),
    };

    public override string ToString() => Kind switch
    {
        AccountKind.Tournament => TournamentPrefix + TournamentId,
        AccountKind.Live => LiveText,
        _ => PracticeText,
    };

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
