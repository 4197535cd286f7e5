using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Eventing;

/// <summary>
/// How aggregates map to streams. One stream per aggregate instance, named so that a feed consumer can tell what an
/// event belongs to from the stream id alone (in Cosmos the stream id is also the partition key).
/// </summary>
public static class StreamIds
{
    private const string UserPrefix = "user-";
    private const string PracticePrefix = "account-practice-";
    private const string ProgressionPrefix = "progression-";
    private const string TournamentPrefix = "tournament-";
    private const string TournamentAccountPrefix = "account-tournament-";
    private const string LivePrefix = "account-live-";
    private const string GenesisMintPrefix = "nft-";
    private const int UserIdLength = 32;

    public static string User(Guid userId) => UserPrefix + userId.ToString("N");

    public static string PracticeAccount(Guid userId) => PracticePrefix + userId.ToString("N");

    /// <summary>A user's live account (trading on Extended).</summary>
    public static string LiveAccount(Guid userId) => LivePrefix + userId.ToString("N");

    public static string Progression(Guid userId) => ProgressionPrefix + userId.ToString("N");

    /// <summary>The owner and kind of an account stream, or false for any other stream.</summary>
    public static string Tournament(string tournamentId) => TournamentPrefix + tournamentId;

    /// <summary>A tournament entry's account. Tournament ids contain dashes, so the user id is the fixed-length tail.</summary>
    public static string TournamentAccount(string tournamentId, Guid userId) =>
        $"{TournamentAccountPrefix}{tournamentId}-{userId:N}";

    public static bool TryParseAccount(string streamId, out Guid owner, out AccountKind kind)
    {
        if (TryParseTournamentAccount(streamId, out _, out owner))
        {
            kind = AccountKind.Tournament;
            return true;
        }

        if (TryParse(streamId, LivePrefix, out owner))
        {
            kind = AccountKind.Live;
            return true;
        }

        kind = AccountKind.Practice;
        return TryParse(streamId, PracticePrefix, out owner);
    }

    /// <summary>True for a live account's stream (real money on the exchange).</summary>
    public static bool IsLiveAccount(string streamId) => TryParse(streamId, LivePrefix, out _);

    public static bool TryParseTournamentAccount(string streamId, out string tournamentId, out Guid owner)
    {
        tournamentId = "";
        owner = Guid.Empty;
        var idLength = streamId.Length - TournamentAccountPrefix.Length - UserIdLength - 1;
        if (!streamId.StartsWith(TournamentAccountPrefix, StringComparison.Ordinal)
            || idLength < 1
            || streamId[^(UserIdLength + 1)] != '-'
            || !Guid.TryParseExact(streamId.AsSpan(streamId.Length - UserIdLength), "N", out owner))
        {
            return false;
        }

        tournamentId = streamId.Substring(TournamentAccountPrefix.Length, idLength);
        return true;
    }

    public static bool TryParseTournament(string streamId, out string tournamentId)
    {
        var match = streamId.StartsWith(TournamentPrefix, StringComparison.Ordinal) && streamId.Length > TournamentPrefix.Length;
        tournamentId = match ? streamId[TournamentPrefix.Length..] : "";
        return match;
    }

    public static bool TryParseProgression(string streamId, out Guid userId) =>
        TryParse(streamId, ProgressionPrefix, out userId);

    /// <summary>A user's Genesis mint request for one achievement (at most one per user and achievement).</summary>
    public static string GenesisMint(Guid userId, string achievementId) => $"{GenesisMintPrefix}{userId:N}-{achievementId}";

    public static bool TryParseUser(string streamId, out Guid userId) => TryParse(streamId, UserPrefix, out userId);

    private static bool TryParse(string streamId, string prefix, out Guid id)
    {
        id = Guid.Empty;
        return streamId.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParseExact(streamId.AsSpan(prefix.Length), "N", out id);
    }
}
