using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class CheckInTests
{
    [Fact]
    public void First_check_in_earns_25_xp_and_starts_the_streak()
    {
        var scenario = new Scenario();

        var events = scenario.CheckIn(At.Day(1));

        Assert.Equal(
            [
                new CheckedIn(At.DateOf(1), At.Day(1)),
                new StreakUpdated(1, At.DateOf(1), At.Day(1)),
                new XpAwarded(25, 0, XpReason.CheckIn, null, At.DateOf(1), At.Day(1)),
                new XpAwarded(10, 0, XpReason.StreakBonus, null, At.DateOf(1), At.Day(1)),
            ],
            events);
        Assert.Equal((35L, At.DateOf(1)), (scenario.State.Xp, scenario.State.LastCheckInDay));
    }

    [Fact]
    public void Check_in_bonus_is_25_from_a_3_day_streak_and_50_from_a_7_day_streak()
    {
        var scenario = new Scenario();

        var checkInXp = Enumerable.Range(1, 8).Select(day => scenario.CheckIn(At.Day(day)).Granted(XpReason.CheckIn));

        Assert.Equal([25L, 25, 50, 50, 50, 50, 75, 75], checkInXp);
    }

    [Fact]
    public void Check_in_bonus_uses_the_streak_built_by_trading_too()
    {
        var scenario = new Scenario();
        scenario.Close(At.Day(1));
        scenario.Close(At.Day(2));

        var events = scenario.CheckIn(At.Day(3));

        Assert.Equal(50, events.Granted(XpReason.CheckIn));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(23)]
    public void Second_check_in_on_the_same_utc_day_is_rejected(int hour)
    {
        var scenario = new Scenario();
        scenario.CheckIn(At.Utc(2026, 3, 1, hour));

        var decision = scenario.Try(new CheckIn(At.Utc(2026, 3, 1, 23, 59, 59)));

        Assert.Equal("already-checked-in", decision.Error?.Code);
    }

    [Fact]
    public void Check_in_is_open_again_at_midnight_utc()
    {
        var scenario = new Scenario();
        scenario.CheckIn(At.Utc(2026, 3, 1, 23, 59, 59));

        Assert.NotEmpty(scenario.CheckIn(At.Utc(2026, 3, 2, 0, 0, 0)));
    }

    [Fact]
    public void Check_in_for_a_day_before_the_last_check_in_is_rejected()
    {
        var scenario = new Scenario();
        scenario.CheckIn(At.Day(5));

        Assert.Equal("already-checked-in", scenario.Try(new CheckIn(At.Day(4))).Error?.Code);
    }

    [Fact]
    public void Check_in_xp_is_not_capped_but_its_streak_bonus_is()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 0 });

        var events = scenario.CheckIn(At.Day(1));

        Assert.Equal((25L, 0L), events.Award(XpReason.CheckIn));
        Assert.Equal((0L, 10L), events.Award(XpReason.StreakBonus));
    }
}
