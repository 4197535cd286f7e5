using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Gamification;

/// <summary>
/// The events of one decision, applied with <see cref="Progression.Evolve"/> as they are emitted, so each rule
/// sees the consequences of the previous ones and Decide can never disagree with Evolve.
/// </summary>
internal sealed class DecisionInProgress(ProgressionState state, GamificationRules rules)
{
    private readonly List<IProgressionEvent> _events = [];

    public ProgressionState State { get; private set; } = state;

    public void Emit(IProgressionEvent e)
    {
        _events.Add(e);
        State = Progression.Evolve(State, e);
    }

    /// <summary>
    /// A qualifying activity (close or check-in) on <paramref name="day"/>: the first of a new day advances the
    /// streak, then the activity earns its own XP (which may depend on that streak), then, on a new day, the streak
    /// bonus for the streak as updated. The activity's own XP goes under the daily cap before its streak bonus.
    /// </summary>
    public void QualifyingActivity(Func<int, long> xpForStreak, XpReason reason, string? reference, DateOnly day, DateTimeOffset at)
    {
        var streak = Streaks.After(State.Streak, State.LastActivityDay, day);
        if (streak is not null)
        {
            Emit(new StreakUpdated(streak.Value, day, at));
        }

        Award(xpForStreak(State.Streak), reason, reference, day, at);
        if (streak is not null)
        {
            Award(rules.StreakBonusXpPerDay * Math.Min(streak.Value, rules.StreakBonusMaxDays), XpReason.StreakBonus, reference, day, at);
        }
    }

    /// <summary>Awards <paramref name="nominal"/> XP, through the daily cap if it is trading XP, then the levels it reaches.</summary>
    public void Award(long nominal, XpReason reason, string? reference, DateOnly day, DateTimeOffset at)
    {
        if (nominal <= 0)
        {
            return;
        }

        var (granted, cut) = DailyTradingXp.IsCapped(reason)
            ? DailyTradingXp.Split(State, day, nominal, rules.DailyTradingXpCap)
            : (nominal, 0);
        var levelBefore = State.Level;
        Emit(new XpAwarded(granted, cut, reason, reference, day, at));
        for (var level = levelBefore + 1; level <= State.Level; level++)
        {
            Emit(new LevelReached(level, at));
        }
    }

    public void Unlock(Achievement achievement, string reason, DateTimeOffset at)
    {
        Emit(new AchievementUnlocked(achievement.Id, achievement.BonusXp, Achievements.ShardsFor(achievement.BonusXp, rules), reason, at));
        Award(achievement.BonusXp, XpReason.Achievement, achievement.Id, UtcDay.Of(at), at);
    }

    /// <summary>
    /// Unlocks every achievement whose condition now holds, first in table order, one at a time: each one's bonus
    /// XP may reach levels that earn the next (e.g. PROFIT_MASTER's XP reaching LEVEL_10), until none is left.
    /// </summary>
    public Decision<IProgressionEvent> Complete(DateTimeOffset at)
    {
        var table = Achievements.Table(rules);
        while (table.FirstOrDefault(IsNewlyEarned) is { } achievement)
        {
            Unlock(achievement, achievement.Condition, at);
        }

        return Decision<IProgressionEvent>.Accept([.. _events]);
    }

    private bool IsNewlyEarned(Achievement achievement) =>
        achievement.IsEarned is { } isEarned && !State.UnlockedAchievements.ContainsKey(achievement.Id) && isEarned(State);
}
