namespace AstraTrade.Contracts.Events;

/// <summary>
/// The CloudEvents <c>subject</c> of integration events: what the event is about, so that an Event Grid subscription
/// can filter with <c>subjectBeginsWith</c> (e.g. one user's events) without reading the data.
/// </summary>
public static class IntegrationEventSubjects
{
    /// <summary><c>users/{userId:N}</c>: events about one user (achievements, levels, their positions).</summary>
    public static string User(Guid userId) => "users/" + userId.ToString("N");

    /// <summary><c>tournaments/{tournamentId}</c>: events about one tournament.</summary>
    public static string Tournament(string tournamentId) => "tournaments/" + tournamentId;
}
