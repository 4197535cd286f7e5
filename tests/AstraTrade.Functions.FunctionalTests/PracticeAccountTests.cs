using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>The practice account's figures and its once-a-day reset (DOMAIN.md §1), on a manual clock.</summary>
public sealed class PracticeAccountTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    private ManualTimeProvider Clock => App.Clock!;

    private ScriptedMarketData Market => App.Scripted;

    [Fact]
    public async Task A_new_user_has_10000_USD_and_nothing_else()
    {
        var user = await App.RegisterAsync("fresh");

        Assert.Equal(new PracticeAccountResponse(10_000m, 10_000m, 0m, 0m, 0, 10_000m, null), await user.AccountAsync());
    }

    [Fact]
    public async Task Equity_is_the_balance_plus_each_open_positions_collateral_and_unrealized_pnl_at_the_current_marks()
    {
        var user = await App.RegisterAsync("equity");
        await user.OpenAsync(Btc, "long", 10, 250m); // entry 50,005
        await user.OpenAsync(Eth, "short", 4, 120m); // entry 2,499.75
        await user.OpenAsync(Sol, "long", 7, 33.333333m); // entry 100.01
        Market.Publish(Btc, 50_777.7m);
        Market.Publish(Eth, 2_555.55m);
        Market.Publish(Sol, 97.123m);

        var account = await user.AccountAsync();
        var positions = await user.OpenPositionsAsync();

        var exactPnl = Expected.Pnl("long", 2_500m / 50_005m, 50_005m, 50_777.7m)
            + Expected.Pnl("short", 480m / 2_499.75m, 2_499.75m, 2_555.55m)
            + Expected.Pnl("long", 233.333331m / 100.01m, 100.01m, 97.123m);
        var fees = Expected.OpenFee(2_500m) + Expected.OpenFee(480m) + Expected.OpenFee(233.333331m);
        var margin = 250m + 120m + 33.333333m;
        Assert.Equal(10_000m - margin - fees, account.Balance);
        Assert.Equal(margin, account.MarginInUse);
        Assert.Equal(3, account.OpenPositions);
        Assert.Equal(Expected.Money(exactPnl), account.UnrealizedPnl);
        Assert.Equal(Expected.Money(account.Balance + margin + exactPnl), account.Equity);

        // The account agrees with the positions it is made of (each position's uPnL is rounded for display).
        Assert.Equal(account.MarginInUse, positions.Sum(p => p.Collateral));
        Assert.InRange(account.Equity - (account.Balance + positions.Sum(p => p.Collateral + p.UnrealizedPnl!.Value)), -0.000003m, 0.000003m);
    }

    [Fact]
    public async Task A_reset_closes_every_position_at_mark_and_restores_10000_USD_then_not_again_for_24_hours()
    {
        var user = await App.RegisterAsync("reset");
        var winner = await user.OpenAsync(Btc, "long", 10, 1_000m);
        var loser = await user.OpenAsync(Eth, "long", 10, 1_000m);
        Market.Publish(Btc, 51_000m);
        Market.Publish(Eth, 2_450m);
        var resetAt = Clock.GetUtcNow();

        var account = await Api.ReadAsync<PracticeAccountResponse>(await user.Http.PostAsync("/api/v1/accounts/practice/reset", null));

        Assert.Equal(new PracticeAccountResponse(10_000m, 10_000m, 0m, 0m, 0, 10_000m, resetAt.AddHours(24)), account);
        Assert.Equal(account, await user.AccountAsync());
        Assert.Empty(await user.OpenPositionsAsync());

        var closed = (await user.ClosedPositionsAsync()).Items.ToDictionary(p => p.Id);
        var btc = closed[winner.Position!.Id];
        var eth = closed[loser.Position!.Id];
        Assert.Equal(("closed", "reset", resetAt), (btc.Status, btc.CloseReason, btc.ClosedAt));
        Assert.Equal(("closed", "reset", resetAt), (eth.Status, eth.CloseReason, eth.ClosedAt));
        var (btcPnl, _, btcPayout) = Expected.Close("long", 1_000m, 10_000m / 50_005m, 50_005m, 51_000m);
        var (ethPnl, _, ethPayout) = Expected.Close("long", 1_000m, 10_000m / 2_500.25m, 2_500.25m, 2_450m);
        Assert.Equal((btcPnl, btcPayout), (btc.RealizedPnl, btc.Payout));
        Assert.Equal((ethPnl, ethPayout), (eth.RealizedPnl, eth.Payout));
        Assert.Equal(["close", "close", "open", "open"], (await user.TradesAsync()).Items.Select(t => t.Kind));
    }

    [Fact]
    public async Task A_second_reset_within_24_hours_is_422_reset_cooldown_and_the_next_day_it_is_allowed_again()
    {
        var user = await App.RegisterAsync("cooldown");
        Assert.Equal(HttpStatusCode.OK, (await user.Http.PostAsync("/api/v1/accounts/practice/reset", null)).StatusCode);
        var firstReset = Clock.GetUtcNow();
        await user.OpenAsync(Sol, "short", 3, 100m);
        var before = await user.SnapshotAsync();

        var problem = await Api.ProblemAsync(await user.Http.PostAsync("/api/v1/accounts/practice/reset", null), HttpStatusCode.UnprocessableEntity, "reset-cooldown");
        Assert.Contains(firstReset.AddHours(24).ToString("u", System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await user.SnapshotAsync());

        Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        Market.Refresh();
        await user.SignInAgainAsync();
        await Api.ProblemAsync(await user.Http.PostAsync("/api/v1/accounts/practice/reset", null), HttpStatusCode.UnprocessableEntity, "reset-cooldown");

        Clock.Advance(TimeSpan.FromSeconds(1));
        Market.Refresh();
        var again = await Api.ReadAsync<PracticeAccountResponse>(await user.Http.PostAsync("/api/v1/accounts/practice/reset", null));
        Assert.Equal(Clock.GetUtcNow().AddHours(24), again.ResetAvailableAt);
        Assert.Equal(0, again.OpenPositions);
    }

    [Fact]
    public async Task A_reset_needs_a_fresh_mark_for_every_open_position_and_a_refused_reset_uses_up_nothing()
    {
        var user = await App.RegisterAsync("reset-stale");
        await user.OpenAsync(Strk, "long", 10, 50m);
        Market.Publish(Strk, 0.5m, at: Clock.GetUtcNow() - TimeSpan.FromSeconds(10));
        var before = await user.SnapshotAsync();

        await Api.ProblemAsync(await user.Http.PostAsync("/api/v1/accounts/practice/reset", null), HttpStatusCode.ServiceUnavailable, "stale-price");
        Assert.Equal(before, await user.SnapshotAsync());

        Market.Publish(Strk, 0.5m);
        Assert.Equal(HttpStatusCode.OK, (await user.Http.PostAsync("/api/v1/accounts/practice/reset", null)).StatusCode);
    }

    [Fact]
    public async Task Positions_closed_by_a_reset_earn_no_XP()
    {
        var user = await App.RegisterAsync("reset-xp");
        await user.OpenAsync(Btc, "long", 2, 50m);
        Clock.Advance(AstraTradeApp.MinimumHold * 2);
        Market.Refresh();
        Assert.Equal(HttpStatusCode.OK, (await user.Http.PostAsync("/api/v1/accounts/practice/reset", null)).StatusCode);

        // A qualifying close afterwards is a barrier: the feed delivers the account's events in order, so once its XP
        // shows, the reset's closes have been seen too, and they must not have counted.
        var barrier = await user.OpenAsync(Btc, "long", 2, 50m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        Market.Refresh();
        await user.ClosePositionAsync(barrier.Position!.Id);

        var progression = await user.ProgressionWhenAsync(p => p.Xp > 0, "XP for the barrier close");
        Assert.Equal(50 + 100 + 10, progression.Xp); // one close, FIRST_TRADE, streak bonus: nothing for the reset
        Assert.Equal(Clock.GetUtcNow(), Assert.Single(progression.Achievements).UnlockedAt);
    }
}
