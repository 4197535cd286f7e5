using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class ProgressionStateTests
{
    [Fact]
    public void A_new_user_is_level_1_with_10x_and_needs_100_xp_for_level_2()
    {
        var state = ProgressionState.Initial;

        Assert.Equal((0L, 1, 10, 100L), (state.Xp, state.Level, state.MaxLeverage, state.XpForNextLevel));
    }

    [Fact]
    public void Level_19_unlocks_100x()
    {
        var state = ProgressionState.Initial with { Xp = Levels.XpRequired(19) };

        Assert.Equal((19, 100), (state.Level, state.MaxLeverage));
        Assert.Equal(95, (state with { Xp = Levels.XpRequired(19) - 1 }).MaxLeverage);
    }

    [Fact]
    public void Level_stops_at_100_with_no_next_threshold()
    {
        var state = ProgressionState.Initial with { Xp = 3_000_000 };

        Assert.Equal((100, (long?)null, 100), (state.Level, state.XpForNextLevel, state.MaxLeverage));
    }

    [Theory]
    [InlineData(10, 5)]
    [InlineData(11, 5)]
    [InlineData(12, 0)]
    [InlineData(40, 0)]
    public void Displayed_streak_is_0_once_a_whole_day_was_missed(int today, int shown)
    {
        var state = ProgressionState.Initial with { Streak = 5, BestStreak = 5, LastActivityDay = At.DateOf(10) };

        Assert.Equal(shown, state.StreakAsOf(At.DateOf(today)));
    }

    [Fact]
    public void Displayed_streak_is_0_before_any_activity() =>
        Assert.Equal(0, ProgressionState.Initial.StreakAsOf(At.DateOf(1)));
}
