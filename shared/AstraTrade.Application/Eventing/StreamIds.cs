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

    public static string User(Guid userId) => UserPrefix + userId.ToString("N");

    public static string PracticeAccount(Guid userId) => PracticePrefix + userId.ToString("N");

    public static string Progression(Guid userId) => ProgressionPrefix + userId.ToString("N");

    /// <summary>The owner and kind of an account stream, or false for any other stream.</summary>
    public static bool TryParseAccount(string streamId, out Guid owner, out AccountKind kind)
    {
        kind = AccountKind.Practice;
        owner = Guid.Empty;
        return streamId.StartsWith(PracticePrefix, StringComparison.Ordinal)
               && Guid.TryParseExact(streamId.AsSpan(PracticePrefix.Length), "N", out owner);
    }

    public static bool TryParseProgression(string streamId, out Guid userId) =>
        TryParse(streamId, ProgressionPrefix, out userId);

    public static bool TryParseUser(string streamId, out Guid userId) => TryParse(streamId, UserPrefix, out userId);

    private static bool TryParse(string streamId, string prefix, out Guid id)
    {
        id = Guid.Empty;
        return streamId.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParseExact(streamId.AsSpan(prefix.Length), "N", out id);
    }
}
