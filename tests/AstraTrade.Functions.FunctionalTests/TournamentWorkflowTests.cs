using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.TournamentDriver;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Tournaments as workflow instances over the real host: every tournament gets an instance (tournament-{id}) that shows
/// its phase, moves it on at its times on the workflow runtime's durable timers (here on the manual clock), ends with
/// it when it completes or is cancelled, and survives a restart without paying anything twice.
/// </summary>
public sealed class TournamentWorkflowTests : IAsyncLifetime
{
    private const string AdminName = "wf-tour-admin";
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "astratrade-functional-tournament-wf-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Every_tournament_has_an_instance_that_shows_its_phase_until_it_completes()
    {
        await using var app = await StartAsync();
        var driver = new TournamentDriver(app, await RegisterAdminAsync(app, AdminName));

        // The scheduler's dailies (Monday 12:00: Tuesday's is open for registration, Wednesday's not yet).
        var tuesday = await InstanceWhenAsync(app, "daily-2026-11-03", "registration");
        Assert.Equal(("tournaments.lifecycle", WorkflowRuntimeStatus.Running), (tuesday.Name, tuesday.RuntimeStatus));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero), NextCheckAt(tuesday));
        var wednesday = await InstanceWhenAsync(app, "daily-2026-11-04", "scheduled");
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero), NextCheckAt(wednesday)); // registration opens 24 h ahead

        var start = _clock.GetUtcNow().AddHours(1);
        var cup = await driver.CreateAsync("custom-flow-cup", start, start.AddHours(2), sponsor: 1_000);
        var registration = await InstanceWhenAsync(app, cup.Id, "registration");
        Assert.Equal("custom-flow-cup", registration.Input!.Value.GetProperty("tournamentId").GetString());
        Assert.Equal(start, NextCheckAt(registration));

        var (a, b, c) = (await app.RegisterAsync("a"), await app.RegisterAsync("b"), await app.RegisterAsync("c"));
        await JoinAllAsync(cup.Id, a, b, c);
        await driver.GoToAsync(start, a, b, c);
        Assert.Equal(start.AddHours(2), NextCheckAt(await InstanceWhenAsync(app, cup.Id, "live")));
        await QualifyAsync(app, cup.Id, a, b, c);

        await driver.GoToAsync(start.AddHours(2), a, b, c);
        Assert.Equal("completed", (await driver.FinalizedAsync(a, cup.Id)).Status);
        var done = await InstanceWhenAsync(app, cup.Id, "completed");
        Assert.Equal(WorkflowRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(("custom-flow-cup", "completed"), (done.Output!.Value.GetProperty("tournamentId").GetString(), done.Output.Value.GetProperty("status").GetString()));

        // The history shows the phase changes as steps: the advances at creation and at the start, then the finalization.
        var history = (await Client(app).GetStatusAsync(TournamentInstance(cup.Id), showHistory: true))!.History!;
        Assert.Equal("created", history[0].EventType);
        Assert.Equal("completed", history[^1].EventType);
        Assert.Equal(
            ["tournaments.advance", "tournaments.advance", "tournaments.finalize"],
            history.Where(e => e.EventType == "step").SelectMany(e => CompletedCalls(e.Data)));
        await app.DisposeAsync();
        app.AssertNoServerErrors();
    }

    [Fact]
    public async Task Cancelling_a_tournament_ends_its_instance_as_cancelled()
    {
        await using var app = await StartAsync();
        var driver = new TournamentDriver(app, await RegisterAdminAsync(app, AdminName));
        var start = _clock.GetUtcNow().AddHours(1);

        // By an admin, during registration.
        var cancelled = await driver.CreateAsync("custom-called-off", start, start.AddHours(2));
        await InstanceWhenAsync(app, cancelled.Id, "registration");
        await Api.ReadAsync<TournamentResponse>(
            await driver.Admin.Http.PostAsJsonAsync($"/api/v1/tournaments/{cancelled.Id}/cancel", new { reason = "sponsor withdrew" }, Api.Json));
        var byAdmin = await InstanceWhenAsync(app, cancelled.Id, "cancelled");
        Assert.Equal(WorkflowRuntimeStatus.Completed, byAdmin.RuntimeStatus);
        Assert.Equal("cancelled", byAdmin.Output!.Value.GetProperty("status").GetString());
        Assert.Null(NextCheckAt(byAdmin));

        // At its start, with too few players: the instance's own advance cancels it.
        var quiet = await driver.CreateAsync("custom-too-quiet", start, start.AddHours(2));
        var (a, b) = (await app.RegisterAsync("a"), await app.RegisterAsync("b"));
        await JoinAllAsync(quiet.Id, a, b);
        await InstanceWhenAsync(app, quiet.Id, "registration");
        await driver.GoToAsync(start, a, b);
        var tooFew = await InstanceWhenAsync(app, quiet.Id, "cancelled");
        Assert.Equal(WorkflowRuntimeStatus.Completed, tooFew.RuntimeStatus);
        Assert.Equal("not-enough-players", (await Api.ReadAsync<TournamentResponse>(await a.Http.GetAsync($"/api/v1/tournaments/{quiet.Id}"))).CancellationReason);
        await app.DisposeAsync();
        app.AssertNoServerErrors();
    }

    [Fact]
    public async Task A_restart_mid_tournament_still_finalizes_it_and_pays_the_prizes_exactly_once()
    {
        var start = _clock.GetUtcNow().AddHours(1);
        const string Cup = "custom-restart-cup";
        TestUser[] players;
        ProgressionResponse[] before;
        var first = await StartAsync();
        await using (first)
        {
            var driver = new TournamentDriver(first, await RegisterAdminAsync(first, AdminName));
            await driver.CreateAsync(Cup, start, start.AddHours(2), sponsor: 1_000);
            players = [await first.RegisterAsync("a"), await first.RegisterAsync("b"), await first.RegisterAsync("c")];
            await JoinAllAsync(Cup, players);
            await driver.GoToAsync(start, players);
            await InstanceWhenAsync(first, Cup, "live");
            await QualifyAsync(first, Cup, players);
            await first.FeedsCaughtUpAsync();
            before = [.. await Task.WhenAll(players.Select(p => p.ProgressionAsync()))];
        }

        first.AssertNoServerErrors();

        // The app is down when the tournament ends; the restarted host's recovery finds the instance's timer overdue.
        _clock.SetUtcNow(start.AddHours(2).AddMinutes(1));
        var second = await StartAsync();
        await using (second)
        {
            var done = await InstanceWhenAsync(second, Cup, "completed");
            Assert.Equal((WorkflowRuntimeStatus.Completed, 1), (done.RuntimeStatus, done.Generation));
            var (a, b, c) = (await SignedIn(second, players[0]), await SignedIn(second, players[1]), await SignedIn(second, players[2]));
            await a.ProgressionWhenAsync(p => p.Achievements.Any(x => x.Id == "TOURNAMENT_CHAMPION"), "the champion's prize");
            await b.ProgressionWhenAsync(p => p.Xp >= before[1].Xp + 500, "second place");
            await c.ProgressionWhenAsync(p => p.Xp >= before[2].Xp + 250, "third place");
            await second.FeedsCaughtUpAsync();
        }

        second.AssertNoServerErrors();

        // A second restart: the finished instance is not started again, and nothing is paid twice.
        await using var third = await StartAsync();
        await third.FeedsCaughtUpAsync();
        var final = (await Client(third).GetStatusAsync(TournamentInstance(Cup)))!;
        Assert.Equal((WorkflowRuntimeStatus.Completed, 1), (final.RuntimeStatus, final.Generation));
        var users = new[] { await SignedIn(third, players[0]), await SignedIn(third, players[1]), await SignedIn(third, players[2]) };
        var after = await Task.WhenAll(users.Select(u => u.ProgressionAsync()));
        Assert.Equal(
            [(1_000L, 500L), (500L, 300L), (250L, 200L)],
            after.Zip(before, (now, then) => ((long)(now.Xp - then.Xp), (long)(now.StellarShards - then.StellarShards))));

        var stream = await third.Services.GetRequiredService<IEventStore>().ReadStreamAsync("tournament-" + Cup, 1, 1_000);
        Assert.Equal(3, stream.Count(e => e.Type == EventTypes.NameOf<PrizeAwarded>()));
        Assert.Single(stream, e => e.Type == EventTypes.NameOf<TournamentCompleted>());
        await third.DisposeAsync();
        third.AssertNoServerErrors();
    }

    private static string TournamentInstance(string tournamentId) => "tournament-" + tournamentId;

    private static WorkflowClient Client(AstraTradeApp app) => app.Services.GetRequiredService<WorkflowClient>();

    private static DateTimeOffset? NextCheckAt(WorkflowStatus status) =>
        status.CustomStatus!.Value.GetProperty("nextCheckAt") is { ValueKind: JsonValueKind.String } at ? at.GetDateTimeOffset() : null;

    /// <summary>Waits until the tournament's instance shows <paramref name="phase"/> as its custom status.</summary>
    private static async Task<WorkflowStatus> InstanceWhenAsync(AstraTradeApp app, string tournamentId, string phase) =>
        (await Eventually.MatchAsync(
            async () => await Client(app).GetStatusAsync(TournamentInstance(tournamentId)),
            s => s?.CustomStatus is { } custom && custom.GetProperty("phase").GetString() == phase,
            $"the instance of {tournamentId} to show {phase}"))!;

    /// <summary>The activity whose result a step received, if its message is one.</summary>
    private static IEnumerable<string> CompletedCalls(JsonElement step) =>
        step.TryGetProperty("message", out var message) && message.GetProperty("kind").GetString() == "activity-completed"
            ? [message.GetProperty("activity").GetString()!]
            : [];

    /// <summary>Three closed trades each, so every entry qualifies: the first player gains most, the last loses.</summary>
    private static async Task QualifyAsync(AstraTradeApp app, string id, params TestUser[] players)
    {
        for (var round = 0; round < 3; round++)
        {
            app.Scripted.Publish(Btc, 50_000m);
            var (up, flat, down) = (await OpenAsync(players[0], id, "long"), await OpenAsync(players[1], id, "long"), await OpenAsync(players[2], id, "short"));
            await CloseAsync(players[1], id, flat);
            app.Scripted.Publish(Btc, 51_000m);
            await CloseAsync(players[0], id, up);
            await CloseAsync(players[2], id, down);
        }
    }

    private static async Task<TestUser> SignedIn(AstraTradeApp app, TestUser user)
    {
        var again = new TestUser(app, user.Username, user.Password, user.Tokens);
        await again.SignInAgainAsync();
        return again;
    }

    private async Task<AstraTradeApp> StartAsync()
    {
        var app = new AstraTradeApp(new AppOptions
        {
            ScriptedMarket = true,
            Clock = _clock,
            DataDirectory = _dataDirectory,
            KeepDataDirectory = true,
            Settings = new Dictionary<string, string?> { ["Auth:AdminUsernames:0"] = AdminName },
        });
        PublishDefaults(app.Scripted);
        await app.StartAsync();
        return app;
    }
}
