using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Users;

namespace AstraTrade.Functions.FunctionalTests.Users;

/// <summary>A scripted market (orders need fresh prices) and one configured admin, registered on first use.</summary>
public sealed class AdminUsersFixture : AppFixture
{
    public const string AdminName = "users-admin";

    private Task<TestUser>? _admin;

    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Settings = new Dictionary<string, string?> { ["Auth:AdminUsernames:0"] = AdminName },
    };

    /// <summary>Tests in a class run one at a time, so registering once needs no lock.</summary>
    public Task<TestUser> AdminAsync() => _admin ??= TournamentDriver.RegisterAdminAsync(App, AdminName);
}

/// <summary>The admin's user routes (DOMAIN.md §4): look up, suspend, reactivate, record the verification tier.</summary>
public sealed class AdminUserTests(AdminUsersFixture fixture) : AppTests<AdminUsersFixture>(fixture)
{
    private readonly AdminUsersFixture _fixture = fixture;

    private sealed record AdminUser(Guid UserId, string Username, string Role, string Status, string VerificationTier, DateTimeOffset RegisteredAt);

    public static readonly TheoryData<string, string, string?> Routes = new()
    {
        { "GET", "", null },
        { "POST", "/suspend", """{"reason":"spam"}""" },
        { "POST", "/reactivate", null },
        { "PUT", "/verification", """{"tier":"identity"}""" },
    };

    [Fact]
    public async Task An_admin_sees_a_users_name_role_status_tier_and_registration_time_and_never_their_password_hash()
    {
        var admin = await _fixture.AdminAsync();
        var user = await App.RegisterAsync("look");
        var me = await Api.ReadAsync<MeResponse>(await user.Http.GetAsync("/api/v1/me"));

        var response = await admin.Http.GetAsync(UserPath(user.Id));

        Assert.Equal(
            new AdminUser(user.Id, user.Username, "user", "active", "unverified", me.CreatedAt),
            await Api.ReadAsync<AdminUser>(response));
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("pbkdf2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", body, StringComparison.OrdinalIgnoreCase);

        var self = await Api.ReadAsync<AdminUser>(await admin.Http.GetAsync(UserPath(admin.Id)));
        Assert.Equal(("users-admin", "admin"), (self.Username, self.Role));
    }

