using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class LevelsTests
{
    [Theory]
    [InlineData(0, 1)]
    [InlineData(99, 1)]
    [InlineData(100, 2)]
    [InlineData(399, 2)]
    [InlineData(400, 3)]
    [InlineData(8_099, 9)]
    [InlineData(8_100, 10)]
    [InlineData(980_099, 99)]
    [InlineData(980_100, 100)]
    [InlineData(5_000_000, 100)]
    [InlineData(long.MaxValue, 100)]
    public void Level_is_the_highest_whose_threshold_the_xp_reaches(long xp, int level) =>
        Assert.Equal(level, Levels.ForXp(xp));

    [Fact]
    public void Level_follows_the_square_root_formula_for_every_xp_up_to_past_level_100()
    {
        for (long xp = 0; xp <= 1_000_000; xp++)
        {
            var formula = Math.Min(100, (int)Math.Sqrt(xp / 100) + 1);
            if (Levels.ForXp(xp) != formula)
            {
                Assert.Fail($"XP {xp}: level {Levels.ForXp(xp)}, formula {formula}");
            }
        }
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 100)]
    [InlineData(3, 400)]
    [InlineData(10, 8_100)]
    [InlineData(100, 980_100)]
    public void Level_n_needs_100_times_n_minus_1_squared(int level, long xp) =>
        Assert.Equal(xp, Levels.XpRequired(level));

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void There_is_no_threshold_outside_levels_1_to_100(int level) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Levels.XpRequired(level));

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 15)]
    [InlineData(18, 95)]
    [InlineData(19, 100)]
    [InlineData(20, 100)]
    [InlineData(100, 100)]
    public void Leverage_unlocks_5x_per_level_from_10x_up_to_100x_at_level_19(int level, int leverage) =>
        Assert.Equal(leverage, Levels.MaxLeverage(level));

    [Theory]
    [InlineData(1, 100L)]
    [InlineData(9, 8_100L)]
    [InlineData(99, 980_100L)]
    [InlineData(100, null)]
    public void Next_level_threshold_is_null_at_the_top(int level, long? next) =>
        Assert.Equal(next, Levels.XpForNextLevel(level));
}
