namespace AstraTrade.Contracts.Events;

/// <summary>A user unlocked an achievement (DOMAIN.md §2). CloudEvents type
/// <see cref="IntegrationEventTypes.AchievementUnlocked"/>; subject <c>users/{userId:N}</c>.
/// The NFT context mints Genesis NFTs and records achievements on chain from it.</summary>
public sealed record AchievementUnlockedV1(Guid UserId, string AchievementId, DateTimeOffset UnlockedAt);
