using AstraTrade.Application.Eventing;
using AstraTrade.Application.Users;
using AstraTrade.Domain.Users;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// POST /api/v1/orders: fills, fees, idempotency and every risk check (DOMAIN.md §1), against a scripted market and a
/// manual clock, so prices and times are exact.
/// </summary>
public sealed class OrdersTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    private ManualTimeProvider Clock => App.Clock!;

    private ScriptedMarketData Market => App.Scripted;

    [Fact]
    public async Task A_long_fills_at_mark_plus_half_the_spread_pays_a_005_percent_fee_and_debits_collateral_plus_fee()
    {
        var user = await App.RegisterAsync("long");
        Market.Publish(Btc, 50_000m);

        var response = await user.PlaceOrderAsync(Btc, "long", 10, 100m);

        var placed = await Api.ReadAsync<PlaceOrderResponse>(response, HttpStatusCode.Created);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        var entry = 50_005m; // 50,000 × (1 + 0.0001)
        var quantity = 1_000m / entry;
        Assert.Equal(
            new OrderResponse(placed.Order.Id, Btc, "long", "market", 10, 100m, "filled", entry, 0.5m, placed.Position!.Id, Clock.GetUtcNow())
            {
                Lifecycle = "open", UpdatedAt = Clock.GetUtcNow(),
            },
            placed.Order);
        var position = placed.Position;
        Assert.Equal(("open", Btc, "long", 10), (position.Status, position.Market, position.Side, position.Leverage));
        Assert.Equal((100m, 1_000m, entry, 0.5m), (position.Collateral, position.Notional, position.EntryPrice, position.OpenFee));
        Assert.Equal(Expected.Price(quantity), position.Quantity);
        Assert.Equal(50_000m, position.MarkPrice);
        Assert.Equal(Expected.Money(quantity * (50_000m - entry)), position.UnrealizedPnl);
        AssertClose(Expected.LiquidationPrice("long", entry, 10, 0.005m), position.LiquidationPrice);
        Assert.Equal(Clock.GetUtcNow(), position.OpenedAt);
        Assert.Null(position.ClosedAt);

        var account = await user.AccountAsync();
        Assert.Equal(10_000m - 100m - 0.5m, account.Balance);
        Assert.Equal(100m, account.MarginInUse);
        Assert.Equal(1, account.OpenPositions);
    }

    [Fact]
    public async Task A_short_fills_at_mark_minus_half_the_spread()
    {
        var user = await App.RegisterAsync("short");
        Market.Publish(Eth, 2_500m);

        var placed = await user.OpenAsync(Eth, "short", 5, 40m);

        var entry = 2_499.75m; // 2,500 × (1 − 0.0001)
        Assert.Equal(entry, placed.Order.FillPrice);
        Assert.Equal(0.1m, placed.Order.Fee); // 200 × 0.05 %
        Assert.Equal(200m, placed.Position!.Notional);
        Assert.Equal(Expected.Price(200m / entry), placed.Position!.Quantity);
        AssertClose(Expected.LiquidationPrice("short", entry, 5, 0.005m), placed.Position!.LiquidationPrice);
        Assert.Equal(10_000m - 40.1m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task Fees_round_up_to_the_micro_dollar()
    {
        var user = await App.RegisterAsync("fee");

        var placed = await user.OpenAsync(Btc, "long", 1, 10.000001m); // fee 0.0050000005 → 0.005001

        Assert.Equal(0.005001m, placed.Order.Fee);
        Assert.Equal(10_000m - 10.000001m - 0.005001m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task The_market_symbol_in_an_order_is_matched_ignoring_case_and_an_explicit_market_type_is_accepted()
    {
        var user = await App.RegisterAsync("case");

        var response = await user.Http.SendAsync(Api.Order(new { market = "sol-usd", side = "short", leverage = 2, collateral = 25, type = "market" }, "k-case"));

        var placed = await Api.ReadAsync<PlaceOrderResponse>(response, HttpStatusCode.Created);
        Assert.Equal(Sol, placed.Order.Market);
        Assert.Equal(Sol, placed.Position!.Market);
        Assert.Equal("market", placed.Order.Type);
    }

    [Fact]
    public async Task A_filled_order_shows_up_as_an_open_position_and_an_open_trade()
    {
        var user = await App.RegisterAsync("shows");
        Market.Publish(Btc, 40_000m);

        var placed = await user.OpenAsync(Btc, "long", 4, 50m);

        Assert.Equal(placed.Position, Assert.Single(await user.OpenPositionsAsync()));
        var trade = Assert.Single((await user.TradesAsync()).Items);
        var entry = 40_004m;
        Assert.Equal(
            new TradeResponse(placed.Position!.Id, "open", Btc, "buy", entry, placed.Position!.Quantity, Expected.Money(200m / entry * entry), 0.1m, null, Clock.GetUtcNow()),
            trade);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task An_order_without_an_Idempotency_Key_is_400_idempotency_key_required_and_changes_nothing(string? key)
    {
        var user = await App.RegisterAsync("nokey");
        var before = await user.SnapshotAsync();

        var request = Api.Order(new { market = Btc, side = "long", leverage = 2, collateral = 10 }, null);
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        await Api.ProblemAsync(await user.Http.SendAsync(request), HttpStatusCode.BadRequest, "idempotency-key-required");
        Assert.Equal(before, await user.SnapshotAsync());
    }

    public static TheoryData<string> BadKeys => new() { new string('k', 101), "has space", "ünïcödé", "tab\there" };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task An_Idempotency_Key_that_is_too_long_or_not_visible_ASCII_is_400_validation_failed(string key)
    {
        var user = await App.RegisterAsync("badkey");

        var problem = await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", 2, 10m, key), HttpStatusCode.BadRequest, "validation-failed");

        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal("Idempotency-Key", error.Name);
        Assert.Empty(await user.OpenPositionsAsync());
    }

    [Fact]
    public async Task An_Idempotency_Key_of_100_visible_ASCII_characters_is_accepted()
    {
        var user = await App.RegisterAsync("longkey");

        var response = await user.PlaceOrderAsync(Btc, "long", 2, 10m, string.Concat(Enumerable.Repeat("!~aZ09", 17))[..100]);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Repeating_an_order_with_the_same_key_and_body_replays_the_first_response_and_places_nothing_more()
    {
        var user = await App.RegisterAsync("replay");
        Market.Publish(Btc, 50_000m);
        var first = await user.PlaceOrderAsync(Btc, "long", 3, 100m, "order-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        // A retry later, when the price has moved: still the first result, not a new fill.
        Market.Publish(Btc, 51_000m);
        Clock.Advance(TimeSpan.FromSeconds(2));
        var retry = await user.PlaceOrderAsync(Btc, "long", 3, 100m, "order-1");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        var open = Assert.Single(await user.OpenPositionsAsync());
        Assert.Equal(50_005m, open.EntryPrice);
        var account = await user.AccountAsync();
        Assert.Equal(10_000m - 100m - 0.15m, account.Balance);
        Assert.Single((await user.TradesAsync()).Items);
    }

    [Fact]
    public async Task The_same_order_written_differently_is_the_same_order()
    {
        var user = await App.RegisterAsync("format");
        var first = await user.Http.SendAsync(Api.Order(new { market = Eth, side = "short", leverage = 2, collateral = 10 }, "fmt"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var request = Api.Raw(HttpMethod.Post, "/api/v1/orders", """{ "type": "market", "collateral": 10.000, "leverage": 2, "side": "short", "market": "eth-usd" }""");
        request.Headers.Add("Idempotency-Key", "fmt");
        var retry = await user.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(["true"], retry.Headers.GetValues("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Single(await user.OpenPositionsAsync());
    }

    [Fact]
    public async Task An_Idempotency_Key_is_replayed_even_after_its_position_was_closed()
    {
        var user = await App.RegisterAsync("closed-key");
        var first = await user.PlaceOrderAsync(Btc, "long", 2, 10m, "closed-key");
        var placed = await Api.ReadAsync<PlaceOrderResponse>(first, HttpStatusCode.Created);
        await user.ClosePositionAsync(placed.Position!.Id);
        var closed = await user.SnapshotAsync();

        await Eventually.MatchAsync(
            async () => await Api.ReadAsync<OrderResponse>(await user.Http.GetAsync($"/api/v1/orders/{placed.Order.Id}")),
            o => o.Lifecycle == "closed",
            "the order's lifecycle to see its position closed");

        var retry = await user.PlaceOrderAsync(Btc, "long", 2, 10m, "closed-key");

        // The first result: the same order and the position as it opened, with the order's lifecycle as it is now.
        var replayed = await Api.ReadAsync<PlaceOrderResponse>(retry, HttpStatusCode.Created);
        Assert.Equal(placed.Position, replayed.Position);
        Assert.Equal(placed.Order with { Lifecycle = "closed", Reason = replayed.Order.Reason, UpdatedAt = replayed.Order.UpdatedAt }, replayed.Order);
        Assert.Equal("user", replayed.Order.Reason!.Code);
        Assert.Equal(closed, await user.SnapshotAsync());
    }

    [Theory]
    [InlineData("ETH-USD", "long", 3, 100)]
    [InlineData("BTC-USD", "short", 3, 100)]
    [InlineData("BTC-USD", "long", 4, 100)]
    [InlineData("BTC-USD", "long", 3, 100.000001)]
    public async Task Reusing_an_Idempotency_Key_for_a_different_order_is_409_idempotency_key_reused_and_changes_nothing(
        string market, string side, int leverage, decimal collateral)
    {
        var user = await App.RegisterAsync("reused");
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Btc, "long", 3, 100m, "same-key")).StatusCode);
        var before = await user.SnapshotAsync();

        var response = await user.PlaceOrderAsync(market, side, leverage, collateral, "same-key");

        await Api.ProblemAsync(response, HttpStatusCode.Conflict, "idempotency-key-reused");
        Assert.Equal(before, await user.SnapshotAsync());
    }

    [Fact]
    public async Task Idempotency_Keys_belong_to_one_account_so_two_users_may_use_the_same_key()
    {
        var alice = await App.RegisterAsync("alice");
        var bob = await App.RegisterAsync("bob");

        var a = await Api.ReadAsync<PlaceOrderResponse>(await alice.PlaceOrderAsync(Btc, "long", 2, 10m, "shared"), HttpStatusCode.Created);
        var b = await bob.PlaceOrderAsync(Btc, "long", 2, 10m, "shared");

        Assert.False(b.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(a.Position!.Id, (await Api.ReadAsync<PlaceOrderResponse>(b, HttpStatusCode.Created)).Position!.Id);
        Assert.Single(await alice.OpenPositionsAsync());
        Assert.Single(await bob.OpenPositionsAsync());
    }

    [Fact]
    public async Task A_refused_order_does_not_use_up_its_key_so_a_retry_after_a_stale_price_can_succeed()
    {
        var user = await App.RegisterAsync("retry");
        Market.Publish(Sol, 100m, at: Clock.GetUtcNow() - TimeSpan.FromSeconds(6));

        await Api.ProblemAsync(await user.PlaceOrderAsync(Sol, "long", 2, 10m, "retry-key"), HttpStatusCode.ServiceUnavailable, "stale-price");
        Market.Publish(Sol, 100m);
        var retry = await user.PlaceOrderAsync(Sol, "long", 2, 10m, "retry-key");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData("BTC-USD", 11)]
    [InlineData("STRK-USD", 11)] // the market allows 20, the level-1 user 10
    [InlineData("BTC-USD", 101)]
    public async Task Leverage_above_the_level_1_limit_of_10_is_422_leverage_out_of_range(string market, int leverage)
    {
        var user = await App.RegisterAsync("lev");
        var before = await user.SnapshotAsync();

        var problem = await Api.ProblemAsync(await user.PlaceOrderAsync(market, "long", leverage, 10m), HttpStatusCode.UnprocessableEntity, "leverage-out-of-range");

        Assert.Contains("from 1 to 10", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await user.SnapshotAsync());
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(market, "long", 10, 10m)).StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public async Task Leverage_below_1_is_400_validation_failed(int leverage)
    {
        var user = await App.RegisterAsync("lev0");

        var problem = await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", leverage, 10m), HttpStatusCode.BadRequest, "validation-failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("leverage", out _));
    }

    [Theory]
    [InlineData(9.99, 1)]
    [InlineData(0.999999, 10)]
    [InlineData(1, 9)]
    public async Task A_notional_under_the_10_USD_minimum_is_422_notional_too_small(decimal collateral, int leverage)
    {
        var user = await App.RegisterAsync("small");
        var before = await user.SnapshotAsync();

        await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", leverage, collateral), HttpStatusCode.UnprocessableEntity, "notional-too-small");

        Assert.Equal(before, await user.SnapshotAsync());
    }

    [Fact]
    public async Task A_notional_of_exactly_10_USD_is_accepted()
    {
        var user = await App.RegisterAsync("ten");

        var placed = await user.OpenAsync(Strk, "short", 10, 1m);

        Assert.Equal(10m, placed.Position!.Notional);
    }

    [Fact]
    public async Task An_order_whose_collateral_plus_fee_exceeds_the_balance_is_422_insufficient_balance_and_one_that_exactly_fits_is_filled()
    {
        var user = await App.RegisterAsync("broke");
        var before = await user.SnapshotAsync();

        // 9,995.01 + 4.997505 fee = 10,000.007505 > 10,000
        await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", 1, 9_995.01m), HttpStatusCode.UnprocessableEntity, "insufficient-balance");
        Assert.Equal(before, await user.SnapshotAsync());

        // 9,995 + 4.9975 fee = 9,999.9975 ≤ 10,000
        await user.OpenAsync(Btc, "long", 1, 9_995m);
        Assert.Equal(0.0025m, (await user.AccountAsync()).Balance);
        await Api.ProblemAsync(await user.PlaceOrderAsync(Btc, "long", 10, 1m), HttpStatusCode.UnprocessableEntity, "insufficient-balance");
    }

    [Fact]
    public async Task At_most_20_positions_may_be_open_and_closing_one_makes_room()
    {
        var user = await App.RegisterAsync("twenty");
        var opened = new List<PlaceOrderResponse>();
        for (var i = 0; i < 20; i++)
        {
            opened.Add(await user.OpenAsync(i % 2 == 0 ? Btc : Eth, "long", 1, 10m));
        }

        var before = await user.SnapshotAsync();
        await Api.ProblemAsync(await user.PlaceOrderAsync(Sol, "short", 1, 10m), HttpStatusCode.UnprocessableEntity, "too-many-open-positions");
        Assert.Equal(before, await user.SnapshotAsync());

        await user.ClosePositionAsync(opened[7].Position!.Id);
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Sol, "short", 1, 10m)).StatusCode);
        Assert.Equal(20, (await user.AccountAsync()).OpenPositions);
    }

    [Fact]
    public async Task A_mark_price_exactly_5_seconds_old_is_fresh_and_one_older_is_503_stale_price()
    {
        var user = await App.RegisterAsync("stale");
        Market.Publish(Sol, 100m);

        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Sol, "long", 2, 10m)).StatusCode);

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var before = await user.SnapshotAsync();
        var problem = await Api.ProblemAsync(await user.PlaceOrderAsync(Sol, "long", 2, 10m), HttpStatusCode.ServiceUnavailable, "stale-price");
        Assert.Contains("SOL-USD", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await user.SnapshotAsync());
    }

    [Fact]
    public async Task A_market_without_any_price_yet_is_503_stale_price()
    {
        var user = await App.RegisterAsync("noprice");
        Market.Clear(Strk);

        await Api.ProblemAsync(await user.PlaceOrderAsync(Strk, "long", 2, 10m), HttpStatusCode.ServiceUnavailable, "stale-price");
        Assert.Empty(await user.OpenPositionsAsync());
    }

    [Theory]
    [InlineData("DOGE-USD")]
    [InlineData("BTC-EUR")]
    [InlineData("BTC_USD")]
    public async Task An_order_for_an_unknown_market_is_422_unknown_market(string market)
    {
        var user = await App.RegisterAsync("doge");
        var before = await user.SnapshotAsync();

        await Api.ProblemAsync(await user.PlaceOrderAsync(market, "long", 2, 10m), HttpStatusCode.UnprocessableEntity, "unknown-market");

        Assert.Equal(before, await user.SnapshotAsync());
    }

    private static void AssertClose(decimal expected, decimal actual) =>
        Assert.True(Math.Abs(expected - actual) < 0.000001m, $"Expected about {expected} but got {actual}.");
}
