using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Functions.Platform;
using AstraTrade.Functions.Hosting;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Testing;
using AstraTrade.Testing.Extended;

namespace AstraTrade.Functions.FunctionalTests.LiveTrading;

/// <summary>
/// Live trading end to end over the real host (issue 5, DOMAIN.md §1): the gates (identity tier, linked Extended
/// account), linking, orders through the trade lifecycle to the fake Extended (every settlement signature verified
/// there), fills of resting orders found by polling, closes through the exchange, and positions the exchange ended on
/// its own found by the reconciler. Practice money never moves.
/// </summary>
public sealed class LiveTradingTests(LiveTradingFixture fixture) : AppTests<LiveTradingFixture>(fixture)
{
    private readonly LiveTradingFixture _fixture = fixture;

    private ManualTimeProvider Clock => App.Clock!;

    [Fact]
    public async Task An_unverified_user_is_refused_live_orders_then_an_unlinked_one_and_the_account_says_which_gate_is_missing()
    {
        var user = await App.RegisterAsync("gate");
        var ordersOnExtended = _fixture.Extended.Orders.Count;

        await Api.ProblemAsync(await PlaceLiveAsync(user, "long", 10, 100m), HttpStatusCode.Forbidden, "identity-verification-required");
        var before = await LiveAccountAsync(user);
        Assert.Equal((false, false, "not-checked", false), (before.Gates.IdentityVerified, before.Gates.Linked, before.Gates.Plan, before.CanTrade));

        await VerifyAsync(user);
        await Api.ProblemAsync(await PlaceLiveAsync(user, "long", 10, 100m), HttpStatusCode.Forbidden, "exchange-account-not-linked");
        Assert.Equal(ordersOnExtended, _fixture.Extended.Orders.Count);
        Assert.Equal(10_000m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task Linking_checks_the_credentials_with_Extended_and_never_shows_the_keys_again()
    {
        var user = await App.RegisterAsync("link");
        var account = _fixture.NewExchangeAccount();

        await Api.ProblemAsync(await LinkAsync(user, account with { ApiKey = "not-a-key" }), HttpStatusCode.BadRequest, "exchange-credentials-invalid");
        var other = _fixture.NewExchangeAccount();
        await Api.ProblemAsync(await LinkAsync(user, account with { StarkPrivateKey = other.StarkPrivateKey }), HttpStatusCode.BadRequest, "exchange-key-mismatch");
        await Api.ProblemAsync(await LinkAsync(user, account with { Vault = other.Vault }), HttpStatusCode.BadRequest, "exchange-key-mismatch");
        var malformed = await Api.ProblemAsync(
            await user.Http.PutAsJsonAsync("/api/v1/accounts/live/link", new { apiKey = "k", starkPrivateKey = "0xnothex", vault = 1 }),
            HttpStatusCode.BadRequest, "validation-failed");
        Assert.DoesNotContain("0xnothex", malformed.GetRawText(), StringComparison.Ordinal);
        Assert.Null((await LiveAccountAsync(user)).Link);

        var link = await Api.ReadAsync<LiveLinkResponse>(await LinkAsync(user, account));

        Assert.Equal(("extended", (long)account.Vault), (link.Exchange, link.Vault));
        var live = await LiveAccountAsync(user);
        Assert.Equal(link, live.Link);
        Assert.Equal(1_000m, live.Balance!.Balance);
        var shown = await (await user.Http.GetAsync("/api/v1/accounts/live")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(account.ApiKey, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(account.StarkPrivateKey[2..], shown, StringComparison.Ordinal);
        var request = new LinkLiveAccountRequest(account.ApiKey, account.StarkPrivateKey, account.Vault).ToString();
        Assert.DoesNotContain(account.ApiKey, request, StringComparison.Ordinal);
        Assert.DoesNotContain(account.StarkPrivateKey, request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_market_order_fills_on_Extended_at_its_price_and_fee_and_a_close_goes_through_Extended_too()
    {
        var (user, account) = await LiveTraderAsync("mkt");

        var placed = await Api.ReadAsync<PlaceOrderResponse>(await PlaceLiveAsync(user, "long", 10, 100m), HttpStatusCode.Created);

        Assert.Equal(("filled", "open", "live"), (placed.Order.Status, placed.Order.Lifecycle, placed.Order.Account));
        var position = placed.Position!;
        Assert.Equal((50_000m, 0.02m, 0.5m, 1_000m), (position.EntryPrice, position.Quantity, position.OpenFee, position.Notional));
        Assert.Equal(10m, _fixture.Extended.Leverage(account.ApiKey, "BTC-USD")); // set to the order's before placing
        Assert.Equal(0.02m, _fixture.Extended.Position(account.ApiKey, "BTC-USD")!.Size);
        Assert.Empty(_fixture.Extended.Refusals);
        Assert.Equal(10_000m, (await user.AccountAsync()).Balance); // practice money never moves
        _fixture.Extended.SetMark("BTC-USD", 50_400m);
        var open = Assert.Single((await Api.ReadAsync<PositionsPage>(await user.Http.GetAsync("/api/v1/positions?status=open&account=live"))).Items);
        // Shown as Extended holds it: its mark, and its liquidation price (the fake's: 1/leverage from the open price),
        // not DOMAIN.md's isolated formula (45,226.13 here).
        Assert.Equal((position.Id, 50_400m, 8m, 45_000m), (open.Id, open.MarkPrice, open.UnrealizedPnl, open.LiquidationPrice));

        // A second live order in the same market would net into Extended's one position there.
        await Api.ProblemAsync(await PlaceLiveAsync(user, "short", 5, 50m), HttpStatusCode.Conflict, "live-market-busy");
        // Unlinking while it is open would orphan it.
        await Api.ProblemAsync(await user.Http.DeleteAsync("/api/v1/accounts/live/link"), HttpStatusCode.Conflict, "live-account-busy");

        Clock.Advance(TimeSpan.FromMinutes(2));
        _fixture.Extended.SetMark("BTC-USD", 51_000m);
        var closed = await Api.ReadAsync<PositionResponse>(await user.Http.PostAsync($"/api/v1/positions/{position.Id}/close?account=live", null));

        Assert.Equal(("closed", "user", 51_000m, 20m, 0.51m), (closed.Status, closed.CloseReason, closed.ExitPrice, closed.RealizedPnl, closed.CloseFee));
        Assert.Equal(100m + 20m - 0.51m, closed.Payout);
        Assert.Null(_fixture.Extended.Position(account.ApiKey, "BTC-USD"));
        Assert.Single(_fixture.Extended.Orders, o => o.ExternalId == ExtendedExchange.CloseExternalId(position.Id) && o.ReduceOnly);

        // Closing again places nothing: it is already closed here.
        await Api.ProblemAsync(await user.Http.PostAsync($"/api/v1/positions/{position.Id}/close?account=live", null), HttpStatusCode.Conflict, "position-already-closed");
        Assert.Single(_fixture.Extended.Orders, o => o.ExternalId == ExtendedExchange.CloseExternalId(position.Id));

        // A live qualifying close earns 100 XP, +25 in profit (DOMAIN.md §2).
        await user.ProgressionWhenAsync(p => p.Xp >= 125, "125 XP for a profitable live close");
        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync("/api/v1/accounts/live/link")).StatusCode);
        Assert.False((await LiveAccountAsync(user)).Gates.Linked);
    }

    [Fact]
    public async Task A_resting_live_limit_order_is_polled_until_Extended_fills_it()
    {
        var (user, _) = await LiveTraderAsync("lim");

        var placed = await Api.ReadAsync<PlaceOrderResponse>(
            await PlaceLiveAsync(user, "long", 10, 100m, limitPrice: 49_000m), HttpStatusCode.Created);
        Assert.Equal("working", placed.Order.Lifecycle);

        var external = ExtendedExchange.ExternalId(placed.Order.Id);
        _fixture.Extended.FillOrder(external, 48_990m);
        Clock.Advance(TimeSpan.FromSeconds(2)); // the first poll

        var filled = await Eventually.MatchAsync(() => OrderAsync(user, placed.Order.Id), o => o.Lifecycle == "open", "the limit order to fill");
        Assert.Equal(48_990m, filled.FillPrice);
        var position = Assert.Single((await Api.ReadAsync<PositionsPage>(await user.Http.GetAsync("/api/v1/positions?status=open&account=live"))).Items);
        Assert.Equal(48_990m, position.EntryPrice);
    }

    [Fact]
    public async Task A_live_limit_order_cancelled_here_is_cancelled_on_Extended()
    {
        var (user, _) = await LiveTraderAsync("cxl");
        var placed = await Api.ReadAsync<PlaceOrderResponse>(
            await PlaceLiveAsync(user, "short", 10, 100m, limitPrice: 52_000m), HttpStatusCode.Created);

        var cancelled = await Api.ReadAsync<OrderResponse>(await user.Http.DeleteAsync($"/api/v1/orders/{placed.Order.Id}"));

        Assert.Equal("cancelled", cancelled.Lifecycle);
        Assert.Equal("CANCELLED", Assert.Single(_fixture.Extended.Orders, o => o.ExternalId == ExtendedExchange.ExternalId(placed.Order.Id)).Status);
    }

    [Fact]
    public async Task A_position_Extended_liquidated_is_found_by_the_reconciler_and_booked_once()
    {
        var (user, account) = await LiveTraderAsync("liq");
        var placed = await Api.ReadAsync<PlaceOrderResponse>(await PlaceLiveAsync(user, "long", 10, 100m), HttpStatusCode.Created);
        var reconcile = App.Services.GetRequiredService<ScheduledJobs>().For(AppFunctions.LiveReconcileTimer);

        await reconcile(Clock.GetUtcNow(), default); // still open there: nothing to book
        Assert.Equal("open", (await OrderAsync(user, placed.Order.Id)).Lifecycle);

        Clock.Advance(TimeSpan.FromMinutes(5));
        _fixture.Extended.Liquidate(account.ApiKey, "BTC-USD", 45_500m);
        await App.FeedsCaughtUpAsync();
        await reconcile(Clock.GetUtcNow(), default);
        await reconcile(Clock.GetUtcNow(), default);

        var ended = await Eventually.MatchAsync(() => OrderAsync(user, placed.Order.Id), o => o.Lifecycle == "closed", "the lifecycle to see the liquidation");
        Assert.Equal("liquidation", ended.Reason!.Code);
        var closed = Assert.Single((await Api.ReadAsync<PositionsPage>(await user.Http.GetAsync("/api/v1/positions?status=closed&account=live"))).Items);
        Assert.Equal(("liquidated", 45_500m), (closed.Status, closed.ExitPrice));
        await user.ProgressionWhenAsync(p => p.Xp == 10, "10 XP for a liquidation");
    }

    [Fact]
    public async Task After_the_owner_revokes_the_API_key_a_live_order_is_refused_asking_for_a_new_link_and_holds_nothing()
    {
        var (user, account) = await LiveTraderAsync("revoked");
        _fixture.Extended.RevokeApiKey(account.ApiKey);

        await Api.ProblemAsync(await PlaceLiveAsync(user, "long", 10, 100m), HttpStatusCode.BadRequest, "exchange-credentials-invalid");

        var live = await LiveAccountAsync(user);
        Assert.Equal((0, 0, null), (live.OpenPositions, live.WorkingOrders, live.Balance));
        Assert.Contains("API key", live.BalanceError, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await LinkAsync(user, _fixture.NewExchangeAccount())).StatusCode); // a new link trades again
        Assert.Equal(HttpStatusCode.Created, (await PlaceLiveAsync(user, "long", 10, 100m)).StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_close_that_filled_on_Extended_but_was_never_recorded_is_recorded_once_without_a_second_order(bool byTheReconciler)
    {
        var (user, account) = await LiveTraderAsync(byTheReconciler ? "crash-r" : "crash-u");
        var position = (await Api.ReadAsync<PlaceOrderResponse>(await PlaceLiveAsync(user, "long", 10, 100m), HttpStatusCode.Created)).Position!;
        Clock.Advance(TimeSpan.FromMinutes(2));
        _fixture.Extended.SetMark("BTC-USD", 49_000m);

        // The process placed the closing order and stopped before recording its fill.
        var exchange = App.Services.GetRequiredService<ILiveExchange>();
        var ack = await exchange.CloseAsync(
            new ExchangeClose(position.Id, StreamIds.LiveAccount(user.Id), "BTC-USD", PositionSide.Long, position.Quantity), default);
        Assert.Equal(ExchangeAckStatus.Filled, ack.Status);
        Assert.Null(_fixture.Extended.Position(account.ApiKey, "BTC-USD"));

        if (byTheReconciler)
        {
            await App.FeedsCaughtUpAsync();
            var reconcile = App.Services.GetRequiredService<ScheduledJobs>().For(AppFunctions.LiveReconcileTimer);
            await reconcile(Clock.GetUtcNow(), default);
            await reconcile(Clock.GetUtcNow(), default);
        }
        else
        {
            await user.Http.PostAsync($"/api/v1/positions/{position.Id}/close?account=live", null);
        }

        var closed = Assert.Single((await Api.ReadAsync<PositionsPage>(await user.Http.GetAsync("/api/v1/positions?status=closed&account=live"))).Items);
        Assert.Equal(("closed", "user", 49_000m, -20m), (closed.Status, closed.CloseReason, closed.ExitPrice, closed.RealizedPnl));
        Assert.Single(_fixture.Extended.Orders, o => o.ExternalId == ExtendedExchange.CloseExternalId(position.Id));
    }

    [Fact]
    public async Task Stop_loss_and_take_profit_are_refused_on_live_orders_until_they_are_built()
    {
        var (user, _) = await LiveTraderAsync("sl");

        var response = await user.Http.SendAsync(LiveOrder(new { market = "BTC-USD", side = "long", leverage = 10, collateral = 100m, stopLoss = 45_000m }));

        await Api.ProblemAsync(response, HttpStatusCode.UnprocessableEntity, "live-protection-not-supported");
    }

    /// <summary>A verified user with a linked Extended account, and BTC-USD at 50,000 there (tests move it).</summary>
    private async Task<(TestUser User, ExtendedAccount Account)> LiveTraderAsync(string prefix)
    {
        _fixture.Extended.SetMark("BTC-USD", 50_000m);
        var user = await App.RegisterAsync(prefix);
        await VerifyAsync(user);
        var account = _fixture.NewExchangeAccount();
        Assert.Equal(HttpStatusCode.OK, (await LinkAsync(user, account)).StatusCode);
        return (user, account);
    }

    private async Task VerifyAsync(TestUser user)
    {
        var admin = await _fixture.AdminAsync();
        var response = await admin.Http.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/verification", new { tier = "identity" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Task<HttpResponseMessage> LinkAsync(TestUser user, ExtendedAccount account) =>
        user.Http.PutAsJsonAsync("/api/v1/accounts/live/link", new { apiKey = account.ApiKey, starkPrivateKey = account.StarkPrivateKey, vault = account.Vault });

    private static async Task<LiveAccountResponse> LiveAccountAsync(TestUser user) =>
        await Api.ReadAsync<LiveAccountResponse>(await user.Http.GetAsync("/api/v1/accounts/live"));

    private static Task<HttpResponseMessage> PlaceLiveAsync(TestUser user, string side, int leverage, decimal collateral, decimal? limitPrice = null) =>
        user.Http.SendAsync(LiveOrder(limitPrice is { } limit
            ? new { market = "BTC-USD", side, leverage, collateral, type = "limit", limitPrice = limit }
            : (object)new { market = "BTC-USD", side, leverage, collateral }));

    private static HttpRequestMessage LiveOrder(object body)
    {
        var request = Api.Order(body, Guid.NewGuid().ToString());
        request.RequestUri = new Uri("/api/v1/orders?account=live", UriKind.Relative);
        return request;
    }

    private static async Task<OrderResponse> OrderAsync(TestUser user, Guid orderId) =>
        await Api.ReadAsync<OrderResponse>(await user.Http.GetAsync($"/api/v1/orders/{orderId}"));
}
