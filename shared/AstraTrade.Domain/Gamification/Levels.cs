namespace AstraTrade.Domain.Gamification;

/// <summary>
/// The level curve (level n needs 100 × (n − 1)² XP, at most level 100) and the leverage a level unlocks
/// (DOMAIN.md §1: min(10 + 5 × (level − 1), 100), so level 19 unlocks 100×).
/// </summary>
/// <remarks>
/// Constants rather than <see cref="GamificationRules"/>: a level is derived from stored XP without rules,
/// and a level (with the LEVEL_n achievements and the leverage Trading grants) must not change meaning when
/// configuration changes. Integer arithmetic only, so every node computes the same level for the same XP.
/// </remarks>
public static class Levels
{
    public const int Max = 100;

    private const long XpPerSquaredLevel = 100;
    private const int BaseLeverage = 10;
    private const int LeveragePerLevel = 5;
    private const int LeverageCap = 100;

    /// <summary>Total XP needed to reach <paramref name="level"/> (1 ≤ level ≤ <see cref="Max"/>).</summary>
    public static long XpRequired(int level)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, Max);
        long steps = level - 1;
        return XpPerSquaredLevel * steps * steps;
    }

    /// <summary>min(100, ⌊√(xp / 100)⌋ + 1): the highest level whose threshold <paramref name="xp"/> reaches.</summary>
    public static int ForXp(long xp)
    {
        var level = 1;
        while (level < Max && XpRequired(level + 1) <= xp)
        {
            level++;
        }

        return level;
    }

    /// <summary>Total XP threshold of the level after <paramref name="level"/>; null at the top level.</summary>
    public static long? XpForNextLevel(int level) => level >= Max ? null : XpRequired(level + 1);

    public static int MaxLeverage(int level) => Math.Min(BaseLeverage + LeveragePerLevel * (level - 1), LeverageCap);
}
