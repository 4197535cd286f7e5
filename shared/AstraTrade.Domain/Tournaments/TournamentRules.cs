namespace AstraTrade.Domain.Tournaments;

/// <summary>
/// The numbers of the tournament rules (DOMAIN.md §3), bound from configuration by the app; the defaults are the
/// canonical values. Only <see cref="Tournament.Decide"/> of a create command reads them: every number that decides a
/// tournament's outcome is copied into its <see cref="TournamentTerms"/> when it is created, so a configuration change
/// never alters a tournament already announced, and <see cref="Tournament.Evolve"/> needs no rules.
/// </summary>
public sealed record TournamentRules
{
    public static TournamentRules Default { get; } = new();

    /// <summary>Registration opens this long before the start (exactly at start − lead, inclusive).</summary>
    public TimeSpan RegistrationLead { get; init; } = TimeSpan.FromHours(24);

    /// <summary>At the start, a tournament with fewer entries than this is cancelled and its fees refunded.</summary>
    public int MinPlayers { get; init; } = 3;

    /// <summary>Each entry's tournament account starts with this many USD. Must equal
    /// <see cref="Trading.TradingRules.TournamentStartingBalance"/>: bind both from one setting.</summary>
    public decimal StartingBalance { get; init; } = 100_000m;

    /// <summary>An entry qualifies for ranking and prizes with at least this many closed trades.</summary>
    public int MinClosedTrades { get; init; } = 3;

    /// <summary>Joining stays open while live until this percentage of the duration has passed (inclusive).</summary>
    public int LateJoinPercent { get; init; } = 50;

    /// <summary>Shares of the Stellar Shard pool for ranks 1, 2 and 3, in percent; they must add up to 100.</summary>
    public int FirstPrizePercent { get; init; } = 50;

    public int SecondPrizePercent { get; init; } = 30;

    public int ThirdPrizePercent { get; init; } = 20;

    public long FirstPlaceXp { get; init; } = 1_000;

    public long SecondPlaceXp { get; init; } = 500;

    public long ThirdPlaceXp { get; init; } = 250;

    /// <summary>Rank r is in the top band when r ≤ this percent of the qualified entries (r × 100 ≤ percent × n).</summary>
    public int TopBandPercent { get; init; } = 10;

    /// <summary>XP for a rank below the podium inside the top band.</summary>
    public long TopBandXp { get; init; } = 150;

    /// <summary>XP for every other qualified entry.</summary>
    public long QualifiedXp { get; init; } = 100;

    /// <summary>Upper bounds that keep every pool far from overflow.</summary>
    public long MaxEntryFee { get; init; } = 1_000_000;

    public long MaxSponsorAmount { get; init; } = 1_000_000_000;

    public int MaxNameLength { get; init; } = 80;

    public TimeSpan MinCustomDuration { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan MaxCustomDuration { get; init; } = TimeSpan.FromDays(31);

    /// <summary><see cref="TournamentSchedule.Upcoming"/> lists the daily and weekly windows starting within this
    /// horizon. 48 h: each daily exists a full day before its registration opens.</summary>
    public TimeSpan ScheduleHorizon { get; init; } = TimeSpan.FromHours(48);

    /// <summary>Terms of the scheduled (daily, weekly) tournaments.</summary>
    public long DailyEntryFee { get; init; }

    public long DailySponsorAmount { get; init; }

    public int? DailyMaxEntries { get; init; }

    public long WeeklyEntryFee { get; init; }

    public long WeeklySponsorAmount { get; init; }

    public int? WeeklyMaxEntries { get; init; }

    public PrizeTable PrizeTable() => new(
        FirstPrizePercent,
        SecondPrizePercent,
        ThirdPrizePercent,
        FirstPlaceXp,
        SecondPlaceXp,
        ThirdPlaceXp,
        TopBandPercent,
        TopBandXp,
        QualifiedXp);

    /// <summary>What is wrong with this configuration, or null. A tournament is never created under broken rules.</summary>
    public string? Problem() =>
        RegistrationLead < TimeSpan.Zero ? "RegistrationLead must not be negative."
        : MinPlayers < 1 ? "MinPlayers must be at least 1."
        : StartingBalance <= 0 ? "StartingBalance must be positive."
        : MinClosedTrades < 0 ? "MinClosedTrades must not be negative."
        : LateJoinPercent is < 0 or > 100 ? "LateJoinPercent must be from 0 to 100."
        : FirstPrizePercent <= 0 || SecondPrizePercent < 0 || ThirdPrizePercent < 0
          || FirstPrizePercent + SecondPrizePercent + ThirdPrizePercent != 100
            ? "Prize percentages must be non-negative, the first positive, and add up to 100."
        : FirstPlaceXp < 0 || SecondPlaceXp < 0 || ThirdPlaceXp < 0 || TopBandXp < 0 || QualifiedXp < 0 ? "XP awards must not be negative."
        : TopBandPercent is < 0 or > 100 ? "TopBandPercent must be from 0 to 100."
        : MaxEntryFee < 0 || MaxSponsorAmount < 0 ? "Maximum amounts must not be negative."
        : MinCustomDuration <= TimeSpan.Zero || MaxCustomDuration < MinCustomDuration ? "Custom durations must be positive and ordered."
        : null;
}

/// <summary>How a completed tournament pays, fixed at creation: Stellar Shard pool shares for ranks 1–3 (percent,
/// adding up to 100) and XP per rank band (DOMAIN.md §3).</summary>
public sealed record PrizeTable(
    int FirstPercent,
    int SecondPercent,
    int ThirdPercent,
    long FirstXp,
    long SecondXp,
    long ThirdXp,
    int TopBandPercent,
    long TopBandXp,
    long QualifiedXp);

/// <summary>
/// Everything that decides a tournament, fixed when it is created (rules included), so that a stored stream means
/// the same under every later configuration. Times are UTC. The join window is [<see cref="RegistrationOpensAt"/>,
/// <see cref="JoinClosesAt"/>]; the trading window is [<see cref="StartsAt"/>, <see cref="EndsAt"/>).
/// </summary>
public sealed record TournamentTerms(
    TournamentKind Kind,
    string Name,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    DateTimeOffset RegistrationOpensAt,
    DateTimeOffset JoinClosesAt,
    long EntryFee,
    long SponsorAmount,
    int? MaxEntries,
    decimal StartingBalance,
    int MinPlayers,
    int MinClosedTrades,
    PrizeTable Prizes)
{
    public TimeSpan Duration => EndsAt - StartsAt;
}
