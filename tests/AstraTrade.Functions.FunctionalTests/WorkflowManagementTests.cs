using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.TournamentDriver;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// The workflow management API over the real host (shaped like Durable Functions' HTTP API), with the tournament
/// workflow as the instance under test: instances the feed started for tournaments (tournament-{id}), and instances
/// started here, for a real tournament (they wait on its timers) or for none (they fail at once, which gives finished
/// instances). Each test has its own app on a manual clock (Monday 2026-11-02 12:00 UTC).
/// </summary>
public sealed class WorkflowManagementTests : IAsyncLifetime
{
    private const string AdminName = "wf-admin";
    private const string Lifecycle = "tournaments.lifecycle";
    private const string Tuesday = "daily-2026-11-03";
    private AstraTradeApp _app = null!;
    private TestUser _admin = null!;

    private ManualTimeProvider Clock => _app.Clock!;

    private HttpClient Admin => _admin.Http;

    public async Task InitializeAsync()
    {
        (_app, _admin) = await TournamentDriver.StartWithAdminAsync(AdminName);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _app.AssertNoServerErrors();
    }

    [Fact]
    public async Task Starting_answers_202_with_management_uris_that_all_work()
    {
        var response = await StartAsync("api-tuesday", new { tournamentId = Tuesday });
        var uris = await Api.ReadAsync<WorkflowManagementUris>(response, HttpStatusCode.Accepted);
        const string Instance = "http://localhost/api/v1/workflows/instances/api-tuesday";
        Assert.Equal(
            new WorkflowManagementUris(
                "api-tuesday", Instance, Instance + "/raiseEvent/{eventName}", Instance + "/terminate?reason={text}",
                Instance + "/suspend?reason={text}", Instance + "/resume?reason={text}", Instance),
            uris);
        Assert.Equal(new Uri(uris.StatusQueryGetUri), response.Headers.Location);

        // Running: 202 with a Location to poll.
        var running = await StatusWhenAsync(uris.StatusQueryGetUri, s => Phase(s) == "registration");
        Assert.Equal(("api-tuesday", Lifecycle, "Running"), (running.InstanceId, running.Name, running.RuntimeStatus));
        using (var poll = await Admin.GetAsync(uris.StatusQueryGetUri))
        {
            Assert.Equal((HttpStatusCode.Accepted, new Uri(uris.StatusQueryGetUri)), (poll.StatusCode, poll.Headers.Location));
        }

        Assert.Equal(HttpStatusCode.Accepted, (await Admin.PostAsync(uris.SuspendPostUri.Replace("{text}", "maintenance"), null)).StatusCode);
        await StatusWhenAsync(uris.StatusQueryGetUri, s => s.RuntimeStatus == "Suspended");
        Assert.Equal(HttpStatusCode.Accepted, (await Admin.PostAsync(uris.ResumePostUri.Replace("{text}", "done"), null)).StatusCode);
        await StatusWhenAsync(uris.StatusQueryGetUri, s => s.RuntimeStatus == "Running");

        // An event the workflow listens for: it reads the tournament, which goes on, so the instance does too.
        var raised = await Admin.PostAsync(uris.SendEventPostUri.Replace("{eventName}", "tournament-cancelled"), Json("\"admin\""));
        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        var heard = await StatusWhenAsync(uris.StatusQueryGetUri + "?showHistory=true", s => s.HistoryEvents!.Count(e => e.EventType == "step") >= 4);
        Assert.Contains(heard.HistoryEvents!, e => e.EventType == "event-received" && e.Data.GetProperty("name").GetString() == "tournament-cancelled");
        Assert.Equal(("Running", "registration"), (heard.RuntimeStatus, Phase(heard)));

        Assert.Equal(HttpStatusCode.Accepted, (await Admin.PostAsync(uris.TerminatePostUri.Replace("{text}", "no longer needed"), null)).StatusCode);
        var terminated = await StatusWhenAsync(uris.StatusQueryGetUri, s => s.RuntimeStatus == "Terminated", HttpStatusCode.OK);
        Assert.Equal("no longer needed", terminated.Reason);

        var purged = await Api.ReadAsync<WorkflowPurgeResponse>(await Admin.DeleteAsync(uris.PurgeHistoryDeleteUri));
        Assert.Equal(1, purged.InstancesDeleted);
        await Api.ProblemAsync(await Admin.GetAsync(uris.StatusQueryGetUri), HttpStatusCode.NotFound, "workflow-not-found");

        // The id is free again.
        Assert.Equal(HttpStatusCode.Accepted, (await StartAsync("api-tuesday", new { tournamentId = Tuesday })).StatusCode);
    }

