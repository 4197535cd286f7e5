using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class StreakTests
{
    [Fact]
    public void Streak_grows_by_one_each_next_day_of_qualifying_activity()
    {
        var scenario = new Scenario();

        var streaks = Enumerable.Range(1, 4).Select(day =>
        {
            scenario.Close(At.Day(day));
            return scenario.State.Streak;
        });

        Assert.Equal([1, 2, 3, 4], streaks);
    }

    [Fact]
    public void Further_activity_on_the_same_day_leaves_the_streak_and_earns_no_second_bonus()
    {
        var scenario = new Scenario();
        scenario.Close(At.Day(1));
        scenario.Close(At.Day(2, hour: 1));

        var close = scenario.Close(At.Day(2, hour: 20));
        var checkIn = scenario.CheckIn(At.Day(2, hour: 21));

        Assert.Empty(close.OfType<StreakUpdated>().Concat<IProgressionEvent>(checkIn.OfType<StreakUpdated>()));
        Assert.Empty(close.Xp(XpReason.StreakBonus).Concat(checkIn.Xp(XpReason.StreakBonus)));
        Assert.Equal(2, scenario.State.Streak);
    }

    [Fact]
    public void Check_in_is_the_first_qualifying_activity_when_it_comes_first()
    {
        var scenario = new Scenario();
        scenario.Close(At.Day(1));

        var checkIn = scenario.CheckIn(At.Day(2, hour: 8));
        var close = scenario.Close(At.Day(2, hour: 9));

        Assert.Equal(20, checkIn.Granted(XpReason.StreakBonus));
        Assert.Empty(close.Xp(XpReason.StreakBonus));
    }

    [Fact]
    public void Missing_a_day_restarts_the_streak_at_1_and_keeps_the_best()
    {
        var scenario = new Scenario();
        scenario.Close(At.Day(1));
        scenario.CheckIn(At.Day(2));
        scenario.Close(At.Day(3));

        var events = scenario.Close(At.Day(5));

        Assert.Contains(new StreakUpdated(1, At.DateOf(5), At.Day(5)), events);
        Assert.Equal((1, 3), (scenario.State.Streak, scenario.State.BestStreak));
        Assert.Equal(10, events.Granted(XpReason.StreakBonus));
    }

    [Theory]
    [InlineData("2026-01-31", "2026-02-01")]
    [InlineData("2026-04-30", "2026-05-01")]
    [InlineData("2026-12-31", "2027-01-01")]
    [InlineData("2027-02-28", "2027-03-01")]
    [InlineData("2028-02-28", "2028-02-29")]
    [InlineData("2028-02-29", "2028-03-01")]
    public void Streak_continues_across_month_and_year_boundaries(string first, string next)
    {
        var scenario = new Scenario();
        scenario.Close(Noon(first));

        scenario.Close(Noon(next));

        Assert.Equal(2, scenario.State.Streak);
    }

    [Theory]
    [InlineData("2026-01-31", "2026-02-02")]
    [InlineData("2026-12-31", "2027-01-02")]
    [InlineData("2028-02-28", "2028-03-01")]
    public void Skipping_a_day_across_a_boundary_restarts_the_streak(string first, string next)
    {
        var scenario = new Scenario();
        scenario.Close(Noon(first));

        scenario.Close(Noon(next));

        Assert.Equal(1, scenario.State.Streak);
    }

    [Fact]
    public void Days_are_utc_calendar_days()
    {
        var scenario = new Scenario();
        scenario.Close(At.Utc(2026, 3, 1, 23, 59, 59));
        scenario.Close(At.Utc(2026, 3, 2, 0, 0, 0));

        // 01:00 at UTC+2 is still 2 March in UTC: same day, no change.
        scenario.Close(new DateTimeOffset(2026, 3, 3, 1, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal((2, new DateOnly(2026, 3, 2)), (scenario.State.Streak, scenario.State.LastActivityDay));
    }

    [Fact]
    public void Streak_bonus_is_10_per_streak_day_up_to_30_days()
    {
        var scenario = new Scenario();

        var bonuses = Enumerable.Range(1, 32).Select(day => scenario.CheckIn(At.Day(day)).Granted(XpReason.StreakBonus)).ToList();

        Assert.Equal(Enumerable.Range(1, 32).Select(day => 10L * Math.Min(day, 30)), bonuses);
        Assert.Equal(32, scenario.State.Streak);
    }

    [Fact]
    public void Late_delivery_for_an_earlier_day_keeps_the_streak_and_earns_no_bonus()
    {
        var scenario = new Scenario();
        scenario.Close(At.Day(1));
        scenario.Close(At.Day(2));
        scenario.Close(At.Day(4));

        var late = scenario.Close(At.Day(3));

        Assert.Empty(late.OfType<StreakUpdated>());
        Assert.Empty(late.Xp(XpReason.StreakBonus));
        Assert.Equal(50, late.Granted(XpReason.QualifyingClose));
        Assert.Equal((1, 2, At.DateOf(4)), (scenario.State.Streak, scenario.State.BestStreak, scenario.State.LastActivityDay));
    }

    private static DateTimeOffset Noon(string day) => new(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), new TimeOnly(12, 0), TimeSpan.Zero);
}
