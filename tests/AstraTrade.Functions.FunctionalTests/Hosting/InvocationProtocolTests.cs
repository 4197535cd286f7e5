using System.Text.Json.Nodes;
using AstraTrade.Functions.Hosting;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests.Hosting;

/// <summary>The app as the Functions host's custom handler, on a manual clock with a scripted market.</summary>
public sealed class FunctionsHostFixture : AppFixture
{
    protected override AppOptions Options => new()
    {
        ScriptedMarket = true,
        Clock = new ManualTimeProvider(),
        Settings = new Dictionary<string, string?> { [AppHosting.ModeSetting] = nameof(HostingMode.FunctionsHost) },
    };
}

/// <summary>
/// The custom-handler invocation protocol (ARCHITECTURE.md §2, docs/functions.md): the host's payloads for timers and
/// queue messages, posted to <c>POST /{functionName}</c> of the running app, and their effects.
/// </summary>
public sealed class InvocationProtocolTests(FunctionsHostFixture fixture) : AppTests<FunctionsHostFixture>(fixture), IAsyncLifetime
{
    private FunctionsHostSimulator _host = null!;

    private ManualTimeProvider Clock => App.Clock!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        _host = new FunctionsHostSimulator(App);
        _host.ListenToTheWorkQueue();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await _host.DisposeAsync();
        Assert.Empty(_host.FailedQueueInvocations);
        await DisposeAsync();
    }

    [Fact]
    public async Task Orders_run_their_whole_lifecycle_on_work_the_host_delivers()
    {
        var user = await App.RegisterAsync("hosted");
        var before = _host.QueueInvocations;

        var opened = await user.OpenAsync(Btc, "long", 10, 100m);
        var closed = await user.ClosePositionAsync(opened.Position!.Id);

        Assert.Equal("closed", closed.Status);
        Assert.True(_host.QueueInvocations > before, "the lifecycle's steps arrived as queue invocations");
    }

    [Fact]
    public async Task Change_feed_batches_reach_the_durable_reactor_and_a_redelivered_batch_changes_nothing()
    {
        var user = await App.RegisterAsync("changes");
        var opened = await user.OpenAsync(Btc, "long", 10, 100m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        Publish(50_000m);
        await user.SignInAgainAsync();
        await user.ClosePositionAsync(opened.Position!.Id);
        await Task.Delay(300);
        Assert.Equal(0, (await user.ProgressionAsync()).Xp); // the reactor is a function now: nothing in process awards XP

        using var response = await _host.DeliverChangesAsync("progression", loseTheAnswer: true);

        var body = await Api.ReadAsync<JsonElement>(response);
        Assert.StartsWith("progression: ", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var progression = await user.ProgressionWhenAsync(p => p.Xp > 0, "XP from the delivered close");

        // The host delivers the same batch again (its answer was lost): handlers are idempotent.
        using var again = await _host.DeliverChangesAsync("progression");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await Task.Delay(300);
        Assert.Equal(progression.Xp, (await user.ProgressionAsync()).Xp);
    }

    [Fact]
    public async Task A_change_feed_payload_that_is_not_an_array_fails_the_invocation()
    {
        using var response = await _host.InvokeAsync("feed-progression", new JsonObject { ["documents"] = new JsonObject() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task The_tournament_scheduler_runs_only_when_the_host_fires_it_and_twice_changes_nothing()
    {
        var http = (await App.RegisterAsync("scheduler")).Http;
        await App.FeedsCaughtUpAsync();
        Assert.Empty((await Api.ReadAsync<TournamentsPage>(await http.GetAsync("/api/v1/tournaments"))).Items); // no in-process cron

        using var response = await _host.FireTimerAsync(AppFunctions.TournamentSchedulerTimer);

        var body = await Api.ReadAsync<JsonElement>(response);
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
        Assert.StartsWith("timer-tournament-scheduler ran for ", body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
        var created = await Eventually.MatchAsync(
            async () => (await Api.ReadAsync<TournamentsPage>(await http.GetAsync("/api/v1/tournaments"))).Items,
            items => items.Count > 0, "the scheduled tournaments");

        using var again = await _host.FireTimerAsync(AppFunctions.TournamentSchedulerTimer, isPastDue: true);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await App.FeedsCaughtUpAsync();
        Assert.Equal(created.Count, (await Api.ReadAsync<TournamentsPage>(await http.GetAsync("/api/v1/tournaments"))).Items.Count);
    }

    [Fact]
    public async Task The_funding_timer_charges_the_occurrence_it_fired_for_once()
    {
        var user = await App.RegisterAsync("funding");
        Publish(50_000m);
        var opened = await user.OpenAsync(Btc, "long", 10, 100m);
        var hour = NextHour(Clock.GetUtcNow());
        Clock.SetUtcNow(hour.AddMilliseconds(-500));
        Publish(50_000m);
        Clock.SetUtcNow(hour.AddMilliseconds(250)); // the host fires a moment after the occurrence
        await user.SignInAgainAsync();

        using var response = await _host.FireTimerAsync(AppFunctions.FundingTimer);

        var body = await Api.ReadAsync<JsonElement>(response);
        Assert.Equal($"timer-funding ran for {hour:O}", body.GetProperty("Logs")[0].GetString());
        var charged = await Eventually.MatchAsync(
            user.OpenPositionsAsync, ps => ps.Single().Collateral != 100m, "funding at the hour");
        using var again = await _host.FireTimerAsync(AppFunctions.FundingTimer); // a retried invocation
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await App.FeedsCaughtUpAsync();
        Assert.Equal(charged.Single().Collateral, (await user.OpenPositionsAsync()).Single(p => p.Id == opened.Position!.Id).Collateral);
    }

    [Theory]
    [InlineData("not json", "The invocation is not JSON")]
    [InlineData("[]", "The invocation has no \"Data\" object.")]
    [InlineData("{\"Metadata\":{}}", "The invocation has no \"Data\" object.")]
    [InlineData("{\"Data\":{},\"Metadata\":{\"Id\":\"m\",\"DequeueCount\":1}}", "The invocation has no \"message\" in its Data.")]
    [InlineData("{\"Data\":{\"message\":\"{}\"},\"Metadata\":{\"Id\":\"m\"}}", "The queue message has no DequeueCount in its Metadata.")]
    [InlineData("{\"Data\":{\"message\":\"{}\"},\"Metadata\":{\"DequeueCount\":1}}", "The queue message has no Id in its Metadata.")]
    public async Task A_payload_the_handler_cannot_read_fails_the_invocation_with_a_reason(string payload, string reason)
    {
        using var http = App.Anonymous();

        using var response = await http.PostAsync("/queue-workflow-work", new StringContent(payload, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith(reason, body.GetProperty("Logs")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timer_payload_without_its_binding_fails_the_invocation()
    {
        using var response = await _host.InvokeAsync(AppFunctions.FundingTimer, new JsonObject { ["other"] = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static DateTimeOffset NextHour(DateTimeOffset now) =>
        new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);

    private void Publish(decimal price)
    {
        App.Scripted.Publish(Btc, price, fundingRate: 0.0001m);
        App.Scripted.Publish(Eth, 2_500m, fundingRate: 0.0001m);
        App.Scripted.Publish(Sol, 100m, fundingRate: 0.0001m);
    }
}

/// <summary>Standalone, the invocation paths do not exist: nothing outside can fire a timer or deliver work.</summary>
public sealed class StandaloneInvocationTests(ScriptedMarketFixture fixture) : AppTests<ScriptedMarketFixture>(fixture)
{
    [Theory]
    [InlineData("timer-funding")]
    [InlineData("queue-workflow-work")]
    [InlineData("feed-progression")]
    public async Task Invocation_paths_are_not_mapped(string function)
    {
        using var http = App.Anonymous();

        using var response = await http.PostAsync("/" + function, new StringContent("{\"Data\":{}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
