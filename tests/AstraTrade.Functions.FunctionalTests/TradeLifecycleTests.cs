using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Orders as trade lifecycles over the real host (issue: limit orders, cancel, expiry, stop-loss/take-profit, GET
/// /orders/{id} with the lifecycle status and reason). Prices come from the scripted market; the liquidation and
/// trade-watch trigger sees every published tick.
/// </summary>
public sealed class TradeLifecycleTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    private ScriptedMarketData Market => App.Scripted;

    private ManualTimeProvider Clock => App.Clock!;

    [Fact]
    public async Task A_limit_order_reserves_its_margin_works_until_the_mark_reaches_its_price_then_fills_at_the_limit()
    {
        var user = await App.RegisterAsync("limit-fill");
        var placed = await PlaceAsync(user, new { market = Btc, side = "long", leverage = 10, collateral = 100m, type = "limit", limitPrice = 49_000m });

        Assert.Equal(("working", "working", null), (placed.Order.Status, placed.Order.Lifecycle, placed.Position));
        Assert.Equal(Clock.GetUtcNow().AddHours(24), placed.Order.ExpiresAt);
        var account = await user.AccountAsync();
        Assert.Equal((10_000m - 100.5m, 10_000m, 0), (account.Balance, account.Equity, account.OpenPositions)); // reserved, not spent
        await App.FeedsCaughtUpAsync(); // the practice order book has it

        Market.Publish(Btc, 49_500m); // not reached
        Market.Publish(Btc, 48_999.5m); // crossed: mark plus half the spread (49,004.4) is worse than the limit, so the limit
        var order = await LifecycleAsync(user, placed.Order.Id, "open");

        Assert.Equal(("filled", 49_000m, 0.5m, placed.Order.Id), (order.Status, order.FillPrice, order.Fee, order.PositionId));
        var position = Assert.Single(await user.OpenPositionsAsync());
        Assert.Equal((placed.Order.Id, 49_000m, 100m), (position.Id, position.EntryPrice, position.Collateral));
        Assert.Equal(10_000m - 100.5m, (await user.AccountAsync()).Balance); // the reservation paid for it, nothing more
    }

    [Fact]
    public async Task A_limit_order_beyond_the_market_fills_at_once_at_the_market_price()
    {
        var user = await App.RegisterAsync("limit-taker");
        var placed = await PlaceAsync(user, new { market = Btc, side = "long", leverage = 2, collateral = 10m, type = "limit", limitPrice = 55_000m });

        Assert.Equal(("filled", "open", 50_005m), (placed.Order.Status, placed.Order.Lifecycle, placed.Order.FillPrice));
        Assert.Equal(50_005m, placed.Position!.EntryPrice);
    }

    [Fact]
    public async Task Cancelling_a_working_order_releases_its_margin_and_only_its_owner_can_see_or_cancel_it()
    {
        var user = await App.RegisterAsync("limit-cancel");
        var other = await App.RegisterAsync("limit-snoop");
        var placed = await PlaceAsync(user, new { market = Eth, side = "short", leverage = 5, collateral = 40m, type = "limit", limitPrice = 2_600m });

        await Api.ProblemAsync(await other.Http.GetAsync($"/api/v1/orders/{placed.Order.Id}"), HttpStatusCode.NotFound, "order-not-found");
        await Api.ProblemAsync(await other.Http.DeleteAsync($"/api/v1/orders/{placed.Order.Id}"), HttpStatusCode.NotFound, "order-not-found");

        var cancelled = await Api.ReadAsync<OrderResponse>(await user.Http.DeleteAsync($"/api/v1/orders/{placed.Order.Id}"));

        Assert.Equal(("cancelled", "cancelled", "cancelled"), (cancelled.Status, cancelled.Lifecycle, cancelled.Reason!.Code));
        Assert.Equal(10_000m, (await user.AccountAsync()).Balance);
        await Api.ProblemAsync(await user.Http.DeleteAsync($"/api/v1/orders/{placed.Order.Id}"), HttpStatusCode.Conflict, "order-not-cancellable");

        // The mark crossing the old limit later fills nothing.
        await App.FeedsCaughtUpAsync();
        Market.Publish(Eth, 2_700m);
        await App.FeedsCaughtUpAsync();
        Assert.Empty(await user.OpenPositionsAsync());
        Assert.Equal("cancelled", (await OrderAsync(user, placed.Order.Id)).Lifecycle);
    }

    [Fact]
    public async Task The_owner_sees_a_limit_order_start_working_and_its_cancellation_on_their_stream()
    {
        var user = await App.RegisterAsync("limit-stream");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        using var response = await user.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(body);
        Assert.Equal("ready", (await LiveStreamTests.ReadEventAsync(reader)).Event);

        var placed = await PlaceAsync(user, new { market = Sol, side = "short", leverage = 2, collateral = 10m, type = "limit", limitPrice = 120m });
        await Api.ReadAsync<OrderResponse>(await user.Http.DeleteAsync($"/api/v1/orders/{placed.Order.Id}"));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var working = await LiveStreamTests.ReadEventAsync(reader).WaitAsync(timeout.Token);
        var cancelled = await LiveStreamTests.ReadEventAsync(reader).WaitAsync(timeout.Token);
        Assert.Equal(("order-status", "working", 120m), (working.Event, working.Data.GetProperty("status").GetString(), working.Data.GetProperty("limitPrice").GetDecimal()));
        Assert.Equal(("order-status", "cancelled", 10.01m), (cancelled.Event, cancelled.Data.GetProperty("status").GetString(), cancelled.Data.GetProperty("released").GetDecimal()));
        Assert.Equal(placed.Order.Id, cancelled.Data.GetProperty("orderId").GetGuid());
    }

    [Fact]
    public async Task An_unfilled_limit_order_expires_after_24_hours_and_gives_its_margin_back()
    {
        var user = await App.RegisterAsync("limit-expire");
        var placed = await PlaceAsync(user, new { market = Sol, side = "long", leverage = 2, collateral = 10m, type = "limit", limitPrice = 90m });

        Clock.Advance(TimeSpan.FromHours(23));
        Market.Refresh();
        await user.SignInAgainAsync();
        Assert.Equal("working", (await OrderAsync(user, placed.Order.Id)).Lifecycle);

        Clock.Advance(TimeSpan.FromHours(1));
        Market.Refresh();
        await user.SignInAgainAsync();
        var expired = await LifecycleAsync(user, placed.Order.Id, "expired");

        Assert.Equal(("expired", "expired"), (expired.Status, expired.Reason!.Code));
        Assert.Equal(10_000m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task A_stop_loss_on_the_order_closes_the_position_when_the_mark_falls_to_it_and_the_order_says_so()
    {
        var user = await App.RegisterAsync("stop-loss");
        var placed = await PlaceAsync(user, new { market = Btc, side = "long", leverage = 5, collateral = 100m, stopLoss = 48_000m, takeProfit = 55_000m });
        Assert.Equal((48_000m, 55_000m), (placed.Position!.StopLoss, placed.Position.TakeProfit));
        await App.FeedsCaughtUpAsync(); // the trigger index has it

        Clock.Advance(AstraTradeApp.MinimumHold + TimeSpan.FromSeconds(1));
        Market.Refresh();
        Market.Publish(Btc, 48_500m); // above the stop: nothing
        Market.Publish(Btc, 47_900m); // through it
        var order = await LifecycleAsync(user, placed.Order.Id, "closed");

        Assert.Equal("stop-loss", order.Reason!.Code);
        var closed = Assert.Single((await user.ClosedPositionsAsync()).Items);
        Assert.Equal(("closed", "stop-loss", 47_900m), (closed.Status, closed.CloseReason, closed.MarkPrice));
        Assert.Equal(AstraTradeApp.MinimumHold + TimeSpan.FromSeconds(1), closed.ClosedAt - closed.OpenedAt);

        // The trader's own exit, set in advance: a qualifying close (50 XP, no profit bonus), the day's streak bonus and
        // FIRST_TRADE.
        var progression = await user.ProgressionWhenAsync(p => p.Xp > 0, "XP for the stop-loss close");
        Assert.Equal(50 + 10 + 100, progression.Xp);
    }

    [Fact]
    public async Task A_take_profit_set_later_with_patch_closes_a_short_and_a_protection_on_the_wrong_side_is_refused()
    {
        var user = await App.RegisterAsync("take-profit");
        var placed = await user.OpenAsync(Eth, "short", 5, 50m);
        var id = placed.Position!.Id;

        await Api.ProblemAsync(await Patch(user, id, new { stopLoss = 2_400m, takeProfit = (decimal?)null }), HttpStatusCode.UnprocessableEntity, "invalid-protection");
        await Api.ProblemAsync(await Patch(user, id, new { stopLoss = -1m, takeProfit = (decimal?)null }), HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(await Patch(user, Guid.NewGuid(), new { stopLoss = 2_600m, takeProfit = (decimal?)null }), HttpStatusCode.NotFound, "position-not-found");
        var patched = await Api.ReadAsync<PositionResponse>(await Patch(user, id, new { stopLoss = 2_600m, takeProfit = 2_300m }));
        Assert.Equal((2_600m, 2_300m), (patched.StopLoss, patched.TakeProfit));
        await App.FeedsCaughtUpAsync();

        Market.Publish(Eth, 2_299m);
        var order = await LifecycleAsync(user, placed.Order.Id, "closed");

        Assert.Equal("take-profit", order.Reason!.Code);
        Assert.Equal("take-profit", Assert.Single((await user.ClosedPositionsAsync()).Items).CloseReason);
    }

    [Fact]
    public async Task A_liquidation_and_a_user_close_both_end_the_lifecycle_as_closed_with_the_reason()
    {
        var user = await App.RegisterAsync("lifecycle-ends");
        var liquidated = await user.OpenAsync(Btc, "long", 10, 100m);
        var closedByUser = await user.OpenAsync(Eth, "long", 2, 20m);
        await App.FeedsCaughtUpAsync();

        Market.Publish(Btc, 45_000m);
        await user.ClosePositionAsync(closedByUser.Position!.Id);

        Assert.Equal("liquidation", (await LifecycleAsync(user, liquidated.Order.Id, "closed")).Reason!.Code);
        Assert.Equal("user", (await LifecycleAsync(user, closedByUser.Order.Id, "closed")).Reason!.Code);
    }

    [Fact]
    public async Task A_practice_reset_cancels_working_orders_and_their_lifecycles_end()
    {
        var user = await App.RegisterAsync("reset-orders");
        var placed = await PlaceAsync(user, new { market = Btc, side = "long", leverage = 2, collateral = 10m, type = "limit", limitPrice = 40_000m });

        await Api.ReadAsync<PracticeAccountResponse>(await user.Http.PostAsync("/api/v1/accounts/practice/reset", null));

        var order = await LifecycleAsync(user, placed.Order.Id, "cancelled");
        Assert.Equal("reset", order.Reason!.Code);
        Assert.Equal(10_000m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task A_refused_order_is_the_rule_it_broke_and_holds_nothing()
    {
        var user = await App.RegisterAsync("refused");

        var big = await user.Http.SendAsync(Api.Order(new { market = Btc, side = "long", leverage = 10, collateral = 20_000m, type = "limit", limitPrice = 49_000m }, "big"));
        var problem = await Api.ProblemAsync(big, HttpStatusCode.UnprocessableEntity, "insufficient-balance");

        // The problem names the order, whose lifecycle says why.
        var refused = await OrderAsync(user, problem.GetProperty("orderId").GetGuid());
        Assert.Equal(("rejected", "rejected", "insufficient-balance"), (refused.Status, refused.Lifecycle, refused.Reason!.Code));
        await Api.ProblemAsync(
            await user.Http.SendAsync(Api.Order(new { market = Btc, side = "long", leverage = 10, collateral = 100m, stopLoss = 51_000m }, "bad-stop")),
            HttpStatusCode.UnprocessableEntity,
            "invalid-protection");
        Assert.Equal(10_000m, (await user.AccountAsync()).Balance);
        await Api.ProblemAsync(await user.Http.GetAsync($"/api/v1/orders/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "order-not-found");

        // A refused order used up nothing, not even its key: the same key places a different, valid order.
        var retried = await user.Http.SendAsync(Api.Order(new { market = Btc, side = "long", leverage = 10, collateral = 100m }, "big"));
        Assert.Equal("filled", (await Api.ReadAsync<PlaceOrderResponse>(retried, HttpStatusCode.Created)).Order.Status);
    }

    private static Task<HttpResponseMessage> Patch(TestUser user, Guid id, object body) =>
        user.Http.PatchAsync($"/api/v1/positions/{id}", JsonContent.Create(body, options: Api.Json));

    private static async Task<PlaceOrderResponse> PlaceAsync(TestUser user, object body) =>
        await Api.ReadAsync<PlaceOrderResponse>(await user.Http.SendAsync(Api.Order(body, Guid.NewGuid().ToString())), HttpStatusCode.Created);

    private static async Task<OrderResponse> OrderAsync(TestUser user, Guid id) =>
        await Api.ReadAsync<OrderResponse>(await user.Http.GetAsync($"/api/v1/orders/{id}"));

    private static Task<OrderResponse> LifecycleAsync(TestUser user, Guid id, string lifecycle) =>
        Eventually.MatchAsync(() => OrderAsync(user, id), o => o.Lifecycle == lifecycle, $"order {id} to be {lifecycle}");
}
