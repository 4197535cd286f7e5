using AstraTrade.Domain.Common;
using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

/// <summary>
/// A user's progression driven command by command, the way the application drives it: decide, then evolve the
/// accepted events. Feed commands get consecutive versions of one source stream unless a test says otherwise.
/// </summary>
internal sealed class Scenario(GamificationRules? rules = null, ProgressionState? state = null)
{
    public const string Stream = "account-1";

    private long _nextVersion = 1;

    public GamificationRules Rules { get; } = rules ?? GamificationRules.Default;

    public ProgressionState State { get; private set; } = state ?? ProgressionState.Initial;

    public List<IProgressionEvent> History { get; } = [];

    public Decision<IProgressionEvent> Try(ProgressionCommand command)
    {
        var decision = Progression.Decide(State, command, Rules);
        if (!decision.IsRejected)
        {
            History.AddRange(decision.Events);
            State = Progression.Fold(State, decision.Events);
        }

        return decision;
    }

    public IReadOnlyList<IProgressionEvent> Execute(ProgressionCommand command)
    {
        var decision = Try(command);
        Assert.False(decision.IsRejected, decision.Error?.ToString());
        return decision.Events;
    }

    public RecordClose NextClose(
        DateTimeOffset closedAt,
        decimal pnl = 0m,
        TradingVenue venue = TradingVenue.Practice,
        TimeSpan? hold = null,
        decimal notional = 100m)
    {
        var version = _nextVersion++;
        return new(Stream, version, $"position-{version}", venue, closedAt - (hold ?? TimeSpan.FromMinutes(5)), closedAt, notional, pnl);
    }

    public IReadOnlyList<IProgressionEvent> Close(
        DateTimeOffset closedAt,
        decimal pnl = 0m,
        TradingVenue venue = TradingVenue.Practice,
        TimeSpan? hold = null,
        decimal notional = 100m) =>
        Execute(NextClose(closedAt, pnl, venue, hold, notional));

    public IReadOnlyList<IProgressionEvent> Liquidate(DateTimeOffset at)
    {
        var version = _nextVersion++;
        return Execute(new RecordLiquidation(Stream, version, $"position-{version}", at));
    }

    public IReadOnlyList<IProgressionEvent> CheckIn(DateTimeOffset now) => Execute(new CheckIn(now));
}

internal static class At
{
    public static DateTimeOffset Utc(int year, int month, int day, int hour = 12, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    public static DateTimeOffset Day(int n, int hour = 12) => Utc(2026, 3, 1, hour).AddDays(n - 1);

    public static DateOnly DateOf(int n) => UtcDay.Of(Day(n));
}

internal static class ProgressionEventsExtensions
{
    public static IEnumerable<XpAwarded> Xp(this IEnumerable<IProgressionEvent> events, XpReason reason) =>
        events.OfType<XpAwarded>().Where(e => e.Reason == reason);

    /// <summary>The one award for <paramref name="reason"/>: what was granted and what the cap cut.</summary>
    public static (long Amount, long CutByCap) Award(this IEnumerable<IProgressionEvent> events, XpReason reason)
    {
        var award = Assert.Single(events.Xp(reason));
        return (award.Amount, award.CutByCap);
    }

    public static long Granted(this IEnumerable<IProgressionEvent> events, XpReason reason) =>
        events.Xp(reason).Sum(e => e.Amount);

    public static IEnumerable<string> Unlocked(this IEnumerable<IProgressionEvent> events) =>
        events.OfType<AchievementUnlocked>().Select(e => e.AchievementId);
}
