namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>A registered user and a client signed in as them, with the calls tests make most.</summary>
public sealed class TestUser(AstraTradeApp app, string username, string password, TokenResponse tokens)
{
    private HttpClient? _http;

    public string Username { get; } = username;

    public string Password { get; } = password;

    public TokenResponse Tokens { get; } = tokens;

    public Guid Id => Tokens.UserId;

    /// <summary>A client sending this user's access token.</summary>
    public HttpClient Http => _http ??= app.WithToken(Tokens.AccessToken);

    /// <summary>Signs in again and sends the new access token from now on (after the clock passed its 15 minutes).</summary>
    public async Task SignInAgainAsync()
    {
        using var anonymous = app.Anonymous();
        var tokens = await Api.ReadAsync<TokenResponse>(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = Username, password = Password }));
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
    }

    public Task<HttpResponseMessage> PlaceOrderAsync(string market, string side, int leverage, decimal collateral, string? idempotencyKey = null) =>
        Http.SendAsync(Api.Order(new { market, side, leverage, collateral }, idempotencyKey ?? Guid.NewGuid().ToString()));

    /// <summary>Places an order that must succeed.</summary>
    public async Task<PlaceOrderResponse> OpenAsync(string market, string side, int leverage, decimal collateral) =>
        await Api.ReadAsync<PlaceOrderResponse>(await PlaceOrderAsync(market, side, leverage, collateral), HttpStatusCode.Created);

    public Task<HttpResponseMessage> CloseAsync(Guid positionId) => Http.PostAsync($"/api/v1/positions/{positionId}/close", null);

    /// <summary>Closes a position; the close must succeed.</summary>
    public async Task<PositionResponse> ClosePositionAsync(Guid positionId) => await Api.ReadAsync<PositionResponse>(await CloseAsync(positionId));

    public async Task<PracticeAccountResponse> AccountAsync() =>
        await Api.ReadAsync<PracticeAccountResponse>(await Http.GetAsync("/api/v1/accounts/practice"));

    public async Task<IReadOnlyList<PositionResponse>> OpenPositionsAsync()
    {
        var page = await Api.ReadAsync<PositionsPage>(await Http.GetAsync("/api/v1/positions"));
        Assert.Null(page.NextCursor);
        return page.Items;
    }

    public async Task<PositionsPage> ClosedPositionsAsync(string? cursor = null, int? limit = null) =>
        await Api.ReadAsync<PositionsPage>(await Http.GetAsync("/api/v1/positions?status=closed" + Query(cursor, limit)));

    public async Task<TradesPage> TradesAsync(string? cursor = null, int? limit = null) =>
        await Api.ReadAsync<TradesPage>(await Http.GetAsync("/api/v1/trades?" + Query(cursor, limit).TrimStart('&')));

    public async Task<ProgressionResponse> ProgressionAsync() =>
        await Api.ReadAsync<ProgressionResponse>(await Http.GetAsync("/api/v1/progression"));

    /// <summary>Waits until the feed-driven progression satisfies <paramref name="done"/>.</summary>
    public Task<ProgressionResponse> ProgressionWhenAsync(Func<ProgressionResponse, bool> done, string what) =>
        Eventually.MatchAsync(ProgressionAsync, done, $"{Username}'s progression: {what}");

    /// <summary>Everything a client can see of the account, as raw JSON, to show that a request changed nothing.</summary>
    public async Task<string> SnapshotAsync()
    {
        var account = await Http.GetStringAsync("/api/v1/accounts/practice");
        var open = await Http.GetStringAsync("/api/v1/positions");
        var closed = await Http.GetStringAsync("/api/v1/positions?status=closed&limit=200");
        var trades = await Http.GetStringAsync("/api/v1/trades?limit=200");
        return string.Join("\n", account, open, closed, trades);
    }

    private static string Query(string? cursor, int? limit) =>
        (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)) + (limit is null ? "" : "&limit=" + limit);
}
