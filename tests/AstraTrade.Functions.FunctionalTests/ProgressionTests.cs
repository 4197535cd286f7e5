using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// XP, levels, streaks, achievements and the leverage levels unlock (DOMAIN.md §2), driven through trading over HTTP.
/// Closes earn XP through the feed (asynchronously), so tests poll the progression. The minimum hold is shortened to
/// <see cref="AstraTradeApp.MinimumHold"/> and the clock is manual.
/// </summary>
public sealed class ProgressionTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    private ManualTimeProvider Clock => App.Clock!;

    private ScriptedMarketData Market => App.Scripted;

    [Fact]
    public async Task A_new_user_is_level_1_with_10x_leverage_and_nothing_earned()
    {
        var user = await App.RegisterAsync("novice");

        var p = await user.ProgressionAsync();

        Assert.Equal((0L, 1, 100L, 0, 0, 10, 0L, false), (p.Xp, p.Level, p.XpForNextLevel!.Value, p.Streak, p.BestStreak, p.MaxLeverage, p.StellarShards, p.CheckedInToday));
        Assert.Empty(p.Achievements);
    }

    [Fact]
    public async Task A_first_qualifying_close_earns_160_XP_reaches_level_2_and_unlocks_15x_leverage()
    {
        var user = await App.RegisterAsync("first");
        await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", 11, 10m), HttpStatusCode.UnprocessableEntity, "leverage-out-of-range");
        var placed = await user.OpenAsync(Btc, "long", 2, 10m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        Market.Refresh();
        var closed = await user.ClosePositionAsync(placed.Position!.Id);
        Assert.True(closed.RealizedPnl <= 0); // unchanged mark: the spread makes it a small loss, so no profit bonus

        var progression = await user.ProgressionWhenAsync(p => p.Xp > 0, "XP for the close");

        // 50 for the close + 10 streak bonus (first activity of the day, streak 1) + 100 for FIRST_TRADE
        Assert.Equal(160, progression.Xp);
        Assert.Equal((2, 400L, 15), (progression.Level, progression.XpForNextLevel!.Value, progression.MaxLeverage));
        Assert.Equal((1, 1), (progression.Streak, progression.BestStreak));
        Assert.Equal(10, progression.StellarShards); // 1 SS per 10 achievement XP
        Assert.False(progression.CheckedInToday);
        var achievement = Assert.Single(progression.Achievements);
        Assert.Equal(("FIRST_TRADE", 100L, closed.ClosedAt!.Value), (achievement.Id, achievement.BonusXp, achievement.UnlockedAt));

        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Btc, "long", 15, 10m)).StatusCode);
        var problem = await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", 16, 10m), HttpStatusCode.UnprocessableEntity, "leverage-out-of-range");
        Assert.Contains("from 1 to 15", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_profitable_qualifying_close_earns_25_XP_more()
    {
        var user = await App.RegisterAsync("profit");
        var placed = await user.OpenAsync(Eth, "short", 3, 20m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        Market.Refresh();
        Market.Publish(Eth, 2_400m);
        Assert.True((await user.ClosePositionAsync(placed.Position!.Id)).RealizedPnl > 0);

        var progression = await user.ProgressionWhenAsync(p => p.Xp > 0, "XP for the close");

        Assert.Equal(50 + 25 + 10 + 100, progression.Xp);
    }

    [Fact]
    public async Task A_close_held_less_than_the_minimum_earns_nothing_and_one_held_exactly_the_minimum_qualifies()
    {
        var user = await App.RegisterAsync("short-hold");
        var early = await user.OpenAsync(Btc, "long", 2, 10m);
        var onTime = await user.OpenAsync(Btc, "short", 2, 10m);

        Clock.Advance(AstraTradeApp.MinimumHold - TimeSpan.FromMilliseconds(1));
        Market.Refresh();
        await user.ClosePositionAsync(early.Position!.Id);
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var qualifying = await user.ClosePositionAsync(onTime.Position!.Id);

        // The feed delivers the account's events in order: once the second close shows, the first was seen and earned nothing.
        var progression = await user.ProgressionWhenAsync(p => p.Xp > 0, "XP for the qualifying close");
        Assert.Equal(160, progression.Xp);
        Assert.Equal(qualifying.ClosedAt, Assert.Single(progression.Achievements).UnlockedAt);
    }

    [Fact]
    public async Task The_daily_check_in_earns_25_XP_plus_the_streak_bonus_once_per_UTC_day_and_grows_the_streak()
    {
        var user = await App.RegisterAsync("checkin");

        var first = await Api.ReadAsync<CheckInResponse>(await user.Http.PostAsync("/api/v1/check-in", null));
        Assert.Equal(25 + 10, first.XpAwarded); // first qualifying activity of the day: +10 × streak 1
        Assert.Equal((35L, 1, true), (first.Progression.Xp, first.Progression.Streak, first.Progression.CheckedInToday));
        Assert.Equal(JsonSerializer.Serialize(first.Progression), JsonSerializer.Serialize(await user.ProgressionAsync()));

        var again = await Api.ProblemAsync(await user.Http.PostAsync("/api/v1/check-in", null), HttpStatusCode.Conflict, "already-checked-in");
        Assert.Contains(DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), again.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(35, (await user.ProgressionAsync()).Xp);

        await NextUtcDayAsync(user);
        var second = await Api.ReadAsync<CheckInResponse>(await user.Http.PostAsync("/api/v1/check-in", null));
        Assert.Equal(25 + 20, second.XpAwarded); // streak 2
        Assert.Equal(2, second.Progression.Streak);

        await NextUtcDayAsync(user);
        var third = await Api.ReadAsync<CheckInResponse>(await user.Http.PostAsync("/api/v1/check-in", null));
        Assert.Equal(25 + 25 + 30, third.XpAwarded); // streak 3: the check-in's own streak bonus starts
        Assert.Equal((3, 3), (third.Progression.Streak, third.Progression.BestStreak));

        // A whole day missed: the streak shows 0, and the next check-in starts again at 1 (the best is kept).
        await NextUtcDayAsync(user);
        await NextUtcDayAsync(user);
        var missed = await user.ProgressionAsync();
        Assert.Equal((0, 3, false), (missed.Streak, missed.BestStreak, missed.CheckedInToday));
        var restarted = await Api.ReadAsync<CheckInResponse>(await user.Http.PostAsync("/api/v1/check-in", null));
        Assert.Equal(25 + 10, restarted.XpAwarded);
        Assert.Equal((1, 3), (restarted.Progression.Streak, restarted.Progression.BestStreak));
        Assert.Equal(35 + 45 + 80 + 35, restarted.Progression.Xp);
    }

    [Fact]
    public async Task A_check_in_after_a_qualifying_close_the_same_day_earns_25_XP_without_a_second_streak_bonus()
    {
        var user = await App.RegisterAsync("close-then-checkin");
        var placed = await user.OpenAsync(Sol, "long", 2, 10m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        Market.Refresh();
        await user.ClosePositionAsync(placed.Position!.Id);
        await user.ProgressionWhenAsync(p => p.Xp == 160, "XP for the close");

        var checkIn = await Api.ReadAsync<CheckInResponse>(await user.Http.PostAsync("/api/v1/check-in", null));

        Assert.Equal(25, checkIn.XpAwarded);
        Assert.Equal((185L, 1), (checkIn.Progression.Xp, checkIn.Progression.Streak));
    }

    [Fact]
    public async Task Ten_profitable_closes_unlock_TRADER_NOVICE_and_PROFIT_MASTER_with_their_bonus_XP_and_shards()
    {
        var user = await App.RegisterAsync("master");
        var ids = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await user.OpenAsync(Sol, "long", 2, 10m)).Position!.Id);
        }

        Clock.Advance(AstraTradeApp.MinimumHold);
        Market.Refresh();
        Market.Publish(Sol, 110m);
        foreach (var id in ids)
        {
            Assert.True((await user.ClosePositionAsync(id)).RealizedPnl > 0);
        }

        var progression = await user.ProgressionWhenAsync(p => p.Achievements.Count == 3, "three achievements");

        // Both later achievements unlock with the tenth close, at the same instant, so their relative order is not asserted.
        Assert.Equal(
            [("FIRST_TRADE", 100L), ("PROFIT_MASTER", 750L), ("TRADER_NOVICE", 250L)],
            progression.Achievements.Select(a => (a.Id, a.BonusXp)).Order());
        Assert.Equal("FIRST_TRADE", progression.Achievements[0].Id);
        Assert.Equal((10 * 75) + 10 + 100 + 250 + 750, progression.Xp);
        Assert.Equal(110, progression.StellarShards);
        Assert.Equal((5, 30), (progression.Level, progression.MaxLeverage)); // 1,860 XP: level 5 needs 1,600
    }

    [Fact]
    public async Task Trading_XP_is_capped_at_2000_a_day_while_achievement_XP_is_not_and_market_limits_still_cap_leverage()
    {
        var user = await App.RegisterAsync("grinder");
        for (var round = 0; round < 3; round++)
        {
            var ids = new List<Guid>();
            for (var i = 0; i < (round < 2 ? 20 : 1); i++)
            {
                ids.Add((await user.OpenAsync(Btc, "short", 1, 10m)).Position!.Id);
            }

            Clock.Advance(AstraTradeApp.MinimumHold);
            Market.Refresh();
            foreach (var id in ids)
            {
                await user.ClosePositionAsync(id);
            }
        }

        // 41 losing closes: 41 × 50 + 10 streak bonus = 2,060 trading XP, capped at 2,000; FIRST_TRADE and TRADER_NOVICE
        // add 350 uncapped. The total is reached before the last close is handled, so wait for the feed to be handled.
        await user.ProgressionWhenAsync(p => p.Xp >= 2_350, "capped XP");
        await App.FeedsCaughtUpAsync();
        var progression = await user.ProgressionAsync();
        Assert.Equal(2_350, progression.Xp);
        Assert.Equal((5, 30), (progression.Level, progression.MaxLeverage));

        // Level 5 allows 30×; STRK-USD allows only 20× whatever the level.
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Btc, "long", 30, 10m)).StatusCode);
        await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", 31, 10m), HttpStatusCode.UnprocessableEntity, "leverage-out-of-range");
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Strk, "long", 20, 10m)).StatusCode);
        var problem = await Api.ProblemAsync(await user.PlaceOrderAsync(Strk, "long", 21, 10m), HttpStatusCode.UnprocessableEntity, "leverage-out-of-range");
        Assert.Contains("from 1 to 20", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task NextUtcDayAsync(TestUser user)
    {
        Clock.Advance(TimeSpan.FromDays(1));
        Market.Refresh();
        await user.SignInAgainAsync();
    }
}
