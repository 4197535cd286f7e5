namespace AstraTrade.Functions.FunctionalTests;

/// <summary>The real simulated market on the system clock, history from today (quick to warm up).</summary>
public sealed class PlatformFixture : AppFixture
{
    protected override AppOptions Options => new();
}

/// <summary>Health, the OpenAPI document and the answers for routes and methods that do not exist.</summary>
public sealed class PlatformTests(PlatformFixture fixture) : AppTests<PlatformFixture>(fixture)
{
    public static readonly TheoryData<string, string> Routes = new()
    {
        { "post", "/api/v1/auth/register" },
        { "post", "/api/v1/auth/login" },
        { "post", "/api/v1/auth/refresh" },
        { "post", "/api/v1/auth/logout" },
        { "post", "/api/v1/auth/starknet/challenge" },
        { "post", "/api/v1/auth/starknet/verify" },
        { "post", "/api/v1/auth/starknet/link" },
        { "get", "/api/v1/me" },
        { "get", "/api/v1/admin/users/{userId}" },
        { "post", "/api/v1/admin/users/{userId}/suspend" },
        { "post", "/api/v1/admin/users/{userId}/reactivate" },
        { "put", "/api/v1/admin/users/{userId}/verification" },
        { "get", "/api/v1/markets" },
        { "get", "/api/v1/markets/{symbol}" },
        { "get", "/api/v1/markets/{symbol}/candles" },
        { "get", "/api/v1/accounts/live" },
        { "put", "/api/v1/accounts/live/link" },
        { "delete", "/api/v1/accounts/live/link" },
        { "get", "/api/v1/accounts/practice" },
        { "post", "/api/v1/accounts/practice/reset" },
        { "post", "/api/v1/orders" },
        { "get", "/api/v1/orders/{id}" },
        { "delete", "/api/v1/orders/{id}" },
        { "patch", "/api/v1/positions/{id}" },
        { "get", "/api/v1/positions" },
        { "post", "/api/v1/positions/{id}/close" },
        { "get", "/api/v1/trades" },
        { "get", "/api/v1/health" },
        { "get", "/api/v1/stream" },
        { "get", "/api/v1/progression" },
        { "post", "/api/v1/check-in" },
        { "get", "/api/v1/leaderboards/{board}" },
        { "get", "/api/v1/leaderboards/{board}/me" },
        { "get", "/api/v1/tournaments" },
        { "post", "/api/v1/tournaments" },
        { "get", "/api/v1/tournaments/{id}" },
        { "post", "/api/v1/tournaments/{id}/join" },
        { "get", "/api/v1/tournaments/{id}/account" },
        { "get", "/api/v1/tournaments/{id}/standings" },
        { "get", "/api/v1/tournaments/{id}/standings/me" },
        { "get", "/api/v1/tournaments/{id}/stream" },
        { "post", "/api/v1/tournaments/{id}/cancel" },
        { "get", "/api/v1/nfts" },
        { "get", "/api/v1/nfts/{id}" },
        { "get", "/api/v1/nfts/{id}/metadata" },
        { "post", "/api/v1/workflows/{name}" },
        { "get", "/api/v1/workflows/instances" },
        { "get", "/api/v1/workflows/instances/{instanceId}" },
        { "post", "/api/v1/workflows/instances/{instanceId}/raiseEvent/{eventName}" },
        { "post", "/api/v1/workflows/instances/{instanceId}/terminate" },
        { "post", "/api/v1/workflows/instances/{instanceId}/suspend" },
        { "post", "/api/v1/workflows/instances/{instanceId}/resume" },
        { "delete", "/api/v1/workflows/instances/{instanceId}" },
    };

