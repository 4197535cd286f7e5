using System.Collections.Immutable;

namespace AstraTrade.Domain.Gamification;

/// <summary>
/// A user's progression, as folded from the stream by <see cref="Progression.Evolve"/>. Sorted, ordinal
/// collections so that equal histories give identical snapshots.
/// </summary>
public sealed record ProgressionState
{
    /// <summary>
    /// How many UTC days of trading XP the state keeps, counting back from the newest: a late delivery for an
    /// older day can no longer be checked against its cap. A property of the stored state, not a rule, because
    /// Evolve prunes without rules (see <see cref="GamificationRules"/>). A week covers any realistic redelivery.
    /// </summary>
    public const int TradingXpDaysKept = 7;

    public static ProgressionState Initial { get; } = new();

    public long Xp { get; init; }

    /// <summary>Derived from <see cref="Xp"/> by the curve, so the two can never disagree.</summary>
    public int Level => Levels.ForXp(Xp);

    public int Streak { get; init; }

    public int BestStreak { get; init; }

    /// <summary>The UTC day of the latest qualifying activity (close or check-in); the streak is counted up to it.</summary>
    public DateOnly? LastActivityDay { get; init; }

    public DateOnly? LastCheckInDay { get; init; }

    public int QualifyingCloses { get; init; }

    /// <summary>Qualifying closes with realized PnL &gt; 0.</summary>
    public int ProfitableCloses { get; init; }

    public int Liquidations { get; init; }

    /// <summary>Achievement id → when it unlocked.</summary>
    public ImmutableSortedDictionary<string, DateTimeOffset> UnlockedAchievements { get; init; } =
        ImmutableSortedDictionary.Create<string, DateTimeOffset>(StringComparer.Ordinal);

    /// <summary>Stellar Shards earned by achievements.</summary>
    public long Shards { get; init; }

    /// <summary>Trading XP granted per UTC day, for the last <see cref="TradingXpDaysKept"/> days.</summary>
    public ImmutableSortedDictionary<DateOnly, long> TradingXpByDay { get; init; } = ImmutableSortedDictionary<DateOnly, long>.Empty;

    /// <summary>Feed source stream → highest SourceVersion applied; anything at or below it is a redelivery.</summary>
    public ImmutableSortedDictionary<string, long> AppliedSourceVersions { get; init; } =
        ImmutableSortedDictionary.Create<string, long>(StringComparer.Ordinal);

    /// <summary>Total XP threshold of the next level; null at the top level.</summary>
    /// <summary>Entry fees paid, by tournament id, and whether each was returned.</summary>
    public ImmutableSortedDictionary<string, PaidEntryFee> EntryFees { get; init; } =
        ImmutableSortedDictionary.Create<string, PaidEntryFee>(StringComparer.Ordinal);

    public long? XpForNextLevel => Levels.XpForNextLevel(Level);

    /// <summary>The highest leverage this user's level allows (markets may cap it lower).</summary>
    public int MaxLeverage => Levels.MaxLeverage(Level);

    /// <summary>The streak to display on <paramref name="today"/>: 0 once it is broken.</summary>
    public int StreakAsOf(DateOnly today) => Streaks.AsOf(Streak, LastActivityDay, today);
}

public sealed record PaidEntryFee(long Amount, bool Returned);
