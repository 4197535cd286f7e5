using AstraTrade.Testing;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>The app on a real Kestrel socket (the 64 KiB body limit is a Kestrel limit), scripted market, manual clock.</summary>
public sealed class RealServerFixture : AppFixture
{
    protected override AppOptions Options => new() { ScriptedMarket = true, Clock = new ManualTimeProvider(), RealServer = true };
}

/// <summary>
/// Bad order bodies (ARCHITECTURE.md §7: bad input never throws a 500): each is refused with a 400, 413, 415 or 422
/// problem of our own type, the server logs no error, and nothing a client can see of the account changes.
/// </summary>
public sealed class OrderInputValidationTests(RealServerFixture fixture) : AppTests<RealServerFixture>(fixture)
{
    private const string Valid = """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10}""";

    public static readonly TheoryData<string, string, string?, HttpStatusCode, string, string?> Bodies = new()
    {
        // case, body, content type, status, problem code, a word the detail must contain (null: not checked)
        { "truncated JSON", """{"market":"BTC-USD","side":"long",""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "JSON" },
        { "form text sent as JSON", "market=BTC-USD&side=long", "application/json", HttpStatusCode.BadRequest, "malformed-request", "JSON" },
        { "trailing garbage", Valid + "}", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "two objects", Valid + Valid, "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "comment", "/* note */" + Valid, "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "trailing comma", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "single quotes", "{'market':'BTC-USD','side':'long','leverage':2,'collateral':10}", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "unknown field", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"userId":"someone-else"}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "userId" },
        { "missing market", """{"side":"long","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "market" },
        { "missing side", """{"market":"BTC-USD","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "side" },
        { "missing leverage", """{"market":"BTC-USD","side":"long","collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "leverage" },
        { "missing collateral", """{"market":"BTC-USD","side":"long","leverage":2}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "collateral" },
        { "empty object", "{}", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "fractional leverage", """{"market":"BTC-USD","side":"long","leverage":2.5,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "leverage" },
        { "leverage written 2.0", """{"market":"BTC-USD","side":"long","leverage":2.0,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "leverage" },
        { "leverage as a string", """{"market":"BTC-USD","side":"long","leverage":"2","collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "leverage" },
        { "collateral as a string", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":"10"}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "collateral" },
        { "side as a number", """{"market":"BTC-USD","side":0,"leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "side" },
        { "unknown side", """{"market":"BTC-USD","side":"sideways","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "side" },
        { "unknown order type", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"type":"stop"}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "type" },
        { "limit order without a price", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"type":"limit"}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "market order with a limit price", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"limitPrice":50000}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "zero limit price", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"type":"limit","limitPrice":0}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "negative stop-loss", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"stopLoss":-1}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "string take-profit", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"takeProfit":"high"}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "takeProfit" },
        { "type as a number", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"type":0}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "type" },
        { "market is null", """{"market":null,"side":"long","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "market" },
        { "side is null", """{"market":"BTC-USD","side":null,"leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "side" },
        { "leverage is null", """{"market":"BTC-USD","side":"long","leverage":null,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "leverage" },
        { "collateral is null", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":null}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "collateral" },
        { "body is null", "null", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "collateral 1e40", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":1e40}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "collateral" },
        { "collateral -1e40", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":-1e40}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "collateral" },
        { "collateral of 100 digits", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":1""" + new string('0', 99) + "}", "application/json", HttpStatusCode.BadRequest, "malformed-request", "collateral" },
        { "leverage 1e40", """{"market":"BTC-USD","side":"long","leverage":1e40,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "leverage" },
        { "leverage beyond int", """{"market":"BTC-USD","side":"long","leverage":3000000000,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "leverage" },
        { "collateral NaN", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":NaN}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "collateral true", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":true}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "collateral" },
        { "market as a number", """{"market":42,"side":"long","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "market" },
        { "market as an object", """{"market":{},"side":"long","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "market" },
        { "deeply nested", """{"market":""" + new string('[', 200) + new string(']', 200) + "}", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "array body", "[]", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "string body", "\"buy BTC\"", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "number body", "42", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "empty body", "", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "whitespace body", "   ", "application/json", HttpStatusCode.BadRequest, "malformed-request", null },
        { "negative collateral", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":-10}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "zero collateral", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":0}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "zero leverage", """{"market":"BTC-USD","side":"long","leverage":0,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "negative leverage", """{"market":"BTC-USD","side":"long","leverage":-3,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "empty market", """{"market":"","side":"long","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "blank market", """{"market":"   ","side":"long","leverage":2,"collateral":10}""", "application/json", HttpStatusCode.BadRequest, "validation-failed", null },
        { "collateral with 7 decimals", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10.0000001}""", "application/json", HttpStatusCode.UnprocessableEntity, "invalid-collateral", null },
        { "no content type", Valid, null, HttpStatusCode.UnsupportedMediaType, "unsupported-media-type", null },
        { "repeated field", """{"market":"BTC-USD","side":"long","leverage":2,"collateral":10,"leverage":5}""", "application/json", HttpStatusCode.BadRequest, "malformed-request", "more than once" },
    };

    /// <summary>Refusals made before our handlers see the request: a content type other than JSON (415) and a body over
    /// Kestrel's 64 KiB limit (413). They still answer with our problem types.</summary>
    public static readonly TheoryData<string, string, string, HttpStatusCode, string> TransportRefusals = new()
    {
        { "text/plain", Valid, "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "application/xml", "<order><market>BTC-USD</market></order>", "application/xml", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "form", "market=BTC-USD&side=long&leverage=2&collateral=10", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type" },
        { "oversized (valid JSON padded past 64 KiB)", Valid + new string(' ', 70 * 1024), "application/json", HttpStatusCode.RequestEntityTooLarge, "payload-too-large" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_bad_order_body_is_refused_with_a_problem_and_changes_nothing(
        string @case, string body, string? contentType, HttpStatusCode status, string code, string? detailMentions)
    {
        var user = await UserWithHistoryAsync();
        var before = await user.SnapshotAsync();
        var errorsBefore = App.Logs.Errors.Count;

        var request = Api.Raw(HttpMethod.Post, "/api/v1/orders", body, contentType);
        request.Headers.Add("Idempotency-Key", "bad-" + Guid.NewGuid());
        var response = await user.Http.SendAsync(request);

        var problem = await Api.ProblemAsync(response, status, code);
        if (detailMentions is not null)
        {
            Assert.Contains(detailMentions, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await user.SnapshotAsync());
        Assert.True(App.Logs.Errors.Count == errorsBefore, $"{@case}: the server logged an error: {App.Logs.Errors.LastOrDefault()?.Message}");
    }

    [Theory]
    [MemberData(nameof(TransportRefusals))]
    public async Task A_body_of_another_media_type_or_over_64_KiB_is_refused_with_415_or_413_and_changes_nothing(
        string @case, string body, string contentType, HttpStatusCode status, string code)
    {
        var user = await UserWithHistoryAsync();
        var before = await user.SnapshotAsync();
        var errorsBefore = App.Logs.Errors.Count;

        var request = Api.Raw(HttpMethod.Post, "/api/v1/orders", body, contentType);
        request.Headers.Add("Idempotency-Key", "refused-" + Guid.NewGuid());
        var response = await user.Http.SendAsync(request);

        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await Api.ProblemAsync(response, status, code);
        Assert.True(before == await user.SnapshotAsync(), $"{@case}: the refused request changed the account");
        Assert.Equal(errorsBefore, App.Logs.Errors.Count);
    }

    [Fact]
    public async Task A_body_that_is_not_UTF_8_is_400_malformed_request_and_changes_nothing()
    {
        var user = await UserWithHistoryAsync();
        var before = await user.SnapshotAsync();

        var content = new ByteArrayContent([.. Encoding.UTF8.GetBytes("""{"market":"BTC-"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("""USD","side":"long","leverage":2,"collateral":10}""")]);
        content.Headers.ContentType = new("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = content };
        request.Headers.Add("Idempotency-Key", "utf8");

        await Api.ProblemAsync(await user.Http.SendAsync(request), HttpStatusCode.BadRequest, "malformed-request");
        Assert.Equal(before, await user.SnapshotAsync());
    }

    [Fact]
    public async Task A_valid_body_just_under_the_64_KiB_limit_is_accepted()
    {
        var user = await App.RegisterAsync("pad");
        var body = Valid + new string(' ', (64 * 1024) - Valid.Length);
        Assert.Equal(64 * 1024, Encoding.UTF8.GetByteCount(body));

        var request = Api.Raw(HttpMethod.Post, "/api/v1/orders", body);
        request.Headers.Add("Idempotency-Key", "pad");

        Assert.Equal(HttpStatusCode.Created, (await user.Http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task The_valid_body_used_by_the_matrix_is_itself_accepted()
    {
        var user = await App.RegisterAsync("control");

        var request = Api.Raw(HttpMethod.Post, "/api/v1/orders", Valid);
        request.Headers.Add("Idempotency-Key", "control");

        Assert.Equal(HttpStatusCode.Created, (await user.Http.SendAsync(request)).StatusCode);
    }

    // A user with an open position, a closed one and their trades, so "nothing changed" compares real state.
    private async Task<TestUser> UserWithHistoryAsync()
    {
        var user = await App.RegisterAsync("bad");
        var closed = await user.OpenAsync(Markets.Eth, "short", 3, 20m);
        await user.ClosePositionAsync(closed.Position!.Id);
        await user.OpenAsync(Markets.Btc, "long", 2, 15m);
        return user;
    }
}