    [Theory]
    [InlineData("/health")]
    [InlineData("/api/v1/health")]
    public async Task Health_is_200_healthy_with_the_store_every_subscription_caught_up_and_a_fresh_price_per_market(string path)
    {
        using var client = App.Anonymous();

        var response = await client.GetAsync(path);

        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.StatusCode == HttpStatusCode.OK, health.ToString());
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var store = health.GetProperty("store");
        Assert.Equal(Path.GetFullPath(App.DataDirectory), store.GetProperty("dataDirectory").GetString());
        Assert.True(store.GetProperty("headPosition").GetInt64() >= 0);
        Assert.Equal(0, store.GetProperty("discardedTailBytes").GetInt64());
        var queue = health.GetProperty("workQueue");
        Assert.Equal(("in-process", "workflow-work"), (queue.GetProperty("kind").GetString(), queue.GetProperty("name").GetString()));
        Assert.True(queue.GetProperty("approximateMessages").GetInt32() >= 0);
        Assert.Equal(JsonValueKind.Null, health.GetProperty("integrationRelay").GetProperty("lastError").ValueKind);
        var subscriptions = health.GetProperty("subscriptions").EnumerateArray().ToList();
        Assert.Equal(["progression", "leaderboards", "open-positions", "live-users", "tournaments", "tournament-directory", "tournament-standings", "practice-order-book", "trade-lifecycles", "tournament-workflows", "integration-events"], subscriptions.Select(s => s.GetProperty("name").GetString()));
        Assert.All(subscriptions, s =>
        {
            Assert.True(s.GetProperty("caughtUp").GetBoolean());
            Assert.Equal(JsonValueKind.Null, s.GetProperty("lastError").ValueKind);
        });
        var markets = health.GetProperty("markets").EnumerateArray().ToList();
        Assert.Equal(["BTC-USD", "ETH-USD", "SOL-USD", "STRK-USD"], markets.Select(m => m.GetProperty("symbol").GetString()));
        Assert.All(markets, m =>
        {
            Assert.True(m.GetProperty("price").GetDecimal() > 0);
            Assert.InRange(m.GetProperty("ageSeconds").GetDouble(), 0, 5);
        });
    }

    [Fact]
    public async Task Health_counts_what_the_app_has_stored_and_handled()
    {
        var user = await App.RegisterAsync("health");
        await user.OpenAsync("BTC-USD", "long", 2, 10m);
        await App.FeedsCaughtUpAsync();
        using var client = App.Anonymous();

        var health = JsonDocument.Parse(await client.GetStringAsync("/health")).RootElement;

        var head = health.GetProperty("store").GetProperty("headPosition").GetInt64();
        Assert.True(head >= 3, $"registration and an order append at least 3 events, head is {head}");
        Assert.True(health.GetProperty("store").GetProperty("streamCount").GetInt32() >= 2);
        Assert.All(health.GetProperty("subscriptions").EnumerateArray(), s => Assert.True(s.GetProperty("eventsHandled").GetInt64() >= 3));
    }

    [Fact]
    public async Task Health_is_503_degraded_and_says_which_market_has_no_fresh_price()
    {
        await using var app = new AstraTradeApp(new AppOptions { ScriptedMarket = true });
        Markets.PublishDefaults(app.Scripted);
        await app.StartAsync();
        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        app.Scripted.Clear(Markets.Sol);
        app.Scripted.Publish(Markets.Strk, 0.5m, at: DateTimeOffset.UtcNow.AddSeconds(-30));
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        var markets = health.GetProperty("markets").EnumerateArray().ToDictionary(m => m.GetProperty("symbol").GetString()!);
        Assert.Equal(JsonValueKind.Null, markets[Markets.Sol].GetProperty("price").ValueKind);
        Assert.True(markets[Markets.Strk].GetProperty("ageSeconds").GetDouble() >= 30);
        Assert.InRange(markets[Markets.Btc].GetProperty("ageSeconds").GetDouble(), 0, 5);

        app.Scripted.Publish(Markets.Sol, 100m);
        app.Scripted.Publish(Markets.Strk, 0.5m);
        app.Scripted.Refresh();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_is_OpenAPI_3_and_describes_the_API_with_health_under_api_v1_only()
    {
        using var client = App.Anonymous();

        var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(document.GetProperty("info").GetProperty("title").GetString()));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(Routes.Select(r => (string)r[1]).Distinct().Order(), paths.Order());
        Assert.Contains("/api/v1/health", paths);
        Assert.DoesNotContain("/health", paths); // the bare probe for load balancers stays out of the API description
    }

    [Fact]
    public async Task The_OpenAPI_document_declares_bearer_auth_the_required_Idempotency_Key_and_money_as_numbers()
    {
        using var client = App.Anonymous();
        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var placeOrder = document.GetProperty("paths").GetProperty("/api/v1/orders").GetProperty("post");
        Assert.True(placeOrder.TryGetProperty("security", out _), "POST /orders does not declare bearer auth");
        Assert.False(document.GetProperty("paths").GetProperty("/api/v1/markets").GetProperty("get").TryGetProperty("security", out _));
        var header = placeOrder.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.True(header.GetProperty("required").GetBoolean());
        var collateral = document.GetProperty("components").GetProperty("schemas").GetProperty("PlaceOrderRequest")
            .GetProperty("properties").GetProperty("collateral");
        Assert.Equal("number", collateral.GetProperty("type").GetString());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_is_in_the_OpenAPI_document_with_its_method_and_a_success_response(string method, string path)
    {
        using var client = App.Anonymous();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
        Assert.Contains(operation.GetProperty("responses").EnumerateObject(), r => r.Name.StartsWith('2'));
        foreach (var parameter in path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')))
        {
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == parameter && p.GetProperty("in").GetString() == "path");
        }
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_order_body_strictly_and_the_Idempotency_Key_header()
    {
        using var client = App.Anonymous();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        var order = document.GetProperty("paths").GetProperty("/api/v1/orders").GetProperty("post");
        Assert.Contains(order.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        Assert.True(order.GetProperty("requestBody").GetProperty("required").GetBoolean());
        Assert.Equal(
            ["201", "202", "400", "409", "422", "429", "503"],
            order.GetProperty("responses").EnumerateObject().Select(r => r.Name).Order());
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty("PlaceOrderRequest");
        Assert.Equal(["collateral", "leverage", "market", "side"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
        Assert.False(schema.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(
            ["long", "short"],
            document.GetProperty("components").GetProperty("schemas").GetProperty("OrderSide").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/api/v2/markets")]
    [InlineData("/api/v1/orders/123")]
    [InlineData("/api/v1/users/someone/positions")]
    public async Task An_unknown_route_is_404_with_our_not_found_problem(string path)
    {
        using var client = App.Anonymous();

        await Api.ProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("GET", "/api/v1/orders")]
    [InlineData("DELETE", "/api/v1/positions")]
    [InlineData("PUT", "/api/v1/markets")]
    [InlineData("GET", "/api/v1/auth/login")]
    public async Task A_known_route_with_the_wrong_method_is_405_with_our_method_not_allowed_problem(string method, string path)
    {
        var user = await App.RegisterAsync("method");

        await Api.ProblemAsync(await user.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)), HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    [Fact]
    public async Task Every_problem_carries_a_trace_id()
    {
        using var client = App.Anonymous();

        var problem = await Api.ProblemAsync(await client.GetAsync("/api/v1/markets/NOPE-USD"), HttpStatusCode.NotFound, "unknown-market");

        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("traceId").GetString()));
    }
}