    [Fact]
    public async Task A_suspended_user_is_refused_orders_with_account_suspended_and_trades_again_once_reactivated()
    {
        var admin = await _fixture.AdminAsync();
        var user = await App.RegisterAsync("susp");
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Markets.Btc, "long", 2, 10m)).StatusCode);

        var suspended = await Api.ReadAsync<AdminUser>(await admin.Http.PostAsJsonAsync($"{UserPath(user.Id)}/suspend", new { reason = "chargeback" }));

        Assert.Equal("suspended", suspended.Status);
        var before = await user.SnapshotAsync();
        await Api.ProblemAsync(await user.PlaceOrderAsync(Markets.Btc, "long", 2, 10m), HttpStatusCode.Forbidden, "account-suspended");
        Assert.Equal(before, await user.SnapshotAsync()); // the refused order left nothing behind
        Assert.Equal("suspended", (await Api.ReadAsync<MeResponse>(await user.Http.GetAsync("/api/v1/me"))).Status);

        var reactivated = await Api.ReadAsync<AdminUser>(await admin.Http.PostAsync($"{UserPath(user.Id)}/reactivate", null));

        Assert.Equal("active", reactivated.Status);
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Markets.Btc, "long", 2, 10m)).StatusCode);
        Assert.Equal("active", (await Api.ReadAsync<MeResponse>(await user.Http.GetAsync("/api/v1/me"))).Status);
    }

    [Fact]
    public async Task Suspending_twice_or_reactivating_an_active_user_answers_the_user_as_they_are_and_records_nothing_more()
    {
        var admin = await _fixture.AdminAsync();
        var user = await App.RegisterAsync("twice");

        Assert.Equal("active", (await Api.ReadAsync<AdminUser>(await admin.Http.PostAsync($"{UserPath(user.Id)}/reactivate", null))).Status);
        await Api.ReadAsync<AdminUser>(await admin.Http.PostAsJsonAsync($"{UserPath(user.Id)}/suspend", new { reason = "first" }));
        var again = await Api.ReadAsync<AdminUser>(await admin.Http.PostAsJsonAsync($"{UserPath(user.Id)}/suspend", new { reason = "second" }));

        Assert.Equal("suspended", again.Status);
        var log = await UserEventsAsync(user.Id);
        Assert.Equal([typeof(UserRegistered), typeof(UserSuspended)], log.Select(e => e.GetType()));
        Assert.Equal("first", ((UserSuspended)log[1]).Reason);
    }

    [Fact]
    public async Task Setting_the_verification_tier_shows_in_the_users_me_and_is_recorded_with_the_admin_who_set_it()
    {
        var admin = await _fixture.AdminAsync();
        var user = await App.RegisterAsync("kyc");

        var verified = await Api.ReadAsync<AdminUser>(await admin.Http.PutAsJsonAsync($"{UserPath(user.Id)}/verification", new { tier = "identity" }));

        Assert.Equal("identity", verified.VerificationTier);
        Assert.Equal("identity", (await Api.ReadAsync<MeResponse>(await user.Http.GetAsync("/api/v1/me"))).VerificationTier);

        // A revocation (or a corrected mistake) goes down as well as up.
        var revoked = await Api.ReadAsync<AdminUser>(await admin.Http.PutAsJsonAsync($"{UserPath(user.Id)}/verification", new { tier = "email" }));
        await Api.ReadAsync<AdminUser>(await admin.Http.PutAsJsonAsync($"{UserPath(user.Id)}/verification", new { tier = "email" })); // no change

        Assert.Equal("email", revoked.VerificationTier);
        Assert.Equal("email", (await Api.ReadAsync<MeResponse>(await user.Http.GetAsync("/api/v1/me"))).VerificationTier);
        Assert.Equal("email", (await Api.ReadAsync<AdminUser>(await admin.Http.GetAsync(UserPath(user.Id)))).VerificationTier);
        var changes = (await UserEventsAsync(user.Id)).OfType<VerificationTierChanged>().ToList();
        Assert.Equal(
            [(VerificationTier.Unverified, VerificationTier.Identity), (VerificationTier.Identity, VerificationTier.Email)],
            changes.Select(c => (c.From, c.To)));
        Assert.All(changes, c => Assert.Equal(admin.Id.ToString(), c.By));
    }

    [Theory]
    [InlineData("""{"tier":"gold"}""", "validation-failed")]
    [InlineData("""{"tier":"2"}""", "validation-failed")]
    [InlineData("""{"tier":""}""", "validation-failed")]
    [InlineData("""{"tier":2}""", "malformed-request")]
    [InlineData("""{"tier":null}""", "malformed-request")]
    [InlineData("""{}""", "malformed-request")]
    [InlineData("""{"tier":"identity","by":"someone-else"}""", "malformed-request")]
    [InlineData("""{"tier":""", "malformed-request")]
    public async Task A_bad_tier_or_body_is_400_and_leaves_the_tier_alone(string body, string code)
    {
        var admin = await _fixture.AdminAsync();
        var user = await App.RegisterAsync("tier");

        var problem = await Api.ProblemAsync(
            await admin.Http.SendAsync(Api.Raw(HttpMethod.Put, $"{UserPath(user.Id)}/verification", body)), HttpStatusCode.BadRequest, code);

        if (code == "validation-failed")
        {
            Assert.Equal("Use unverified, email, identity.", problem.GetProperty("errors").GetProperty("tier")[0].GetString());
        }

        Assert.Equal("unverified", (await Api.ReadAsync<AdminUser>(await admin.Http.GetAsync(UserPath(user.Id)))).VerificationTier);
    }

    [Theory]
    [InlineData("""{"reason":""}""", "validation-failed")]
    [InlineData("""{"reason":"   "}""", "validation-failed")]
    [InlineData("""{"reason":"LONG"}""", "validation-failed")] // 501 characters
    [InlineData("""{}""", "malformed-request")]
    [InlineData("""{"reason":null}""", "malformed-request")]
    [InlineData("""{"reason":42}""", "malformed-request")]
    [InlineData("not json", "malformed-request")]
    public async Task A_missing_blank_or_too_long_reason_is_400_and_the_user_stays_active(string body, string code)
    {
        var admin = await _fixture.AdminAsync();
        var user = await App.RegisterAsync("reason");

        var problem = await Api.ProblemAsync(
            await admin.Http.SendAsync(Api.Raw(HttpMethod.Post, $"{UserPath(user.Id)}/suspend", body.Replace("LONG", new string('r', 501), StringComparison.Ordinal))),
            HttpStatusCode.BadRequest, code);

        if (code == "validation-failed")
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), problem.ToString());
        }

        Assert.Equal("active", (await Api.ReadAsync<AdminUser>(await admin.Http.GetAsync(UserPath(user.Id)))).Status);
        Assert.Equal(HttpStatusCode.Created, (await user.PlaceOrderAsync(Markets.Btc, "long", 2, 10m)).StatusCode);
    }

    [Fact]
    public async Task A_reason_of_500_characters_is_accepted()
    {
        var admin = await _fixture.AdminAsync();
        var user = await App.RegisterAsync("long");

        var suspended = await admin.Http.PostAsJsonAsync($"{UserPath(user.Id)}/suspend", new { reason = new string('r', 500) });

        Assert.Equal("suspended", (await Api.ReadAsync<AdminUser>(suspended)).Status);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_answers_404_user_not_found_for_a_user_that_does_not_exist(string method, string suffix, string? body)
    {
        var admin = await _fixture.AdminAsync();

        var response = await admin.Http.SendAsync(Api.Raw(new HttpMethod(method), UserPath(Guid.NewGuid()) + suffix, body));

        await Api.ProblemAsync(response, HttpStatusCode.NotFound, "user-not-found");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_answers_404_for_a_user_id_that_is_not_a_uuid(string method, string suffix, string? body)
    {
        var admin = await _fixture.AdminAsync();

        var response = await admin.Http.SendAsync(Api.Raw(new HttpMethod(method), "/api/v1/admin/users/vega" + suffix, body));

        await Api.ProblemAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_without_a_token_answers_401_with_a_bearer_challenge(string method, string suffix, string? body)
    {
        var user = await App.RegisterAsync("anon");
        using var anonymous = App.Anonymous();

        var response = await anonymous.SendAsync(Api.Raw(new HttpMethod(method), UserPath(user.Id) + suffix, body));

        await Api.ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        await AssertUntouchedAsync(user);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_answers_403_forbidden_to_a_user_who_is_not_an_admin_even_about_themselves(string method, string suffix, string? body)
    {
        var user = await App.RegisterAsync("self");
        var other = await App.RegisterAsync("other");

        await Api.ProblemAsync(await user.Http.SendAsync(Api.Raw(new HttpMethod(method), UserPath(other.Id) + suffix, body)), HttpStatusCode.Forbidden, "forbidden");
        await Api.ProblemAsync(await user.Http.SendAsync(Api.Raw(new HttpMethod(method), UserPath(user.Id) + suffix, body)), HttpStatusCode.Forbidden, "forbidden");

        // Refused before the body or the user is looked at: a non-admin cannot probe which users exist.
        await Api.ProblemAsync(
            await user.Http.SendAsync(Api.Raw(new HttpMethod(method), UserPath(Guid.NewGuid()) + suffix, body is null ? null : "{")),
            HttpStatusCode.Forbidden, "forbidden");
        await AssertUntouchedAsync(user);
        await AssertUntouchedAsync(other);
    }

    [Fact]
    public async Task The_OpenAPI_document_marks_every_admin_route_as_bearer_secured_and_403_and_names_the_tiers()
    {
        using var client = App.Anonymous();

        var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        foreach (var (method, suffix) in new[] { ("get", ""), ("post", "/suspend"), ("post", "/reactivate"), ("put", "/verification") })
        {
            var operation = document.GetProperty("paths").GetProperty("/api/v1/admin/users/{userId}" + suffix).GetProperty(method);
            Assert.True(operation.TryGetProperty("security", out _), $"{method} {suffix} does not declare bearer auth");
            Assert.Contains(operation.GetProperty("responses").EnumerateObject(), r => r.Name == "403");
            Assert.Contains(operation.GetProperty("responses").EnumerateObject(), r => r.Name == "404");
        }

        var tiers = document.GetProperty("components").GetProperty("schemas").GetProperty("VerificationTier").GetProperty("enum");
        Assert.Equal(["unverified", "email", "identity"], tiers.EnumerateArray().Select(t => t.GetString()));
    }

    private static string UserPath(Guid userId) => $"/api/v1/admin/users/{userId}";

    private async Task AssertUntouchedAsync(TestUser user)
    {
        var me = await Api.ReadAsync<MeResponse>(await user.Http.GetAsync("/api/v1/me"));
        Assert.Equal(("active", "unverified"), (me.Status, me.VerificationTier));
        Assert.Single(await UserEventsAsync(user.Id));
    }

    private async Task<List<IUserEvent>> UserEventsAsync(Guid userId)
    {
        var store = App.Services.GetRequiredService<IEventStore>();
        return [.. (await store.ReadStreamAsync(StreamIds.User(userId), 1, 100)).Select(e => (IUserEvent)EventTypes.Deserialize(e)!)];
    }
}
