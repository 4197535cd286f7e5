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

    /// <summary>Records a qualifying activity on <paramref name="day"/>; true when it is the first of a new day.</summary>
    public bool AdvanceStreak(DateOnly day, DateTimeOffset at)
    {
        if (Streaks.After(State.Streak, State.LastActivityDay, day) is not { } streak)
        {
            return false;
        }

        Emit(new StreakUpdated(streak, day, at));
        return true;
    }

    /// <summary>The streak bonus uses the streak as already updated for the day.</summary>
    public void AwardStreakBonus(string? reference, DateOnly day, DateTimeOffset at) =>
        Award(rules.StreakBonusXpPerDay * Math.Min(State.Streak, rules.StreakBonusMaxDays), XpReason.StreakBonus, reference, day, at);

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