    [Fact]
    public async Task The_status_shows_input_output_custom_status_and_times_and_the_history_when_asked()
    {
        var driver = new TournamentDriver(_app, _admin);
        var start = Clock.GetUtcNow().AddHours(1);
        var cup = await driver.CreateAsync("custom-status-cup", start, start.AddHours(2));
        var uri = $"/api/v1/workflows/instances/tournament-{cup.Id}";
        await StatusWhenAsync(uri, s => Phase(s) == "registration");
        await driver.GoToAsync(start); // nobody joined: cancelled at the start

        var done = await StatusWhenAsync(uri, s => s.RuntimeStatus == "Completed", HttpStatusCode.OK);
        Assert.Equal(($"tournament-{cup.Id}", Lifecycle, 1, (string?)null), (done.InstanceId, done.Name, done.Generation, done.Reason));
        Assert.Equal(cup.Id, done.Input!.Value.GetProperty("tournamentId").GetString());
        Assert.Equal((cup.Id, "cancelled"), (done.Output!.Value.GetProperty("tournamentId").GetString(), done.Output.Value.GetProperty("status").GetString()));
        Assert.Equal("cancelled", Phase(done));
        Assert.True(done.CreatedTime < done.LastUpdatedTime);
        Assert.Equal(start, done.LastUpdatedTime);
        Assert.Null(done.HistoryEvents);
        using (var raw = JsonDocument.Parse(await Admin.GetStringAsync(uri)))
        {
            Assert.False(raw.RootElement.TryGetProperty("historyEvents", out _));
        }

        var withHistory = await Api.ReadAsync<WorkflowStatusResponse>(await Admin.GetAsync(uri + "?showHistory=true"));
        var history = withHistory.HistoryEvents!;
        Assert.Equal(("created", "completed"), (history[0].EventType, history[^1].EventType));
        Assert.Equal(Enumerable.Range(1, history.Count).Select(v => (long)v), history.Select(e => e.Version));
        Assert.Equal(Lifecycle, history[0].Data.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_instances_are_404_and_finished_ones_refuse_events_and_commands_with_410()
    {
        const string Nowhere = "/api/v1/workflows/instances/nowhere";
        await Api.ProblemAsync(await Admin.GetAsync(Nowhere), HttpStatusCode.NotFound, "workflow-not-found");
        await Api.ProblemAsync(await Admin.GetAsync("/api/v1/workflows/instances/not%20an%20id"), HttpStatusCode.NotFound, "workflow-not-found");
        await Api.ProblemAsync(await Admin.PostAsync(Nowhere + "/raiseEvent/go", Json("1")), HttpStatusCode.NotFound, "workflow-not-found");
        foreach (var command in new[] { "terminate", "suspend", "resume" })
        {
            await Api.ProblemAsync(await Admin.PostAsync($"{Nowhere}/{command}", null), HttpStatusCode.NotFound, "workflow-not-found");
        }

        await Api.ProblemAsync(await Admin.DeleteAsync(Nowhere), HttpStatusCode.NotFound, "workflow-not-found");

        // An instance for a tournament that does not exist fails at its first step: finished.
        var failed = await Api.ReadAsync<WorkflowManagementUris>(await StartAsync("api-nowhere", new { tournamentId = "custom-nowhere" }), HttpStatusCode.Accepted);
        var status = await StatusWhenAsync(failed.StatusQueryGetUri, s => s.RuntimeStatus == "Failed", HttpStatusCode.OK);
        Assert.Equal("There is no tournament 'custom-nowhere'.", status.Reason);
        await Api.ProblemAsync(await Admin.PostAsync(failed.SendEventPostUri.Replace("{eventName}", "tournament-cancelled"), Json("\"admin\"")), HttpStatusCode.Gone, "workflow-finished");
        foreach (var uri in new[] { failed.TerminatePostUri, failed.SuspendPostUri, failed.ResumePostUri })
        {
            await Api.ProblemAsync(await Admin.PostAsync(uri.Replace("{text}", "x"), null), HttpStatusCode.Gone, "workflow-finished");
        }

        // A running instance cannot be purged.
        await StatusWhenAsync($"/api/v1/workflows/instances/tournament-{Tuesday}", s => s.RuntimeStatus == "Running");
        await Api.ProblemAsync(await Admin.DeleteAsync($"/api/v1/workflows/instances/tournament-{Tuesday}"), HttpStatusCode.Conflict, "workflow-not-finished");
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_clear_problems()
    {
        await Api.ProblemAsync(await StartAsync(null, new { tournamentId = Tuesday }, workflow: "trading.nothing"), HttpStatusCode.NotFound, "unknown-workflow");
        await StatusWhenAsync($"/api/v1/workflows/instances/tournament-{Tuesday}", s => s.RuntimeStatus == "Running");
        await Api.ProblemAsync(await StartAsync($"tournament-{Tuesday}", new { tournamentId = Tuesday }), HttpStatusCode.Conflict, "workflow-already-exists");
        await Api.ProblemAsync(await StartAsync("bad id!", new { tournamentId = Tuesday }), HttpStatusCode.BadRequest, "validation-failed");

        foreach (var input in new[] { "", "null", "{}", """{"tournamentId":5}""", """{"tournamentId":"x","extra":1}""", "not json" })
        {
            var refused = await Admin.PostAsync($"/api/v1/workflows/{Lifecycle}", Json(input));
            await Api.ProblemAsync(refused, HttpStatusCode.BadRequest, "invalid-workflow-input");
        }

        var instance = $"/api/v1/workflows/instances/tournament-{Tuesday}";
        await Api.ProblemAsync(await Admin.PostAsync(instance + "/raiseEvent/go", Json("{nope")), HttpStatusCode.BadRequest, "malformed-request");
        await Api.ProblemAsync(await Admin.PostAsync(instance + "/raiseEvent/go", Json("")), HttpStatusCode.BadRequest, "malformed-request");
        await Api.ProblemAsync(await Admin.PostAsync(instance + "/raiseEvent/no%20spaces", Json("1")), HttpStatusCode.BadRequest, "validation-failed");

        await Api.ProblemAsync(await Admin.GetAsync("/api/v1/workflows/instances?runtimeStatus=Sleeping"), HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(await Admin.GetAsync("/api/v1/workflows/instances?runtimeStatus=1"), HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(await Admin.GetAsync("/api/v1/workflows/instances?top=0"), HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(await Admin.GetAsync("/api/v1/workflows/instances?top=1001"), HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(await Admin.GetAsync("/api/v1/workflows/instances?continuationToken=abc"), HttpStatusCode.BadRequest, "invalid-cursor");
        await Api.ProblemAsync(await Admin.GetAsync("/api/v1/workflows/instances?createdTimeFrom=yesterday"), HttpStatusCode.BadRequest, "malformed-request");
        await Api.ProblemAsync(await Admin.GetAsync(instance + "?showHistory=maybe"), HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task The_list_filters_by_status_created_time_and_name_and_pages_without_repeats()
    {
        // The scheduler's two dailies, then one instance a minute: running ones (for Tuesday's daily) and failed ones.
        await StatusWhenAsync($"/api/v1/workflows/instances/tournament-{Tuesday}", s => s.RuntimeStatus == "Running");
        var from = Clock.GetUtcNow().AddMinutes(1);
        var started = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            var id = $"api-{i}";
            var input = i % 2 == 0 ? new { tournamentId = Tuesday } : new { tournamentId = "custom-nowhere" };
            Assert.Equal(HttpStatusCode.Accepted, (await StartAsync(id, input)).StatusCode);
            started.Add(id);
        }

        // The even ones wait for their tournament; the odd ones fail once their activity finds no such tournament
        // (Running until then: wait for the end state each will stay in).
        for (var i = 0; i < started.Count; i++)
        {
            var expected = i % 2 == 0 ? "Running" : "Failed";
            await StatusWhenAsync($"/api/v1/workflows/instances/{started[i]}", s => s.RuntimeStatus == expected);
        }

        var all = await ListAsync("");
        Assert.Null(all.ContinuationToken);
        Assert.Equal([.. started, "tournament-daily-2026-11-03", "tournament-daily-2026-11-04"], all.Instances.Select(i => i.InstanceId).Order(StringComparer.Ordinal));
        Assert.Equal(all.Instances.OrderBy(i => i.CreatedTime).ThenBy(i => i.InstanceId, StringComparer.Ordinal), all.Instances);
        Assert.All(all.Instances, i => Assert.Equal((Lifecycle, 1, (string?)null), (i.Name, i.Generation, i.Owner)));

        // Pages of two: every instance exactly once, in the same order.
        var paged = new List<WorkflowInstanceSummary>();
        string? token = null;
        do
        {
            var page = await ListAsync("top=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.True(page.Instances.Count <= 2);
            paged.AddRange(page.Instances);
            token = page.ContinuationToken;
        }
        while (token is not null);
        Assert.Equal(all.Instances.Select(i => i.InstanceId), paged.Select(i => i.InstanceId));

        Assert.Equal(["api-1", "api-3", "api-5"], (await ListAsync("runtimeStatus=Failed")).Instances.Select(i => i.InstanceId));
        Assert.Equal(
            ["tournament-daily-2026-11-03", "tournament-daily-2026-11-04", "api-0", "api-2", "api-4"],
            (await ListAsync("runtimeStatus=running,Pending")).Instances.Select(i => i.InstanceId));
        Assert.Equal(
            ["api-1", "api-2"],
            (await ListAsync($"createdTimeFrom={Iso(from.AddMinutes(1))}&createdTimeTo={Iso(from.AddMinutes(3))}")).Instances.Select(i => i.InstanceId));
        Assert.Equal(
            ["api-3", "api-5"],
            (await ListAsync($"runtimeStatus=Failed&createdTimeFrom={Iso(from.AddMinutes(3))}")).Instances.Select(i => i.InstanceId));
        Assert.Equal(8, (await ListAsync($"name={Lifecycle}")).Instances.Count);
        Assert.Empty((await ListAsync("name=trading.open-trade")).Instances);
    }

    [Fact]
    public async Task Non_admins_may_read_only_their_own_instances_and_manage_none()
    {
        var user = await _app.RegisterAsync("plain");
        var other = await _app.RegisterAsync("other");
        var tuesday = $"/api/v1/workflows/instances/tournament-{Tuesday}";
        await StatusWhenAsync(tuesday, s => s.RuntimeStatus == "Running");

        // Someone else's (here: nobody's) instance does not exist for a user.
        await Api.ProblemAsync(await user.Http.GetAsync(tuesday), HttpStatusCode.NotFound, "workflow-not-found");
        await Api.ProblemAsync(await user.Http.GetAsync(tuesday + "?showHistory=true"), HttpStatusCode.NotFound, "workflow-not-found");

        // Management is for admins, whatever the instance.
        await Api.ProblemAsync(await user.Http.PostAsync($"/api/v1/workflows/{Lifecycle}", Json("""{"tournamentId":"custom-mine"}""")), HttpStatusCode.Forbidden, "forbidden");
        await Api.ProblemAsync(await user.Http.GetAsync("/api/v1/workflows/instances"), HttpStatusCode.Forbidden, "forbidden");
        await Api.ProblemAsync(await user.Http.PostAsync(tuesday + "/raiseEvent/tournament-cancelled", Json("\"admin\"")), HttpStatusCode.Forbidden, "forbidden");
        foreach (var command in new[] { "terminate", "suspend", "resume" })
        {
            await Api.ProblemAsync(await user.Http.PostAsync($"{tuesday}/{command}", null), HttpStatusCode.Forbidden, "forbidden");
        }

        await Api.ProblemAsync(await user.Http.DeleteAsync(tuesday), HttpStatusCode.Forbidden, "forbidden");
        await StatusWhenAsync(tuesday, s => s.RuntimeStatus == "Running"); // untouched

        // An instance the user owns (as the trade workflows will set it): readable by them, with its history, and by
        // admins; still not by anyone else, nor manageable by its owner.
        var client = _app.Services.GetRequiredService<WorkflowClient>();
        var owned = await client.StartNewAsync(Lifecycle, new Orchestrations.Tournaments.TournamentWorkflowInput(Tuesday), new StartOptions("owned-1", Owner: user.Id.ToString()));
        Assert.Equal(StartOutcome.Started, owned.Outcome);
        var mine = await StatusWhenAsync("/api/v1/workflows/instances/owned-1?showHistory=true", s => Phase(s) == "registration", http: user.Http);
        Assert.Equal("owned-1", mine.InstanceId);
        Assert.NotEmpty(mine.HistoryEvents!);
        await StatusWhenAsync("/api/v1/workflows/instances/owned-1", s => s.InstanceId == "owned-1");
        await Api.ProblemAsync(await other.Http.GetAsync("/api/v1/workflows/instances/owned-1"), HttpStatusCode.NotFound, "workflow-not-found");
        await Api.ProblemAsync(await user.Http.PostAsync("/api/v1/workflows/instances/owned-1/terminate", null), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(user.Id.ToString(), Assert.Single((await ListAsync("")).Instances, i => i.InstanceId == "owned-1").Owner);

        using var anonymous = _app.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(tuesday)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/workflows/instances")).StatusCode);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private static string? Phase(WorkflowStatusResponse status) =>
        status.CustomStatus is { ValueKind: JsonValueKind.Object } custom ? custom.GetProperty("phase").GetString() : null;

    private Task<HttpResponseMessage> StartAsync(string? instanceId, object input, string workflow = Lifecycle) =>
        Admin.PostAsync(
            $"/api/v1/workflows/{workflow}" + (instanceId is null ? "" : "?instanceId=" + Uri.EscapeDataString(instanceId)),
            Json(JsonSerializer.Serialize(input, Api.Json)));

    private async Task<WorkflowInstancesPage> ListAsync(string query) =>
        await Api.ReadAsync<WorkflowInstancesPage>(await Admin.GetAsync("/api/v1/workflows/instances?" + query));

    /// <summary>Polls the status until <paramref name="done"/>; a finished instance must answer 200, one in progress 202
    /// (or, when <paramref name="expected"/> is given, that code).</summary>
    private async Task<WorkflowStatusResponse> StatusWhenAsync(
        string uri, Func<WorkflowStatusResponse, bool> done, HttpStatusCode? expected = null, HttpClient? http = null) =>
        (await Eventually.MatchAsync(
            async () =>
            {
                using var response = await (http ?? Admin).GetAsync(uri);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null; // not started yet: a tournament's instance is started by a feed reactor, a moment later
                }

                var status = await Api.ReadAsync<WorkflowStatusResponse>(
                    response, response.StatusCode == HttpStatusCode.OK ? HttpStatusCode.OK : HttpStatusCode.Accepted);
                var finished = status.RuntimeStatus is "Completed" or "Failed" or "Terminated";
                Assert.Equal(finished ? HttpStatusCode.OK : HttpStatusCode.Accepted, response.StatusCode);
                return status;
            },
            s => s is not null && done(s) && (expected is null || (expected == HttpStatusCode.OK) == (s.RuntimeStatus is "Completed" or "Failed" or "Terminated")),
            $"the status at {uri}"))!;
}
