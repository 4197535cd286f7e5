using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Authorization by ownership (ARCHITECTURE.md §7) and identity from the token only (DOMAIN.md §4): one user can neither
/// see nor touch another's positions, and nothing in a body, query or header can make a request act as someone else.
/// </summary>
public sealed class OwnershipTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    [Fact]
    public async Task Another_user_sees_none_of_my_positions_trades_or_balance()
    {
        var (alice, bob) = (await App.RegisterAsync("alice"), await App.RegisterAsync("bob"));
        var kept = await alice.OpenAsync(Btc, "long", 5, 200m);
        var closed = await alice.OpenAsync(Eth, "short", 2, 50m);
        await alice.ClosePositionAsync(closed.Position!.Id);

        Assert.Empty(await bob.OpenPositionsAsync());
        Assert.Empty((await bob.ClosedPositionsAsync()).Items);
        Assert.Empty((await bob.TradesAsync()).Items);
        var account = await bob.AccountAsync();
        Assert.Equal((10_000m, 0, 0m), (account.Balance, account.OpenPositions, account.MarginInUse));
        Assert.Equal(kept.Position!.Id, Assert.Single(await alice.OpenPositionsAsync()).Id);
    }

    [Fact]
    public async Task Closing_someone_elses_position_is_404_as_if_it_did_not_exist_and_changes_neither_account()
    {
        var (alice, bob) = (await App.RegisterAsync("alice"), await App.RegisterAsync("bob"));
        await bob.OpenAsync(Sol, "long", 2, 20m);
        var target = await alice.OpenAsync(Btc, "long", 5, 200m);
        var (aliceBefore, bobBefore) = (await alice.SnapshotAsync(), await bob.SnapshotAsync());

        var problem = await Api.ProblemAsync(await bob.CloseAsync(target.Position!.Id), HttpStatusCode.NotFound, "position-not-found");

        Assert.Equal(
            JsonDocument.Parse(await (await bob.CloseAsync(Guid.NewGuid())).Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString(),
            problem.GetProperty("title").GetString());
        Assert.Equal(aliceBefore, await alice.SnapshotAsync());
        Assert.Equal(bobBefore, await bob.SnapshotAsync());
        Assert.Equal("open", Assert.Single(await alice.OpenPositionsAsync()).Status);
    }

    [Fact]
    public async Task Someone_elses_closed_position_is_404_not_409_so_its_existence_does_not_leak()
    {
        var (alice, bob) = (await App.RegisterAsync("alice"), await App.RegisterAsync("bob"));
        var placed = await alice.OpenAsync(Btc, "short", 3, 30m);
        await alice.ClosePositionAsync(placed.Position!.Id);

        await Api.ProblemAsync(await bob.CloseAsync(placed.Position!.Id), HttpStatusCode.NotFound, "position-not-found");
        await Api.ProblemAsync(await alice.CloseAsync(placed.Position!.Id), HttpStatusCode.Conflict, "position-already-closed");
    }

    [Fact]
    public async Task A_user_id_in_the_order_body_is_an_unknown_field_not_an_identity()
    {
        var (alice, bob) = (await App.RegisterAsync("alice"), await App.RegisterAsync("bob"));
        var (aliceBefore, bobBefore) = (await alice.SnapshotAsync(), await bob.SnapshotAsync());

        var response = await bob.Http.SendAsync(Api.Order(new { market = Btc, side = "long", leverage = 2, collateral = 10, userId = alice.Id }, "as-alice"));

        await Api.ProblemAsync(response, HttpStatusCode.BadRequest, "malformed-request");
        Assert.Equal(aliceBefore, await alice.SnapshotAsync());
        Assert.Equal(bobBefore, await bob.SnapshotAsync());
    }

    [Theory]
    [InlineData("/api/v1/accounts/practice")]
    [InlineData("/api/v1/positions")]
    [InlineData("/api/v1/positions?status=closed")]
    [InlineData("/api/v1/trades")]
    [InlineData("/api/v1/progression")]
    [InlineData("/api/v1/me")]
    public async Task A_user_id_in_the_query_or_headers_is_ignored_reads_are_always_the_callers(string path)
    {
        var (alice, bob) = (await App.RegisterAsync("alice"), await App.RegisterAsync("bob"));
        await alice.OpenAsync(Btc, "long", 5, 200m);
        await alice.Http.PostAsync("/api/v1/check-in", null);
        var own = await bob.Http.GetStringAsync(path);

        var request = new HttpRequestMessage(HttpMethod.Get, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"userId={alice.Id}&user={alice.Username}");
        request.Headers.Add("X-User-Id", alice.Id.ToString());
        var impersonated = await bob.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, impersonated.StatusCode);
        Assert.Equal(WithoutVolatile(own), WithoutVolatile(await impersonated.Content.ReadAsStringAsync()));
        Assert.DoesNotContain(alice.Id.ToString(), await impersonated.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Writes_act_on_the_callers_account_whatever_the_query_says()
    {
        var (alice, bob) = (await App.RegisterAsync("alice"), await App.RegisterAsync("bob"));
        var aliceBefore = await alice.SnapshotAsync();

        var order = await bob.Http.SendAsync(WithQuery(Api.Order(new { market = Eth, side = "long", leverage = 2, collateral = 10 }, "q"), $"userId={alice.Id}"));
        var reset = await bob.Http.PostAsync($"/api/v1/accounts/practice/reset?userId={alice.Id}", null);
        var checkIn = await bob.Http.PostAsync($"/api/v1/check-in?userId={alice.Id}", null);

        Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);
        Assert.Equal(aliceBefore, await alice.SnapshotAsync());
        Assert.Equal(0, (await alice.ProgressionAsync()).Xp);
        Assert.NotNull((await bob.AccountAsync()).ResetAvailableAt);
        Assert.Null((await alice.AccountAsync()).ResetAvailableAt);
    }

    [Fact]
    public async Task A_cursor_from_another_users_history_only_ever_pages_the_callers_own_history()
    {
        var (alice, bob) = (await App.RegisterAsync("alice"), await App.RegisterAsync("bob"));
        for (var i = 0; i < 4; i++)
        {
            await alice.OpenAsync(Btc, "long", 2, 10m);
        }

        var bobsOwn = await bob.OpenAsync(Sol, "short", 2, 10m);
        var alicesCursor = (await alice.TradesAsync(limit: 1)).NextCursor;
        Assert.NotNull(alicesCursor);

        var page = await bob.TradesAsync(alicesCursor, 200);

        Assert.All(page.Items, t => Assert.Equal(bobsOwn.Position!.Id, t.PositionId));
    }

    private static HttpRequestMessage WithQuery(HttpRequestMessage request, string query)
    {
        request.RequestUri = new Uri(request.RequestUri!.OriginalString + "?" + query, UriKind.Relative);
        return request;
    }

    // The trace id differs per request; everything else must be identical.
    private static string WithoutVolatile(string json) =>
        System.Text.RegularExpressions.Regex.Replace(json, "\"traceId\":\"[^\"]*\"", string.Empty);
}
