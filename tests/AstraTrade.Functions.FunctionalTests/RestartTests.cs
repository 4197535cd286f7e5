using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Durability through the real embedded store: a second app on the same data directory, started after the first was
/// disposed, sees the same users, sessions, positions, history, XP and boards, and the feed-driven XP is not paid twice.
/// </summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "astratrade-functional-restart-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_restarted_app_has_everything_the_first_one_acknowledged()
    {
        TestUser user;
        string snapshot, progression, me, board, firstOrder;
        Guid open, closed;

        var first = await StartAsync();
        await using (first)
        {
            user = await first.RegisterAsync("durable");
            var kept = await user.PlaceOrderAsync(Btc, "long", 3, 150m, "durable-order");
            firstOrder = await kept.Content.ReadAsStringAsync();
            open = (await Api.ReadAsync<PlaceOrderResponse>(kept, HttpStatusCode.Created)).Position!.Id;
            closed = (await user.OpenAsync(Eth, "short", 2, 40m)).Position!.Id;
            _clock.Advance(AstraTradeApp.MinimumHold);
            first.Scripted.Refresh();
            await user.ClosePositionAsync(closed);
            Assert.Equal(HttpStatusCode.OK, (await user.Http.PostAsync("/api/v1/check-in", null)).StatusCode);
            await user.ProgressionWhenAsync(p => p.Xp == 160 + 25, "XP for the close and the check-in");
            board = await Eventually.MatchAsync(
                () => user.Http.GetStringAsync("/api/v1/leaderboards/xp-all-time"), b => b.Contains("\"score\":185", StringComparison.Ordinal), "the board");
            await first.FeedsCaughtUpAsync();

            snapshot = await user.SnapshotAsync();
            progression = await user.Http.GetStringAsync("/api/v1/progression");
            me = await user.Http.GetStringAsync("/api/v1/me");
        }

        first.AssertNoServerErrors();
        await using var second = await StartAsync();
        var client = second.WithToken(user.Tokens.AccessToken); // signed with the key kept in the data directory

        Assert.Equal(me, await client.GetStringAsync("/api/v1/me"));
        var again = new TestUser(second, user.Username, user.Password, user.Tokens);
        Assert.Equal(snapshot, await again.SnapshotAsync());

        // The progression reactor resumes from its checkpoint: once the feed is handled again, nothing was paid twice.
        await second.FeedsCaughtUpAsync();
        Assert.Equal(progression, await again.Http.GetStringAsync("/api/v1/progression"));
        await Eventually.MatchAsync(
            () => again.Http.GetStringAsync("/api/v1/leaderboards/xp-all-time"), b => b == board, "the rebuilt board to equal the board before the restart");

        // Sessions, idempotency keys and closed positions were all remembered.
        using var anonymous = second.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.Tokens.RefreshToken })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = user.Password })).StatusCode);
        await Api.ProblemAsync(
            await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username = user.Username.ToUpperInvariant(), password = user.Password }),
            HttpStatusCode.Conflict, "username-taken");
        var replay = await again.PlaceOrderAsync(Btc, "long", 3, 150m, "durable-order");
        Assert.Equal(["true"], replay.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(firstOrder, await replay.Content.ReadAsStringAsync());
        await Api.ProblemAsync(await again.CloseAsync(closed), HttpStatusCode.Conflict, "position-already-closed");
        Assert.Equal("closed", (await again.ClosePositionAsync(open)).Status);
        await Api.ProblemAsync(await again.Http.PostAsync("/api/v1/check-in", null), HttpStatusCode.Conflict, "already-checked-in");

        await second.DisposeAsync();
        second.AssertNoServerErrors();
    }

    [Fact]
    public async Task Working_limit_orders_and_stop_losses_go_on_after_a_restart()
    {
        TestUser user;
        PlaceOrderResponse limit, protectedLong;
        var first = await StartAsync();
        await using (first)
        {
            user = await first.RegisterAsync("lifecycles");
            limit = await Api.ReadAsync<PlaceOrderResponse>(
                await user.Http.SendAsync(Api.Order(new { market = Eth, side = "long", leverage = 2, collateral = 20m, type = "limit", limitPrice = 2_400m }, "limit")),
                HttpStatusCode.Created);
            protectedLong = await Api.ReadAsync<PlaceOrderResponse>(
                await user.Http.SendAsync(Api.Order(new { market = Btc, side = "long", leverage = 2, collateral = 20m, stopLoss = 45_000m }, "protected")),
                HttpStatusCode.Created);
            Assert.Equal(("working", "open"), (limit.Order.Lifecycle, protectedLong.Order.Lifecycle));
            await first.FeedsCaughtUpAsync();
        }

        first.AssertNoServerErrors();
        await using var second = await StartAsync();
        var client = second.WithToken(user.Tokens.AccessToken);
        await second.FeedsCaughtUpAsync(); // the order book and the trigger index are rebuilt from the feed

        second.Scripted.Publish(Eth, 2_399.9m); // crossed; the market fill (2,400.14) is worse than the limit
        second.Scripted.Publish(Btc, 44_000m);

        var filled = await Eventually.MatchAsync(
            async () => await Api.ReadAsync<OrderResponse>(await client.GetAsync($"/api/v1/orders/{limit.Order.Id}")), o => o.Lifecycle == "open", "the limit order to fill");
        var stopped = await Eventually.MatchAsync(
            async () => await Api.ReadAsync<OrderResponse>(await client.GetAsync($"/api/v1/orders/{protectedLong.Order.Id}")), o => o.Lifecycle == "closed", "the stop-loss to close");
        Assert.Equal(2_400m, filled.FillPrice);
        Assert.Equal("stop-loss", stopped.Reason!.Code);
    }

    private async Task<AstraTradeApp> StartAsync()
    {
        var app = new AstraTradeApp(new AppOptions { ScriptedMarket = true, Clock = _clock, DataDirectory = _dataDirectory, KeepDataDirectory = true });
        PublishDefaults(app.Scripted);
        await app.StartAsync();
        return app;
    }
}
