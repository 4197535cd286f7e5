using System.Collections.Immutable;

namespace AstraTrade.Domain.Gamification;

/// <summary>The daily trading-XP cap, and the per-day totals the state keeps to enforce it.</summary>
internal static class DailyTradingXp
{
    /// <summary>
    /// Closes and their streak bonus are trading XP (DOMAIN.md §2). Liquidations count too (team choice 1):
    /// otherwise tiny liquidated positions would farm uncapped XP. Check-in and achievement XP are not capped.
    /// </summary>
    public static bool IsCapped(XpReason reason) =>
        reason is XpReason.QualifyingClose or XpReason.StreakBonus or XpReason.Liquidation;

    /// <summary>
    /// Splits <paramref name="nominal"/> XP earned on <paramref name="day"/> into what the cap lets through and
    /// what it cuts. A partly used cap grants the remainder (team choice 4). A day older than the state still
    /// tracks cannot be checked, so nothing is granted rather than risk exceeding its cap.
    /// </summary>
    public static (long Granted, long Cut) Split(ProgressionState state, DateOnly day, long nominal, long cap)
    {
        if (!IsTracked(state.TradingXpByDay, day))
        {
            return (0, nominal);
        }

        var room = Math.Max(0, cap - state.TradingXpByDay.GetValueOrDefault(day));
        var granted = Math.Min(nominal, room);
        return (granted, nominal - granted);
    }

    /// <summary>Adds <paramref name="amount"/> to <paramref name="day"/> and forgets days no longer tracked.</summary>
    public static ImmutableSortedDictionary<DateOnly, long> Add(ImmutableSortedDictionary<DateOnly, long> byDay, DateOnly day, long amount)
    {
        var added = byDay.SetItem(day, byDay.GetValueOrDefault(day) + amount);
        var oldestKept = Oldest(added);
        return added.RemoveRange(added.Keys.TakeWhile(d => d < oldestKept));
    }

    private static bool IsTracked(ImmutableSortedDictionary<DateOnly, long> byDay, DateOnly day) =>
        byDay.IsEmpty || day >= Oldest(byDay);

    private static DateOnly Oldest(ImmutableSortedDictionary<DateOnly, long> byDay) =>
        byDay.Keys.Last().AddDays(1 - ProgressionState.TradingXpDaysKept);
}
