using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Requests racing on one account, user or session (optimistic concurrency in the event store): each rule still holds
/// exactly once, losers get a clean 4xx, and the ledger stays consistent.
/// </summary>
public sealed class ConcurrencyTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    [Fact]
    public async Task Parallel_retries_of_one_order_place_it_once_and_all_get_the_same_answer()
    {
        var user = await App.RegisterAsync("same-key");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => user.PlaceOrderAsync(Btc, "long", 2, 10m, "one-order")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses, r => !r.Headers.Contains("Idempotent-Replayed"));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Single(await user.OpenPositionsAsync());
        Assert.Equal(10_000m - 10.01m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task Parallel_orders_cannot_spend_the_same_balance_twice()
    {
        var user = await App.RegisterAsync("double-spend");

        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => user.PlaceOrderAsync(Btc, "long", 1, 4_000m)));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Created);
        await Api.ProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "insufficient-balance");
        Assert.Equal(10_000m - (2 * 4_002m), (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task Parallel_distinct_orders_on_one_account_all_fill_in_turn_and_the_ledger_matches()
    {
        var user = await App.RegisterAsync("burst");

        var responses = await Task.WhenAll(Enumerable.Range(1, 15).Select(i => user.PlaceOrderAsync(Eth, "short", 1, 10m + i)));

        var filled = new List<PlaceOrderResponse>();
        foreach (var response in responses)
        {
            filled.Add(await Api.ReadAsync<PlaceOrderResponse>(response, HttpStatusCode.Created));
        }

        Assert.Equal(filled.Select(f => f.Position!.Id).Order(), (await user.OpenPositionsAsync()).Select(p => p.Id).Order());
        Assert.Equal(10_000m - filled.Sum(f => f.Order.Collateral + f.Order.Fee), (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task Parallel_closes_of_one_position_pay_out_once()
    {
        var user = await App.RegisterAsync("double-close");
        var placed = await user.OpenAsync(Sol, "long", 5, 100m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => user.CloseAsync(placed.Position!.Id)));

        var closed = await Api.ReadAsync<PositionResponse>(Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await Api.ProblemAsync(loser, HttpStatusCode.Conflict, "position-already-closed");
        }

        Assert.Equal(10_000m - 100.25m + closed.Payout!.Value, (await user.AccountAsync()).Balance);
        Assert.Single((await user.ClosedPositionsAsync()).Items);
    }

    [Fact]
    public async Task Parallel_check_ins_award_the_day_once()
    {
        var user = await App.RegisterAsync("double-checkin");

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => user.Http.PostAsync("/api/v1/check-in", null)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(35, (await user.ProgressionAsync()).Xp);
    }

    [Fact]
    public async Task Parallel_resets_reset_once()
    {
        var user = await App.RegisterAsync("double-reset");
        await user.OpenAsync(Btc, "short", 3, 300m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => user.Http.PostAsync("/api/v1/accounts/practice/reset", null)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await Api.ProblemAsync(loser, HttpStatusCode.UnprocessableEntity, "reset-cooldown");
        }

        Assert.Equal(10_000m, (await user.AccountAsync()).Balance);
    }

    [Fact]
    public async Task Parallel_registrations_of_one_username_in_different_cases_create_one_user()
    {
        using var anonymous = App.Anonymous();
        var name = AstraTradeApp.UniqueName("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => anonymous.PostAsJsonAsync(
            "/api/v1/auth/register", new { username = i % 2 == 0 ? name : name.ToUpperInvariant(), password = AstraTradeApp.TestPassword + i })));

        var winner = Array.IndexOf(responses, Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            await Api.ProblemAsync(loser, HttpStatusCode.Conflict, "username-taken");
        }

        // The winner's password is the one that signs in.
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = name, password = AstraTradeApp.TestPassword + winner });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Parallel_refreshes_with_one_refresh_token_succeed_once()
    {
        var user = await App.RegisterAsync("double-refresh");
        using var anonymous = App.Anonymous();

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.Tokens.RefreshToken })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await Api.ProblemAsync(loser, HttpStatusCode.Unauthorized, "invalid-refresh-token");
        }
    }
}
