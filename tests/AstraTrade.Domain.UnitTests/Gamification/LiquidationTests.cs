using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class LiquidationTests
{
    [Fact]
    public void Liquidation_earns_10_xp()
    {
        var scenario = new Scenario();

        var events = scenario.Liquidate(At.Day(1));

        Assert.Equal(
            [
                new LiquidationRecorded(Scenario.Stream, 1, "position-1", At.Day(1)),
                new XpAwarded(10, 0, XpReason.Liquidation, "position-1", At.DateOf(1), At.Day(1)),
            ],
            events);
        Assert.Equal((10L, 1), (scenario.State.Xp, scenario.State.Liquidations));
    }

    [Fact]
    public void Liquidation_is_not_a_qualifying_activity()
    {
        var scenario = new Scenario();
        scenario.CheckIn(At.Day(1));

        var events = scenario.Liquidate(At.Day(2));

        Assert.Empty(events.OfType<StreakUpdated>());
        Assert.Empty(events.Xp(XpReason.StreakBonus));
        Assert.Empty(events.Unlocked());
        Assert.Equal((1, At.DateOf(1), 0), (scenario.State.Streak, scenario.State.LastActivityDay, scenario.State.QualifyingCloses));
    }

    [Fact]
    public void Liquidation_xp_counts_toward_the_daily_trading_cap()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 65 });
        scenario.Close(At.Day(1));

        var events = scenario.Liquidate(At.Day(1, hour: 13));

        Assert.Equal((5L, 5L), events.Award(XpReason.Liquidation));
        Assert.Equal(65, scenario.State.TradingXpByDay[At.DateOf(1)]);
    }

    [Fact]
    public void Liquidations_fill_the_cap_that_closes_then_find_used()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 20 });
        scenario.Liquidate(At.Day(1));
        scenario.Liquidate(At.Day(1));

        var events = scenario.Close(At.Day(1));

        Assert.Equal(0, events.Granted(XpReason.QualifyingClose));
        Assert.Equal(0, events.Granted(XpReason.StreakBonus));
    }
}
