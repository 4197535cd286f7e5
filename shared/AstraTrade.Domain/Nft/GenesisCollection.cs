namespace AstraTrade.Domain.Nft;

/// <summary>
/// One kind of Genesis NFT: the achievement it commemorates, its fixed number (part of every token id of that kind, so
/// never renumber), and the words its metadata shows.
/// </summary>
public sealed record GenesisKind(string AchievementId, int Number, string Title, string Description);

/// <summary>The Genesis collection (DOMAIN.md §6): an ERC-721 token for each of these achievements, one per user.</summary>
public static class GenesisCollection
{
    public const string Name = "AstraTrade Genesis";

    /// <summary>In number order. Numbers are stored on chain inside token ids: append new kinds, never reorder.</summary>
    public static IReadOnlyList<GenesisKind> Kinds { get; } =
    [
        new("FIRST_TRADE", 1, "First Trade", "Closed a first qualifying trade on AstraTrade."),
        new("LEVEL_10", 2, "Level 10", "Reached level 10 on AstraTrade."),
        new("LEVEL_25", 3, "Level 25", "Reached level 25 on AstraTrade."),
        new("LEVEL_50", 4, "Level 50", "Reached level 50 on AstraTrade."),
        new("LEVEL_100", 5, "Level 100", "Reached level 100, the top of AstraTrade's ladder."),
        new("TOURNAMENT_CHAMPION", 6, "Tournament Champion", "Won first place in an AstraTrade tournament."),
        new("CONSTELLATION_FOUNDER", 7, "Constellation Founder", "Founded an AstraTrade constellation that reached five members."),
    ];

    /// <summary>The kind for this achievement id (exact, case-sensitive), or null for an achievement without an NFT.</summary>
    public static GenesisKind? Find(string? achievementId) =>
        Kinds.FirstOrDefault(k => string.Equals(k.AchievementId, achievementId, StringComparison.Ordinal));

    public static GenesisKind? FindByNumber(int number) => Kinds.FirstOrDefault(k => k.Number == number);
}
