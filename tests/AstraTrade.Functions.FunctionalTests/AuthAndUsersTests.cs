using System.Buffers.Text;
using AstraTrade.Application.Users;
using AstraTrade.Domain.Users;
using AstraTrade.Testing;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>An app with a known signing key, two admin usernames and a manual clock (token lifetimes).</summary>
public sealed class AuthFixture : AppFixture
{
    public static readonly byte[] SigningKey = [.. Enumerable.Range(1, 32).Select(i => (byte)(i * 7))];

    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Clock = new ManualTimeProvider(),
        Settings = new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = Convert.ToBase64String(SigningKey),
            ["Auth:AdminUsernames:0"] = "chief-admin",
            ["Auth:AdminUsernames:1"] = "second-admin",
        },
    };
}

/// <summary>Registration, sign-in, sessions and bearer authentication (DOMAIN.md §4).</summary>
public sealed class AuthAndUsersTests(AuthFixture fixture) : AppTests<AuthFixture>(fixture)
{
    private ManualTimeProvider Clock => App.Clock!;

    [Fact]
    public async Task Registering_answers_201_with_tokens_that_sign_the_new_user_in()
    {
        var username = AstraTradeApp.UniqueName("New-User");
        using var anonymous = App.Anonymous();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password = AstraTradeApp.TestPassword });

        var tokens = await Api.ReadAsync<TokenResponse>(response, HttpStatusCode.Created);
        Assert.Equal("/api/v1/me", response.Headers.Location?.OriginalString);
        Assert.NotEqual(Guid.Empty, tokens.UserId);
        Assert.Equal(3, tokens.AccessToken.Split('.').Length);
        Assert.False(string.IsNullOrWhiteSpace(tokens.RefreshToken));
        Assert.Equal(900, tokens.ExpiresIn);
        Assert.Equal("Bearer", tokens.TokenType);

        using var client = App.WithToken(tokens.AccessToken);
        var me = await Api.ReadAsync<MeResponse>(await client.GetAsync("/api/v1/me"));
        Assert.Equal(new MeResponse(tokens.UserId, username, "user", "active", "unverified", Clock.GetUtcNow()), me);
    }

    [Theory]
    [InlineData("ab")] // too short
    [InlineData("abcdefghijklmnopqrstuvwxyz01234")] // 31 characters
    [InlineData("_leading-underscore")]
    [InlineData("-leading-dash")]
    [InlineData("has space")]
    [InlineData("dot.name")]
    [InlineData("semi;colon")]
    [InlineData("ünicode")]
    [InlineData("")]
    public async Task A_username_outside_the_rules_is_refused_with_invalid_username(string username)
    {
        using var anonymous = App.Anonymous();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password = AstraTradeApp.TestPassword });

        await Api.ProblemAsync(response, HttpStatusCode.BadRequest, "invalid-username");
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username, password = AstraTradeApp.TestPassword });
        await Api.ProblemAsync(login, HttpStatusCode.Unauthorized, "invalid-credentials");
    }

    [Theory]
    [InlineData("abc")] // 3 characters
    [InlineData("abcdefghijklmnopqrstuvwxyz0123")] // 30 characters
    [InlineData("9lives")]
    [InlineData("Mixed_Case-42")]
    public async Task A_username_at_the_edges_of_the_rules_is_accepted(string username)
    {
        using var anonymous = App.Anonymous();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password = AstraTradeApp.TestPassword });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(257)]
    public async Task A_password_shorter_than_12_or_longer_than_256_characters_is_refused_with_weak_password(int length)
    {
        using var anonymous = App.Anonymous();
        var username = AstraTradeApp.UniqueName("weak");

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password = new string('p', length) });

        await Api.ProblemAsync(response, HttpStatusCode.BadRequest, "weak-password");
        var retry = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password = AstraTradeApp.TestPassword });
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode); // the refused attempt reserved nothing
    }

    [Theory]
    [InlineData(12)]
    [InlineData(256)]
    public async Task A_password_of_12_to_256_characters_is_accepted_and_signs_in(int length)
    {
        using var anonymous = App.Anonymous();
        var username = AstraTradeApp.UniqueName("pw");
        var password = string.Concat(Enumerable.Repeat("Zq9!", 64))[..length];

        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username, password })).StatusCode);
    }

    [Fact]
    public async Task A_username_taken_in_another_case_is_refused_with_username_taken_and_the_first_account_is_untouched()
    {
        var first = await App.RegisterAsync("Case");
        using var anonymous = App.Anonymous();
        var other = first.Username.ToUpperInvariant();

        var response = await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username = other, password = "another password entirely" });

        await Api.ProblemAsync(response, HttpStatusCode.Conflict, "username-taken");
        var hijack = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = first.Username, password = "another password entirely" });
        await Api.ProblemAsync(hijack, HttpStatusCode.Unauthorized, "invalid-credentials");
        var genuine = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = first.Username, password = first.Password });
        Assert.Equal(first.Id, (await Api.ReadAsync<TokenResponse>(genuine)).UserId);
    }

    [Fact]
    public async Task Signing_in_with_the_right_password_gives_fresh_tokens_for_the_same_user_whatever_the_username_case()
    {
        var user = await App.RegisterAsync("Login");
        using var anonymous = App.Anonymous();

        var tokens = await Api.ReadAsync<TokenResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username.ToLowerInvariant(), password = user.Password }));

        Assert.Equal(user.Id, tokens.UserId);
        Assert.NotEqual(user.Tokens.RefreshToken, tokens.RefreshToken);
        using var client = App.WithToken(tokens.AccessToken);
        var me = await Api.ReadAsync<MeResponse>(await client.GetAsync("/api/v1/me"));
        Assert.Equal(user.Username, me.Username); // shown as registered
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_invalid_credentials_answer()
    {
        var user = await App.RegisterAsync("Guess");
        using var anonymous = App.Anonymous();

        var wrongPassword = await Api.ProblemAsync(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = "not the password at all" }),
            HttpStatusCode.Unauthorized, "invalid-credentials");
        var unknownUser = await Api.ProblemAsync(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = AstraTradeApp.UniqueName("ghost"), password = user.Password }),
            HttpStatusCode.Unauthorized, "invalid-credentials");
        var malformedUser = await Api.ProblemAsync(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = "no such user!", password = user.Password }),
            HttpStatusCode.Unauthorized, "invalid-credentials");

        Assert.Equal(WithoutTraceId(wrongPassword), WithoutTraceId(unknownUser));
        Assert.Equal(WithoutTraceId(wrongPassword), WithoutTraceId(malformedUser));
    }

    [Fact]
    public async Task Refreshing_rotates_the_refresh_token_and_the_old_one_stops_working()
    {
        var user = await App.RegisterAsync("Rotate");
        using var anonymous = App.Anonymous();

        var rotated = await Api.ReadAsync<TokenResponse>(await Refresh(anonymous, user.Tokens.RefreshToken));

        Assert.Equal(user.Id, rotated.UserId);
        Assert.NotEqual(user.Tokens.RefreshToken, rotated.RefreshToken);
        using var client = App.WithToken(rotated.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        await Api.ProblemAsync(await Refresh(anonymous, user.Tokens.RefreshToken), HttpStatusCode.Unauthorized, "invalid-refresh-token");
    }

    [Fact]
    public async Task Reusing_a_used_refresh_token_revokes_its_whole_family_but_not_other_sign_ins()
    {
        var user = await App.RegisterAsync("Reuse");
        using var anonymous = App.Anonymous();
        var otherSession = await Api.ReadAsync<TokenResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = user.Password }));
        var second = await Api.ReadAsync<TokenResponse>(await Refresh(anonymous, user.Tokens.RefreshToken));
        var third = await Api.ReadAsync<TokenResponse>(await Refresh(anonymous, second.RefreshToken));

        // A copy of the first token (already used) turns up again: the family is compromised.
        await Api.ProblemAsync(await Refresh(anonymous, user.Tokens.RefreshToken), HttpStatusCode.Unauthorized, "invalid-refresh-token");

        await Api.ProblemAsync(await Refresh(anonymous, third.RefreshToken), HttpStatusCode.Unauthorized, "invalid-refresh-token");
        Assert.Equal(HttpStatusCode.OK, (await Refresh(anonymous, otherSession.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Logging_out_revokes_the_sign_in_including_tokens_rotated_from_it_and_leaves_other_sign_ins()
    {
        var user = await App.RegisterAsync("Logout");
        using var anonymous = App.Anonymous();
        var otherSession = await Api.ReadAsync<TokenResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = user.Password }));
        var rotated = await Api.ReadAsync<TokenResponse>(await Refresh(anonymous, user.Tokens.RefreshToken));

        var logout = await anonymous.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = user.Tokens.RefreshToken });

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        await Api.ProblemAsync(await Refresh(anonymous, rotated.RefreshToken), HttpStatusCode.Unauthorized, "invalid-refresh-token");
        Assert.Equal(HttpStatusCode.OK, (await Refresh(anonymous, otherSession.RefreshToken)).StatusCode);
    }

    [Fact]
    public async Task Logging_out_with_an_unknown_token_succeeds_and_refreshing_with_one_fails()
    {
        using var anonymous = App.Anonymous();

        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/v1/auth/logout", new { refreshToken = "never-issued" })).StatusCode);
        await Api.ProblemAsync(await Refresh(anonymous, "never-issued"), HttpStatusCode.Unauthorized, "invalid-refresh-token");
        await Api.ProblemAsync(
            await anonymous.PostAsync("/api/v1/auth/refresh", new StringContent("""{"refreshToken":null}""", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task A_refresh_token_works_until_30_days_after_it_was_issued()
    {
        var user = await App.RegisterAsync("Month");
        using var anonymous = App.Anonymous();
        var second = await Api.ReadAsync<TokenResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = user.Username, password = user.Password }));

        Clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await Refresh(anonymous, user.Tokens.RefreshToken)).StatusCode);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await Api.ProblemAsync(await Refresh(anonymous, second.RefreshToken), HttpStatusCode.Unauthorized, "invalid-refresh-token");
    }

    [Fact]
    public async Task GET_me_describes_the_caller()
    {
        var user = await App.RegisterAsync("Me");

        var me = await Api.ReadAsync<MeResponse>(await user.Http.GetAsync("/api/v1/me"));

        Assert.Equal(user.Id, me.UserId);
        Assert.Equal(user.Username, me.Username);
        Assert.Equal("user", me.Role);
        Assert.Equal("active", me.Status);
        Assert.Equal("unverified", me.VerificationTier);
    }

    [Theory]
    [InlineData("chief-admin")]
    [InlineData("Second-ADMIN")] // configured as second-admin: usernames compare ignoring case
    public async Task Usernames_listed_in_Auth_AdminUsernames_register_as_admins(string username)
    {
        using var anonymous = App.Anonymous();
        var tokens = await Api.ReadAsync<TokenResponse>(
            await anonymous.PostAsJsonAsync("/api/v1/auth/register", new { username, password = AstraTradeApp.TestPassword }), HttpStatusCode.Created);

        using var client = App.WithToken(tokens.AccessToken);
        Assert.Equal("admin", (await Api.ReadAsync<MeResponse>(await client.GetAsync("/api/v1/me"))).Role);
    }

    [Fact]
    public async Task A_token_signed_by_this_apps_key_is_accepted_but_one_signed_with_another_key_is_rejected()
    {
        var user = await App.RegisterAsync("Forge");
        var genuineIssuer = new AccessTokens(AuthFixture.SigningKey, new AuthOptions(), Clock);
        var foreignIssuer = new AccessTokens([.. AuthFixture.SigningKey.Select(b => (byte)(b ^ 0x5A))], new AuthOptions(), Clock);

        // Control: the same construction with the app's key is a valid token, so only the key differs below.
        using var genuine = App.WithToken(genuineIssuer.Issue(user.Id, user.Username, UserRole.User).Token);
        Assert.Equal(HttpStatusCode.OK, (await genuine.GetAsync("/api/v1/me")).StatusCode);

        using var foreign = App.WithToken(foreignIssuer.Issue(user.Id, user.Username, UserRole.Admin).Token);
        await AssertRejectedTokenAsync(await foreign.GetAsync("/api/v1/me"));
    }

    [Theory]
    [InlineData("issuer")]
    [InlineData("audience")]
    public async Task A_token_for_another_issuer_or_audience_is_rejected_even_with_the_right_key(string differs)
    {
        var user = await App.RegisterAsync("Aud");
        var options = differs == "issuer" ? new AuthOptions { Issuer = "someone-else" } : new AuthOptions { Audience = "another-app" };
        using var client = App.WithToken(new AccessTokens(AuthFixture.SigningKey, options, Clock).Issue(user.Id, user.Username, UserRole.User).Token);

        await AssertRejectedTokenAsync(await client.GetAsync("/api/v1/me"));
    }

    [Fact]
    public async Task A_token_whose_claims_were_edited_or_that_claims_no_algorithm_is_rejected()
    {
        var user = await App.RegisterAsync("Tamper");
        var parts = user.Tokens.AccessToken.Split('.');
        var claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1]));
        Assert.Contains("\"role\":\"user\"", claims, StringComparison.Ordinal);
        var elevated = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.Replace("\"role\":\"user\"", "\"role\":\"admin\"", StringComparison.Ordinal)));
        var none = Base64Url.EncodeToString("""{"alg":"none","typ":"JWT"}"""u8);

        using var edited = App.WithToken($"{parts[0]}.{elevated}.{parts[2]}");
        using var unsigned = App.WithToken($"{none}.{parts[1]}.");

        await AssertRejectedTokenAsync(await edited.GetAsync("/api/v1/me"));
        await AssertRejectedTokenAsync(await unsigned.GetAsync("/api/v1/me"));
    }

    [Fact]
    public async Task An_access_token_expires_15_minutes_after_issue_allowing_30_seconds_of_clock_skew_and_a_refresh_renews_it()
    {
        var user = await App.RegisterAsync("Expire");

        Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/api/v1/me")).StatusCode);

        Clock.Advance(TimeSpan.FromSeconds(1));
        await AssertRejectedTokenAsync(await user.Http.GetAsync("/api/v1/me"));

        using var anonymous = App.Anonymous();
        var renewed = await Api.ReadAsync<TokenResponse>(await Refresh(anonymous, user.Tokens.RefreshToken));
        using var client = App.WithToken(renewed.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/me")]
    [InlineData("GET", "/api/v1/accounts/practice")]
    [InlineData("POST", "/api/v1/accounts/practice/reset")]
    [InlineData("POST", "/api/v1/orders")]
    [InlineData("GET", "/api/v1/positions")]
    [InlineData("POST", "/api/v1/positions/0197a3a0-0000-7000-8000-000000000000/close")]
    [InlineData("GET", "/api/v1/trades")]
    [InlineData("GET", "/api/v1/progression")]
    [InlineData("POST", "/api/v1/check-in")]
    [InlineData("GET", "/api/v1/leaderboards/xp-all-time")]
    [InlineData("GET", "/api/v1/leaderboards/xp-all-time/me")]
    public async Task Every_user_endpoint_without_a_bearer_token_answers_401_with_a_bearer_challenge(string method, string path)
    {
        using var anonymous = App.Anonymous();

        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await Api.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer a.b.c")]
    [InlineData("Bearer ")]
    public async Task A_garbage_bearer_token_answers_401_invalid_token(string authorization)
    {
        using var client = App.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);

        var response = await client.GetAsync("/api/v1/me");

        await Api.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_authentication_scheme_is_not_accepted()
    {
        var user = await App.RegisterAsync("Basic");
        using var client = App.Anonymous();
        client.DefaultRequestHeaders.TryAddWithoutValidation(
            "Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user.Username}:{user.Password}")));

        var response = await client.GetAsync("/api/v1/me");

        await Api.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    private static Task<HttpResponseMessage> Refresh(HttpClient client, string refreshToken) =>
        client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken });

    private static async Task AssertRejectedTokenAsync(HttpResponseMessage response)
    {
        await Api.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    private static string WithoutTraceId(JsonElement problem) =>
        string.Join(";", problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
}
