namespace AstraTrade.Contracts.Events;

/// <summary>
/// The CloudEvents <c>source</c> of integration events: the bounded context that published them. An event's
/// <c>id</c> is unique within its source; consumers deduplicate by <c>id</c>, which is unique across all of them.
/// </summary>
public static class IntegrationEventSources
{
    public const string Gamification = "/astratrade/gamification";

    public const string Trading = "/astratrade/trading";

    public const string Tournaments = "/astratrade/tournaments";
}
