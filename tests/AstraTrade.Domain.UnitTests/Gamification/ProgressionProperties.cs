using AstraTrade.Domain.Gamification;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class ProgressionProperties
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(200);

    private static readonly XpReason[] TradingReasons = [XpReason.QualifyingClose, XpReason.StreakBonus, XpReason.Liquidation];

    [Fact]
    public void Xp_and_level_never_decrease() => Check(sequence =>
    {
        var states = Run(sequence.Rules, sequence.Commands).States;

        return states.Zip(states.Skip(1)).All(p => p.Second.Xp >= p.First.Xp && p.Second.Level >= p.First.Level);
    });

    [Fact]
    public void Level_is_the_curve_of_xp_and_each_level_is_reached_once_in_order() => Check(sequence =>
    {
        var run = Run(sequence.Rules, sequence.Commands);

        return run.States.All(s => s.Level == Math.Min(100, (int)Math.Sqrt(s.Xp / 100) + 1))
            && run.Events.OfType<LevelReached>().Select(e => e.Level).SequenceEqual(Enumerable.Range(2, run.Final.Level - 1));
    });

    [Fact]
    public void Xp_is_the_sum_of_xp_awarded_and_shards_the_sum_of_achievement_shards() => Check(sequence =>
    {
        var run = Run(sequence.Rules, sequence.Commands);

        return run.Final.Xp == run.Events.OfType<XpAwarded>().Sum(e => e.Amount)
            && run.Final.Shards == run.Events.OfType<AchievementUnlocked>().Sum(e => e.Shards);
    });

    [Fact]
    public void No_achievement_unlocks_twice() => Check(sequence =>
    {
        var run = Run(sequence.Rules, sequence.Commands);
        var unlocked = run.Events.Unlocked().ToList();

        return unlocked.Distinct().Count() == unlocked.Count && unlocked.Order(StringComparer.Ordinal).SequenceEqual(run.Final.UnlockedAchievements.Keys);
    });

    [Fact]
    public void Trading_xp_per_utc_day_stays_within_the_cap() => Check(sequence =>
        Run(sequence.Rules, sequence.Commands).Events
            .OfType<XpAwarded>()
            .Where(e => TradingReasons.Contains(e.Reason))
            .GroupBy(e => e.Day)
            .All(day => day.Sum(e => e.Amount) <= sequence.Rules.DailyTradingXpCap));

    [Fact]
    public void Redelivered_feed_commands_change_nothing() => Check(sequence =>
    {
        var once = Run(sequence.Rules, sequence.Commands);
        var redelivered = Run(sequence.Rules, sequence.WithRedeliveries());

        return Json.Of(once.Final) == Json.Of(redelivered.Final) && once.Events.SequenceEqual(redelivered.Events);
    });

    [Fact]
    public void Folding_the_emitted_events_from_initial_reproduces_the_state() => Check(sequence =>
    {
        var run = Run(sequence.Rules, sequence.WithRedeliveries());

        return Json.Of(Progression.Fold(ProgressionState.Initial, run.Events)) == Json.Of(run.Final);
    });

    [Fact]
    public void Best_streak_is_never_below_the_streak() => Check(sequence =>
        Run(sequence.Rules, sequence.Commands).States.All(s => s.BestStreak >= s.Streak));

    [Fact]
    public void Streak_moves_once_per_new_day_by_one_or_back_to_one() => Check(sequence =>
    {
        var updates = Run(sequence.Rules, sequence.Commands).Events.OfType<StreakUpdated>().ToList();

        return updates.Zip(updates.Skip(1)).All(p =>
            p.Second.Day > p.First.Day
            && p.Second.Streak == (p.Second.Day == p.First.Day.AddDays(1) ? p.First.Streak + 1 : 1));
    });

    private static void Check(Func<CommandSequence, bool> property) =>
        Prop.ForAll(CommandSequence.Arbitrary, property).Check(Config);

    private static (ProgressionState Final, IReadOnlyList<IProgressionEvent> Events, IReadOnlyList<ProgressionState> States) Run(
        GamificationRules rules,
        IEnumerable<ProgressionCommand> commands)
    {
        var scenario = new Scenario(rules);
        List<ProgressionState> states = [scenario.State];
        foreach (var command in commands)
        {
            scenario.Try(command);
            states.Add(scenario.State);
        }

        return (scenario.State, scenario.History, states);
    }
}
