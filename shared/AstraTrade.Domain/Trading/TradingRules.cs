namespace AstraTrade.Domain.Trading;

/// <summary>The trading numbers of DOMAIN.md §1 that are not per market. The application binds them from
/// configuration; these defaults are the canonical values.</summary>
public sealed record TradingRules
{
    public decimal PracticeStartingBalance { get; init; } = 10_000m;

    public decimal TournamentStartingBalance { get; init; } = 100_000m;

    public TimeSpan PracticeResetCooldown { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Full practice spread; a fill pays half of it.</summary>
    public decimal Spread { get; init; } = 0.0002m;

    public int MaxOpenPositions { get; init; } = 20;

    public TimeSpan MaxMarkPriceAge { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Hourly funding rates beyond this magnitude are clamped.</summary>
    public decimal MaxFundingRate { get; init; } = 0.001m;

    /// <summary>How long an Idempotency-Key is remembered, and at most how many per account (oldest forgotten first).
    /// At the 60 orders/minute limit, 1,000 keys cover more than 16 minutes of continuous ordering.</summary>
    public TimeSpan IdempotencyWindow { get; init; } = TimeSpan.FromHours(24);

    public int IdempotencyCapacity { get; init; } = 1_000;

    /// <summary>Closed position ids remembered so that closing one twice says "already closed", not "not found".</summary>
    public int RecentlyClosedCapacity { get; init; } = 1_000;

    /// <summary>A live account holds no money of ours (the exchange does), so it starts, and stays, at zero.</summary>
    public decimal StartingBalanceFor(AccountKind kind) => kind switch
    {
        AccountKind.Tournament => TournamentStartingBalance,
        AccountKind.Live => 0m,
        _ => PracticeStartingBalance,
    };

    public static TradingRules Default { get; } = new();
}
