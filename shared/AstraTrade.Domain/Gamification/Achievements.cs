namespace AstraTrade.Domain.Gamification;

/// <summary>
/// An achievement: unlocked at most once per user, earning <paramref name="BonusXp"/> (uncapped) and
/// Stellar Shards. <paramref name="OnChainBit"/> is its bit in the original on-chain contract's bitmask, if it had one.
/// </summary>
public sealed record Achievement(string Id, string Condition, long BonusXp, int? OnChainBit)
{
    /// <summary>The condition on the progression; null when another context decides it (see <see cref="UnlockAchievement"/>).</summary>
    internal Func<ProgressionState, bool>? IsEarned { get; init; }

    public bool IsDecidedElsewhere => IsEarned is null;
}

/// <summary>The achievement table (DOMAIN.md §2).</summary>
public static class Achievements
{
    public const string FirstTrade = "FIRST_TRADE";
    public const string TraderNovice = "TRADER_NOVICE";
    public const string TraderExpert = "TRADER_EXPERT";
    public const string WeekWarrior = "WEEK_WARRIOR";
    public const string ProfitMaster = "PROFIT_MASTER";
    public const string Level10 = "LEVEL_10";
    public const string Level25 = "LEVEL_25";
    public const string Level50 = "LEVEL_50";
    public const string Level100 = "LEVEL_100";
    public const string TournamentChampion = "TOURNAMENT_CHAMPION";
    public const string ConstellationFounder = "CONSTELLATION_FOUNDER";

    /// <summary>
    /// The table with <paramref name="rules"/>' numbers. Its order is the order in which one decision unlocks
    /// several achievements, so the events of a cascade are deterministic.
    /// </summary>
    public static IReadOnlyList<Achievement> Table(GamificationRules rules) =>
    [
        new(FirstTrade, "first qualifying close", rules.FirstTradeBonusXp, 0)
        {
            IsEarned = s => s.QualifyingCloses >= 1,
        },
        new(TraderNovice, $"{rules.TraderNoviceCloses} qualifying closes", rules.TraderNoviceBonusXp, 1)
        {
            IsEarned = s => s.QualifyingCloses >= rules.TraderNoviceCloses,
        },
        new(TraderExpert, $"{rules.TraderExpertCloses} qualifying closes", rules.TraderExpertBonusXp, 2)
        {
            IsEarned = s => s.QualifyingCloses >= rules.TraderExpertCloses,
        },
        new(WeekWarrior, $"streak of {rules.WeekWarriorStreakDays} days", rules.WeekWarriorBonusXp, 3)
        {
            IsEarned = s => s.Streak >= rules.WeekWarriorStreakDays,
        },
        new(
            ProfitMaster,
            $"{rules.ProfitMasterMinCloses} qualifying closes, {rules.ProfitMasterMinProfitablePercent}% of them profitable",
            rules.ProfitMasterBonusXp,
            4)
        {
            // Whole-number cross-multiplication: exactly 70 % qualifies, with no rounding.
            IsEarned = s => s.QualifyingCloses >= rules.ProfitMasterMinCloses
                && 100L * s.ProfitableCloses >= (long)rules.ProfitMasterMinProfitablePercent * s.QualifyingCloses,
        },
        LevelAchievement(Level10, 10),
        LevelAchievement(Level25, 25),
        LevelAchievement(Level50, 50),
        LevelAchievement(Level100, 100),
        new(TournamentChampion, "first place in a tournament", 0, null),
        new(ConstellationFounder, "founded a constellation that reached 5 members", 0, null),
    ];

    /// <summary>The achievement with this id (exact, case-sensitive), or null.</summary>
    public static Achievement? Find(string id, GamificationRules rules) =>
        Table(rules).FirstOrDefault(a => string.Equals(a.Id, id, StringComparison.Ordinal));

    /// <summary>Stellar Shards for <paramref name="bonusXp"/> achievement XP, rounded down so shards are never over-granted.</summary>
    public static long ShardsFor(long bonusXp, GamificationRules rules) => bonusXp / rules.XpPerShard;

    private static Achievement LevelAchievement(string id, int level) =>
        new(id, $"level {level} reached", 0, null) { IsEarned = s => s.Level >= level };
}
