using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Liquidation driven by market ticks (DOMAIN.md §1): the standalone trigger watches the market and liquidates every
/// position the mark has taken to its maintenance margin. A level-1 user can use at most 10×, so these use 10× positions
/// (liquidated about 9.5 % from entry) rather than 100×.
/// </summary>
public sealed class LiquidationTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    private ScriptedMarketData Market => App.Scripted;

    [Fact]
    public async Task A_long_is_liquidated_once_a_tick_takes_the_mark_below_its_liquidation_price_and_the_owner_gets_nothing_back()
    {
        var user = await App.RegisterAsync("liq-long");
        var placed = await user.OpenAsync(Btc, "long", 10, 100m);
        var liquidationPrice = Expected.LiquidationPrice("long", 50_005m, 10, 0.005m); // ≈ 45,230.65
        Assert.InRange(placed.Position!.LiquidationPrice, liquidationPrice - 0.000001m, liquidationPrice + 0.000001m);
        await App.FeedsCaughtUpAsync(); // the open-positions index knows the position

        Market.Publish(Btc, 45_231m); // just above: not liquidated
        Market.Publish(Btc, 45_000m); // below: liquidated by this tick (ticks are handled in order)

        var liquidated = await LiquidatedAsync(user, placed.Position!.Id);
        var quantity = 1_000m / 50_005m;
        Assert.Equal(("liquidated", "liquidation", 0m, 0m), (liquidated.Status, liquidated.CloseReason, liquidated.Payout!.Value, liquidated.CloseFee!.Value));
        Assert.Equal(45_000m, liquidated.MarkPrice);
        Assert.InRange(liquidated.ExitPrice!.Value, liquidationPrice - 0.000001m, liquidationPrice + 0.000001m);
        Assert.InRange(liquidated.RealizedPnl!.Value, Expected.Down(quantity * (liquidationPrice - 50_005m)) - 0.000001m, Expected.Down(quantity * (liquidationPrice - 50_005m)) + 0.000001m);

        Assert.Empty(await user.OpenPositionsAsync());
        var account = await user.AccountAsync();
        Assert.Equal((10_000m - 100.5m, 0, 0m), (account.Balance, account.OpenPositions, account.MarginInUse));
        var fill = (await user.TradesAsync()).Items[0];
        Assert.Equal((placed.Position!.Id, "liquidation", "sell", 0m, liquidated.RealizedPnl), (fill.PositionId, fill.Kind, fill.Direction, fill.Fee, fill.RealizedPnl));
        Assert.Equal(liquidated.ExitPrice, fill.Price);

        await Api.ProblemAsync(await user.CloseAsync(placed.Position!.Id), HttpStatusCode.Conflict, "position-already-closed");
    }

    [Fact]
    public async Task A_short_is_liquidated_once_a_tick_takes_the_mark_above_its_liquidation_price()
    {
        var user = await App.RegisterAsync("liq-short");
        var placed = await user.OpenAsync(Eth, "short", 10, 50m);
        await App.FeedsCaughtUpAsync();

        Market.Publish(Eth, 2_736m); // liquidation price 2,499.75 × 1.1 / 1.005 ≈ 2,736.05
        Market.Publish(Eth, 2_800m);

        var liquidated = await LiquidatedAsync(user, placed.Position!.Id);
        Assert.Equal((2_800m, 0m), (liquidated.MarkPrice!.Value, liquidated.Payout!.Value));
        Assert.Equal("buy", (await user.TradesAsync()).Items[0].Direction);
        Assert.Equal(10_000m - 50.25m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task A_tick_liquidates_exactly_the_positions_it_crossed_in_its_own_market()
    {
        var user = await App.RegisterAsync("liq-some");
        var other = await App.RegisterAsync("liq-other");
        var tenX = await user.OpenAsync(Btc, "long", 10, 100m); // ≈ 45,230
        var fiveX = await user.OpenAsync(Btc, "long", 5, 100m); // ≈ 40,205
        var oneX = await user.OpenAsync(Btc, "long", 1, 100m); // never: 0
        var eth = await user.OpenAsync(Eth, "long", 10, 100m);
        var otherShort = await other.OpenAsync(Btc, "short", 10, 100m);
        await App.FeedsCaughtUpAsync();

        Market.Publish(Btc, 44_000m);
        await LiquidatedAsync(user, tenX.Position!.Id);
        Market.Publish(Btc, 40_000m);
        await LiquidatedAsync(user, fiveX.Position!.Id);
        await App.FeedsCaughtUpAsync();

        Assert.Equal(new[] { eth.Position!.Id, oneX.Position!.Id }.Order(), (await user.OpenPositionsAsync()).Select(p => p.Id).Order());
        Assert.Equal([tenX.Position!.Id, fiveX.Position!.Id], (await user.ClosedPositionsAsync()).Items.Select(p => p.Id).Reverse());
        var shortNow = Assert.Single(await other.OpenPositionsAsync());
        Assert.Equal(otherShort.Position!.Id, shortNow.Id);
        Assert.True(shortNow.UnrealizedPnl > 0);
    }

    [Fact]
    public async Task Closing_a_position_the_mark_already_took_under_maintenance_margin_is_a_liquidation_not_a_better_exit()
    {
        var user = await App.RegisterAsync("liq-race");
        var placed = await user.OpenAsync(Sol, "long", 10, 100m); // liquidation price ≈ 100.01 × 0.9 / 0.99 ≈ 90.92

        // The liquidation loop has not received this tick yet; the owner tries to get out first.
        Market.Publish(Sol, 85m, broadcast: false);
        var closed = await user.ClosePositionAsync(placed.Position!.Id);

        Assert.Equal(("liquidated", "liquidation", 0m), (closed.Status, closed.CloseReason, closed.Payout!.Value));
        Assert.Equal(10_000m - 100.5m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task A_liquidation_earns_10_XP_as_a_lesson_but_no_streak_and_no_achievement()
    {
        var user = await App.RegisterAsync("liq-xp");
        var placed = await user.OpenAsync(Strk, "short", 10, 20m);
        await App.FeedsCaughtUpAsync();

        Market.Publish(Strk, 0.6m);
        await LiquidatedAsync(user, placed.Position!.Id);

        var progression = await user.ProgressionWhenAsync(p => p.Xp > 0, "liquidation XP");
        Assert.Equal((10L, 1, 0, 0), (progression.Xp, progression.Level, progression.Streak, progression.BestStreak));
        Assert.Empty(progression.Achievements);
        await App.FeedsCaughtUpAsync();
        Assert.Equal(10, (await user.ProgressionAsync()).Xp);
    }

    private static async Task<PositionResponse> LiquidatedAsync(TestUser user, Guid positionId)
    {
        var ended = await Eventually.MatchAsync(
            async () => (await user.ClosedPositionsAsync()).Items.FirstOrDefault(p => p.Id == positionId),
            p => p is not null,
            $"position {positionId} to be liquidated");
        return ended!;
    }
}
