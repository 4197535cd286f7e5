using System.Collections.Immutable;
using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class AchievementTests
{
    private static readonly GamificationRules Rules = GamificationRules.Default;

    [Fact]
    public void Table_has_the_canonical_bonus_xp_and_on_chain_bits()
    {
        var table = Achievements.Table(Rules).Select(a => (a.Id, a.BonusXp, a.OnChainBit, a.IsDecidedElsewhere));

        Assert.Equal(
            [
                ("FIRST_TRADE", 100L, (int?)0, false),
                ("TRADER_NOVICE", 250L, 1, false),
                ("TRADER_EXPERT", 500L, 2, false),
                ("WEEK_WARRIOR", 300L, 3, false),
                ("PROFIT_MASTER", 750L, 4, false),
                ("LEVEL_10", 0L, null, false),
                ("LEVEL_25", 0L, null, false),
                ("LEVEL_50", 0L, null, false),
                ("LEVEL_100", 0L, null, false),
                ("TOURNAMENT_CHAMPION", 0L, null, true),
                ("CONSTELLATION_FOUNDER", 0L, null, true),
            ],
            table);
    }

    [Fact]
    public void First_qualifying_close_unlocks_FIRST_TRADE_with_100_xp_and_10_shards()
    {
        var scenario = new Scenario();

        var events = scenario.Close(At.Day(1));

        var unlocked = Assert.Single(events.OfType<AchievementUnlocked>());
        Assert.Equal(new AchievementUnlocked(Achievements.FirstTrade, 100, 10, "first qualifying close", At.Day(1)), unlocked);
        Assert.Contains(new XpAwarded(100, 0, XpReason.Achievement, Achievements.FirstTrade, At.DateOf(1), At.Day(1)), events);
        Assert.Equal((10L, At.Day(1)), (scenario.State.Shards, scenario.State.UnlockedAchievements[Achievements.FirstTrade]));
        Assert.Empty(scenario.Close(At.Day(1)).Unlocked());
    }

    [Fact]
    public void Liquidations_and_non_qualifying_closes_unlock_nothing()
    {
        var scenario = new Scenario();

        scenario.Liquidate(At.Day(1));
        scenario.Close(At.Day(1), hold: TimeSpan.FromSeconds(59));

        Assert.Empty(scenario.History.Unlocked());
    }

    [Fact]
    public void Tenth_qualifying_close_unlocks_TRADER_NOVICE()
    {
        var scenario = new Scenario(state: Closed(8));

        Assert.Empty(scenario.Close(At.Day(1)).Unlocked());
        var events = scenario.Close(At.Day(1));

        Assert.Equal([Achievements.TraderNovice], events.Unlocked());
        Assert.Equal(250, events.Granted(XpReason.Achievement));
        Assert.Equal(25, scenario.State.Shards);
    }

    [Fact]
    public void Hundredth_qualifying_close_unlocks_TRADER_EXPERT()
    {
        var scenario = new Scenario(state: Closed(98, unlocked: [Achievements.FirstTrade, Achievements.TraderNovice]));

        Assert.Empty(scenario.Close(At.Day(1)).Unlocked());
        var events = scenario.Close(At.Day(1));

        Assert.Equal([Achievements.TraderExpert], events.Unlocked());
        Assert.Equal(500, events.Granted(XpReason.Achievement));
        Assert.Equal(50, scenario.State.Shards);
    }

    [Fact]
    public void Seven_day_streak_unlocks_WEEK_WARRIOR()
    {
        var scenario = new Scenario();

        var unlockedByDay = Enumerable.Range(1, 8).Select(day => scenario.CheckIn(At.Day(day)).Unlocked().ToList()).ToList();

        Assert.All(unlockedByDay.Take(6), Assert.Empty);
        Assert.Equal([Achievements.WeekWarrior], unlockedByDay[6]);
        Assert.Empty(unlockedByDay[7]);
        Assert.Equal(30, scenario.State.Shards);
    }

    [Fact]
    public void Ten_closes_exactly_70_percent_profitable_unlock_PROFIT_MASTER()
    {
        var scenario = new Scenario(state: Closed(9, profitable: 6));

        var events = scenario.Close(At.Day(1), pnl: 1m);

        Assert.Equal([Achievements.TraderNovice, Achievements.ProfitMaster], events.Unlocked());
        Assert.Contains(new XpAwarded(750, 0, XpReason.Achievement, Achievements.ProfitMaster, At.DateOf(1), At.Day(1)), events);
        Assert.Equal(25 + 75, scenario.State.Shards);
    }

    [Fact]
    public void PROFIT_MASTER_needs_70_percent_and_unlocks_once_the_ratio_gets_there()
    {
        var scenario = new Scenario(state: Closed(9, profitable: 6));

        Assert.DoesNotContain(Achievements.ProfitMaster, scenario.Close(At.Day(1), pnl: 0m).Unlocked());
        foreach (var _ in Enumerable.Range(0, 3))
        {
            // 7 of 11, 8 of 12, then 9 of 13 (69.2 %).
            Assert.DoesNotContain(Achievements.ProfitMaster, scenario.Close(At.Day(1), pnl: 1m).Unlocked());
        }

        Assert.Contains(Achievements.ProfitMaster, scenario.Close(At.Day(1), pnl: 1m).Unlocked());
    }

    [Fact]
    public void PROFIT_MASTER_needs_10_closes_even_when_all_are_profitable()
    {
        var scenario = new Scenario(state: Closed(8, profitable: 8));

        Assert.DoesNotContain(Achievements.ProfitMaster, scenario.Close(At.Day(1), pnl: 1m).Unlocked());
        Assert.Contains(Achievements.ProfitMaster, scenario.Close(At.Day(1), pnl: 1m).Unlocked());
    }

    [Fact]
    public void PROFIT_MASTER_bonus_reaching_level_10_unlocks_LEVEL_10_in_the_same_decision()
    {
        var scenario = new Scenario(state: Closed(9, profitable: 7) with { Xp = 7_000 });
        var at = At.Day(1);
        var day = At.DateOf(1);
        var close = scenario.NextClose(at, pnl: 1m, venue: TradingVenue.Live);

        var events = scenario.Execute(close);

        Assert.Equal(
            [
                new QualifyingCloseRecorded(close.SourceStream, close.SourceVersion, close.PositionId, TradingVenue.Live, true, at),
                new StreakUpdated(1, day, at),
                new XpAwarded(125, 0, XpReason.QualifyingClose, close.PositionId, day, at),
                new XpAwarded(10, 0, XpReason.StreakBonus, close.PositionId, day, at),
                new AchievementUnlocked(Achievements.TraderNovice, 250, 25, "10 qualifying closes", at),
                new XpAwarded(250, 0, XpReason.Achievement, Achievements.TraderNovice, day, at),
                new AchievementUnlocked(Achievements.ProfitMaster, 750, 75, "10 qualifying closes, 70% of them profitable", at),
                new XpAwarded(750, 0, XpReason.Achievement, Achievements.ProfitMaster, day, at),
                new LevelReached(10, at),
                new AchievementUnlocked(Achievements.Level10, 0, 0, "level 10 reached", at),
            ],
            events);
        Assert.Equal((8_135L, 10), (scenario.State.Xp, scenario.State.Level));
    }

    [Fact]
    public void Reaching_several_levels_at_once_emits_each_level_and_unlocks_level_achievements_in_order()
    {
        var scenario = new Scenario(state: ProgressionState.Initial with { Xp = Levels.XpRequired(100) - 5 });

        var events = scenario.Liquidate(At.Day(1));

        Assert.Equal([100], events.OfType<LevelReached>().Select(e => e.Level));
        Assert.Equal([Achievements.Level10, Achievements.Level25, Achievements.Level50, Achievements.Level100], events.Unlocked());
    }

    [Fact]
    public void Each_level_between_the_old_and_the_new_is_reached_once()
    {
        var scenario = new Scenario();

        var events = scenario.Close(At.Day(1), pnl: 1m, venue: TradingVenue.Live);

        // The close's 125 XP reach level 2 before the streak bonus; with FIRST_TRADE's 100, 235 stay short of level 3 (400).
        Assert.Equal([2], events.OfType<LevelReached>().Select(e => e.Level));
        Assert.Equal(
            [typeof(XpAwarded), typeof(LevelReached), typeof(XpAwarded), typeof(AchievementUnlocked), typeof(XpAwarded)],
            events.Skip(2).Select(e => e.GetType()));
    }

    [Fact]
    public void Xp_past_level_100_reaches_no_further_level()
    {
        var scenario = new Scenario(state: ProgressionState.Initial with { Xp = Levels.XpRequired(100) });

        var events = scenario.Liquidate(At.Day(1));

        Assert.Empty(events.OfType<LevelReached>());
        Assert.Equal(100, scenario.State.Level);
    }

    [Theory]
    [InlineData(Achievements.TournamentChampion)]
    [InlineData(Achievements.ConstellationFounder)]
    public void Achievement_decided_elsewhere_unlocks_once_on_request(string id)
    {
        var scenario = new Scenario();

        var first = scenario.Execute(new UnlockAchievement(id, "won tournament t-1", At.Day(1)));
        var again = scenario.Execute(new UnlockAchievement(id, "won tournament t-2", At.Day(2)));

        Assert.Equal([new AchievementUnlocked(id, 0, 0, "won tournament t-1", At.Day(1))], first);
        Assert.Empty(again);
        Assert.Equal(At.Day(1), scenario.State.UnlockedAchievements[id]);
    }

    [Theory]
    [InlineData("NOPE")]
    [InlineData("tournament_champion")]
    [InlineData("")]
    public void Unknown_achievement_is_rejected(string id)
    {
        var decision = new Scenario().Try(new UnlockAchievement(id, "because", At.Day(1)));

        Assert.Equal("unknown-achievement", decision.Error?.Code);
    }

    [Theory]
    [InlineData(Achievements.FirstTrade)]
    [InlineData(Achievements.ProfitMaster)]
    [InlineData(Achievements.Level100)]
    public void Achievement_with_its_own_condition_cannot_be_unlocked_on_request(string id)
    {
        var decision = new Scenario().Try(new UnlockAchievement(id, "because", At.Day(1)));

        Assert.Equal("achievement-not-external", decision.Error?.Code);
    }

    [Fact]
    public void Shards_are_one_per_10_bonus_xp_rounded_down()
    {
        var scenario = new Scenario(GamificationRules.Default with { FirstTradeBonusXp = 109 });

        var events = scenario.Close(At.Day(1));

        Assert.Equal(10, Assert.Single(events.OfType<AchievementUnlocked>()).Shards);
    }

    private static ProgressionState Closed(int closes, int profitable = 0, IEnumerable<string>? unlocked = null) =>
        ProgressionState.Initial with
        {
            QualifyingCloses = closes,
            ProfitableCloses = profitable,
            UnlockedAchievements = ImmutableSortedDictionary.CreateRange(
                StringComparer.Ordinal,
                (unlocked ?? [Achievements.FirstTrade]).Select(id => KeyValuePair.Create(id, At.Day(0)))),
        };
}
