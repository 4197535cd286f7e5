namespace AstraTrade.Contracts.Events;

/// <summary>
/// The CloudEvents 1.0 <c>type</c> of every integration event (ARCHITECTURE.md §4): reverse-DNS, the bounded context,
/// the past-tense fact, and a version. A breaking change to a payload is a new version, published beside the old one
/// until no consumer reads the old.
/// </summary>
public static class IntegrationEventTypes
{
    public const string AchievementUnlocked = "astratrade.gamification.achievement-unlocked.v1";
}
