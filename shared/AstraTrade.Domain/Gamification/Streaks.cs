namespace AstraTrade.Domain.Gamification;

/// <summary>Streak arithmetic in UTC calendar days of qualifying activity (qualifying closes and check-ins).</summary>
internal static class Streaks
{
    /// <summary>
    /// The streak after a qualifying activity on <paramref name="day"/>, or null when that day starts nothing:
    /// the same day as the last activity (unchanged), or an earlier day. An earlier day is a late delivery
    /// (team choice 2): it neither rewrites streak history nor earns the streak bonus.
    /// </summary>
    public static int? After(int streak, DateOnly? lastActivityDay, DateOnly day) => lastActivityDay switch
    {
        null => 1,
        { } last when day <= last => null,
        { } last when day == last.AddDays(1) => streak + 1,
        _ => 1,
    };

    /// <summary>
    /// The streak shown on <paramref name="today"/> (team choice 3): the stored streak while it can still be
    /// continued (last activity today or yesterday), 0 once a whole day has been missed, because the next
    /// activity will restart it at 1.
    /// </summary>
    public static int AsOf(int streak, DateOnly? lastActivityDay, DateOnly today) =>
        lastActivityDay is { } last && last >= today.AddDays(-1) ? streak : 0;
}
