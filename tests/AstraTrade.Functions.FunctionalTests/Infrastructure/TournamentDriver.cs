using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>
/// The tournament calls tests make, over HTTP: an admin creates tournaments, users join and trade in them, and the
/// manual clock moves them through their phases. Needs an app with a scripted market and a manual clock.
/// </summary>
public sealed class TournamentDriver(AstraTradeApp app, TestUser admin)
{
    public TestUser Admin => admin;

    private ManualTimeProvider Clock => app.Clock ?? throw new InvalidOperationException("Tournament tests need a manual clock.");

    /// <summary>A fresh app (scripted market, manual clock) that makes <paramref name="adminName"/> an admin, started,
    /// with that admin registered.</summary>
    public static async Task<(AstraTradeApp App, TestUser Admin)> StartWithAdminAsync(string adminName)
    {
        var app = new AstraTradeApp(new AppOptions
        {
            ScriptedMarket = true,
            Clock = new ManualTimeProvider(),
            Settings = new Dictionary<string, string?> { ["Auth:AdminUsernames:0"] = adminName },
        });
        PublishDefaults(app.Scripted);
        await app.StartAsync();
        return (app, await RegisterAdminAsync(app, adminName));
    }

    /// <summary>Registers <paramref name="username"/>, who must be listed in the app's Auth:AdminUsernames.</summary>
    public static async Task<TestUser> RegisterAdminAsync(AstraTradeApp app, string username)
    {
        using var anonymous = app.Anonymous();
        var tokens = await Api.ReadAsync<TokenResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password = AstraTradeApp.TestPassword }, Api.Json),
            HttpStatusCode.Created);
        return new TestUser(app, username, AstraTradeApp.TestPassword, tokens);
    }

    public static object Body(string id, string kind, DateTimeOffset start, DateTimeOffset end, long fee = 0, long sponsor = 0) =>
        new { id, kind, name = "Cup " + id, startsAt = start, endsAt = end, entryFee = fee, sponsorAmount = sponsor, maxEntries = (int?)null };

    public async Task<TournamentResponse> CreateAsync(string id, DateTimeOffset start, DateTimeOffset end, long fee = 0, long sponsor = 0) =>
        await Api.ReadAsync<TournamentResponse>(
            await admin.Http.PostAsJsonAsync("/api/v1/tournaments", Body(id, "custom", start, end, fee, sponsor), Api.Json), HttpStatusCode.Created);

    public static Task<HttpResponseMessage> JoinAsync(TestUser user, string id) => user.Http.PostAsync($"/api/v1/tournaments/{id}/join", null);

    /// <summary>Joins each of <paramref name="users"/>, which must succeed.</summary>
    public static async Task JoinAllAsync(string id, params TestUser[] users)
    {
        foreach (var user in users)
        {
            await Api.ReadAsync<TournamentEntryResponse>(await JoinAsync(user, id), HttpStatusCode.Created);
        }
    }

    public static Task<HttpResponseMessage> TradeAsync(TestUser user, string id, string side, decimal collateral)
    {
        var request = Api.Order(new { market = Btc, side, leverage = 2, collateral }, Guid.NewGuid().ToString());
        request.RequestUri = new Uri($"/api/v1/orders?account=tournament:{id}", UriKind.Relative);
        return user.Http.SendAsync(request);
    }

    public static async Task<Guid> OpenAsync(TestUser user, string id, string side, decimal collateral = 1_000m) =>
        (await Api.ReadAsync<PlaceOrderResponse>(await TradeAsync(user, id, side, collateral), HttpStatusCode.Created)).Position!.Id;

    public static async Task CloseAsync(TestUser user, string id, Guid position) =>
        await Api.ReadAsync<PositionResponse>(await user.Http.PostAsync($"/api/v1/positions/{position}/close?account=tournament:{id}", null));

    public static async Task<IReadOnlyList<PositionResponse>> OpenPositionsAsync(TestUser user, string id) =>
        (await Api.ReadAsync<PositionsPage>(await user.Http.GetAsync($"/api/v1/positions?account=tournament:{id}"))).Items;

    /// <summary>Moves the clock (tokens are re-issued, prices re-published at the new time).</summary>
    public async Task GoToAsync(DateTimeOffset at, params TestUser[] users)
    {
        Clock.SetUtcNow(at);
        app.Scripted.Refresh();
        foreach (var user in users.Append(admin))
        {
            await user.SignInAgainAsync();
        }
    }

    /// <summary>Moves the clock in 5 s steps, with fresh prices, until the tournament's workflow instance has finalized
    /// it (a settlement that met a stale price is retried by the activity's retry policy, on the same clock).</summary>
    public async Task<TournamentResponse> FinalizedAsync(TestUser user, string id)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var view = await Api.ReadAsync<TournamentResponse>(await user.Http.GetAsync($"/api/v1/tournaments/{id}"));
            if (view.Status == "completed")
            {
                return view;
            }

            app.Scripted.Refresh();
            Clock.Advance(TimeSpan.FromSeconds(5));
            app.Scripted.Refresh();
            await Task.Delay(50);
        }

        throw new TimeoutException($"{id} did not complete.");
    }
}
