namespace AstraTrade.Contracts.Events;

/// <summary>A user reached <paramref name="Level"/> (DOMAIN.md §2): one event per level, in ascending order, even when
/// one award crossed several. CloudEvents type <see cref="IntegrationEventTypes.LevelReached"/>; subject
/// <c>users/{userId:N}</c>.</summary>
public sealed record LevelReachedV1(Guid UserId, int Level, DateTimeOffset ReachedAt);
