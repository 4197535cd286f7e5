namespace AstraTrade.Domain.Gamification;

/// <summary>
/// The numbers of the gamification rules (DOMAIN.md §2), bound from configuration by the app; the defaults
/// are the canonical values. The decider receives them with every command and never reads configuration itself.
/// </summary>
/// <remarks>
/// Two sets of numbers are deliberately not here, because <see cref="Progression.Evolve"/> rebuilds state
/// without rules and a stored stream must mean the same thing under every configuration: the level curve and
/// leverage unlock (<see cref="Levels"/>) and how many days of trading XP the state remembers for late
/// deliveries (<see cref="ProgressionState.TradingXpDaysKept"/>).
/// </remarks>
public sealed record GamificationRules
{
    public static GamificationRules Default { get; } = new();

    /// <summary>A close qualifies only if the position was held at least this long (closed − opened).</summary>
    public TimeSpan MinimumHold { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A close qualifies only if the position's notional (USD) is at least this.</summary>
    public decimal MinimumNotional { get; init; } = 10m;

    /// <summary>XP for a qualifying close with virtual money (practice or tournament account).</summary>
    public long VirtualCloseXp { get; init; } = 50;

    public long LiveCloseXp { get; init; } = 100;

    /// <summary>Added to a qualifying close whose realized PnL is strictly positive.</summary>
    public long ProfitableCloseBonusXp { get; init; } = 25;

    public long LiquidationXp { get; init; } = 10;

    public long CheckInXp { get; init; } = 25;

    /// <summary>Check-in bonus from this streak on, until <see cref="CheckInLongStreakDays"/> replaces it.</summary>
    public int CheckInStreakDays { get; init; } = 3;

    public long CheckInStreakBonusXp { get; init; } = 25;

    /// <summary>Check-in bonus from this streak on (instead of, not on top of, the shorter streak's bonus).</summary>
    public int CheckInLongStreakDays { get; init; } = 7;

    public long CheckInLongStreakBonusXp { get; init; } = 50;

    /// <summary>The first qualifying activity of a day earns this × min(streak, <see cref="StreakBonusMaxDays"/>).</summary>
    public long StreakBonusXpPerDay { get; init; } = 10;

    public int StreakBonusMaxDays { get; init; } = 30;

    /// <summary>Most trading XP (closes, liquidations, streak bonus) a user can earn per UTC day.</summary>
    public long DailyTradingXpCap { get; init; } = 2_000;

    /// <summary>Stellar Shards: one per this much achievement bonus XP (rounded down).</summary>
    public long XpPerShard { get; init; } = 10;

    public long FirstTradeBonusXp { get; init; } = 100;

    public int TraderNoviceCloses { get; init; } = 10;

    public long TraderNoviceBonusXp { get; init; } = 250;

    public int TraderExpertCloses { get; init; } = 100;

    public long TraderExpertBonusXp { get; init; } = 500;

    public int WeekWarriorStreakDays { get; init; } = 7;

    public long WeekWarriorBonusXp { get; init; } = 300;

    public int ProfitMasterMinCloses { get; init; } = 10;

    /// <summary>Whole percent of qualifying closes that must be profitable (realized PnL &gt; 0).</summary>
    public int ProfitMasterMinProfitablePercent { get; init; } = 70;

    public long ProfitMasterBonusXp { get; init; } = 750;
}
