using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>An app with small limits: 5 orders per minute per user, 5 auth requests per minute per client address.</summary>
public sealed class RateLimitFixture : AppFixture
{
    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Settings = new Dictionary<string, string?> { ["RateLimits:OrdersPerMinute"] = "5", ["RateLimits:AuthPerMinute"] = "5" },
    };
}

/// <summary>
/// Rate limits (DOMAIN.md §1: orders per user per minute; sign-up, sign-in and refresh per client address). The in-memory
/// server has no peer address, so each test acts from addresses of its own (see <see cref="ClientAddressStartupFilter"/>).
/// The limiter keeps real time; every test finishes well within its minute.
/// </summary>
public sealed class RateLimitTests(RateLimitFixture fixture) : AppTests<RateLimitFixture>(fixture)
{
    [Fact]
    public async Task The_sixth_order_within_a_minute_is_429_rate_limited_with_Retry_After_and_other_users_are_unaffected()
    {
        var alice = await App.RegisterAsync("alice", clientAddress: "10.1.0.1");
        var bob = await App.RegisterAsync("bob", clientAddress: "10.1.0.2");
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await alice.PlaceOrderAsync(Btc, "long", 2, 10m)).StatusCode);
        }

        var before = await alice.SnapshotAsync();
        var limited = await alice.PlaceOrderAsync(Btc, "long", 2, 10m);

        await Api.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(before, await alice.SnapshotAsync());
        Assert.Equal(5, (await alice.AccountAsync()).OpenPositions);

        Assert.Equal(HttpStatusCode.Created, (await bob.PlaceOrderAsync(Btc, "long", 2, 10m)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.GetAsync("/api/v1/positions")).StatusCode); // reads are not limited
        Assert.Equal(HttpStatusCode.OK, (await alice.CloseAsync((await alice.OpenPositionsAsync())[0].Id)).StatusCode); // nor closes
    }

    [Fact]
    public async Task The_sixth_sign_in_attempt_from_one_address_within_a_minute_is_429_while_other_addresses_still_get_in()
    {
        var user = await App.RegisterAsync("target", clientAddress: "10.2.0.1");
        using var attacker = App.Anonymous("10.2.0.2");
        using var owner = App.Anonymous("10.2.0.3");
        for (var i = 0; i < 5; i++)
        {
            var guess = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = $"guess number {i:D4}" });
            await Api.ProblemAsync(guess, HttpStatusCode.Unauthorized, "invalid-credentials");
        }

        // Even the right password is refused from that address now: guessing is slowed down, not just failures.
        var limited = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = user.Password });

        await Api.ProblemAsync(limited, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.InRange(int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(HttpStatusCode.OK, (await owner.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = user.Password })).StatusCode);
    }

    [Fact]
    public async Task Sign_up_sign_in_refresh_and_sign_out_share_one_limit_per_address_and_other_endpoints_are_not_limited_by_it()
    {
        var user = await App.RegisterAsync("shared", clientAddress: "10.3.0.1");
        using var client = App.Anonymous("10.3.0.2");
        var tokens = await Api.ReadAsync<TokenResponse>(await client.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = user.Password }));
        tokens = await Api.ReadAsync<TokenResponse>(await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = tokens.RefreshToken }));
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", new { username = AstraTradeApp.UniqueName("x"), password = AstraTradeApp.TestPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = "unknown" })).StatusCode);
        await Api.ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "unknown" }), HttpStatusCode.Unauthorized, "invalid-refresh-token");

        await Api.ProblemAsync(
            await client.PostAsJsonAsync("/api/v1/auth/register", new { username = AstraTradeApp.UniqueName("y"), password = AstraTradeApp.TestPassword }),
            HttpStatusCode.TooManyRequests, "rate-limited");
        await Api.ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = tokens.RefreshToken }), HttpStatusCode.TooManyRequests, "rate-limited");

        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/markets")).StatusCode);
    }
}
