using AstraTrade.Application.Tournaments;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.TournamentDriver;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// Tournaments over the real host (DOMAIN.md §3): admin creation, joining with and without entry fees, trading through
/// the tournament account only inside the window, live standings, finalization with prizes paid exactly once, and
/// cancellation with refunds. Each test has its own app on a manual clock (Monday 2026-11-02 12:00 UTC).
/// </summary>
public sealed class TournamentTests : IAsyncLifetime
{
    private const string AdminName = "tour-admin";
    private AstraTradeApp _app = null!;
    private TestUser _admin = null!;
    private TournamentDriver _driver = null!;

    private AstraTradeApp App => _app;

    private ManualTimeProvider Clock => App.Clock!;

    public async Task InitializeAsync()
    {
        (_app, _admin) = await TournamentDriver.StartWithAdminAsync(AdminName);
        _driver = new TournamentDriver(App, _admin);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _app.AssertNoServerErrors();
    }

    [Fact]
    public async Task The_scheduler_creates_the_daily_and_weekly_tournaments_ahead_of_time()
    {
        var user = await App.RegisterAsync("browser");
        var page = await Eventually.MatchAsync(
            async () => await Api.ReadAsync<TournamentsPage>(await user.Http.GetAsync("/api/v1/tournaments?limit=100")),
            p => p.Items.Count >= 2,
            "the scheduled tournaments");

        // Monday 12:00: windows starting within 48 h are Tuesday's and Wednesday's dailies (next Monday's weekly is
        // 156 h away).
        Assert.Equal(["daily-2026-11-03", "daily-2026-11-04"], page.Items.Select(t => t.Id));
        var tuesday = page.Items.Single(t => t.Id == "daily-2026-11-03");
        Assert.Equal(("registration", 0L, 100_000m, "tournament:daily-2026-11-03"), (tuesday.Status, tuesday.EntryFee, tuesday.StartingBalance, tuesday.Account));
        Assert.Equal(new DateTimeOffset(2026, 11, 3, 12, 0, 0, TimeSpan.Zero), tuesday.JoinClosesAt);

        var registration = await Api.ReadAsync<TournamentsPage>(await user.Http.GetAsync("/api/v1/tournaments?status=scheduled"));
        Assert.Equal(["daily-2026-11-04"], registration.Items.Select(t => t.Id));
        var first = await Api.ReadAsync<TournamentsPage>(await user.Http.GetAsync("/api/v1/tournaments?limit=1"));
        var second = await Api.ReadAsync<TournamentsPage>(await user.Http.GetAsync($"/api/v1/tournaments?limit=1&cursor={first.NextCursor}"));
        Assert.Equal(["daily-2026-11-03", "daily-2026-11-04"], first.Items.Concat(second.Items).Select(t => t.Id));
    }

    [Fact]
    public async Task A_tournament_runs_from_registration_to_prizes_paid_exactly_once()
    {
        var start = Clock.GetUtcNow().AddHours(1);
        var cup = await _driver.CreateAsync("custom-autumn-cup", start, start.AddHours(2), sponsor: 1_000);
        Assert.Equal(("registration", 1_000L, "tournament:custom-autumn-cup"), (cup.Status, cup.PrizePool, cup.Account));

        var (a, b, c, d) = (await App.RegisterAsync("a"), await App.RegisterAsync("b"), await App.RegisterAsync("c"), await App.RegisterAsync("d"));
        foreach (var user in new[] { a, b, c, d })
        {
            var entry = await Api.ReadAsync<TournamentEntryResponse>(await JoinAsync(user, cup.Id), HttpStatusCode.Created);
            Assert.Equal((100_000m, "tournament:custom-autumn-cup"), (entry.StartingBalance, entry.Account));
        }

        await Api.ProblemAsync(await JoinAsync(a, cup.Id), HttpStatusCode.Conflict, "already-joined");
        await Api.ProblemAsync(await TradeAsync(a, cup.Id, "long", 1_000m), HttpStatusCode.UnprocessableEntity, "tournament-not-live");

        await _driver.GoToAsync(start.AddMinutes(1), a, b, c, d);
        for (var round = 0; round < 3; round++)
        {
            App.Scripted.Publish(Btc, 50_000m);
            var (up, down, flat) = (await OpenAsync(a, cup.Id, "long"), await OpenAsync(b, cup.Id, "short"), await OpenAsync(c, cup.Id, "long"));
            await CloseAsync(c, cup.Id, flat);
            App.Scripted.Publish(Btc, 51_000m);
            await CloseAsync(a, cup.Id, up);
            await CloseAsync(b, cup.Id, down);
        }

        // d has the best return but only one closed trade: listed after every qualified entry, unranked.
        App.Scripted.Publish(Btc, 50_000m);
        var lucky = await OpenAsync(d, cup.Id, "long", 10_000m);
        App.Scripted.Publish(Btc, 55_000m);
        await CloseAsync(d, cup.Id, lucky);

        var live = await StandingsWhenAsync(a, cup.Id, s => s.Total == 4 && s.Entries.Sum(e => e.ClosedTrades) == 10);
        Assert.False(live.Final);
        Assert.Equal(
            [(1, (int?)1, a.Id, true), (2, 2, c.Id, true), (3, 3, b.Id, true), (4, null, d.Id, false)],
            live.Entries.Select(e => (e.Place, e.Rank, e.UserId, e.Qualified)));
        Assert.True(live.Entries[0].Return > 0 && live.Entries[2].Return < live.Entries[1].Return);
        var me = await Api.ReadAsync<StandingsAroundResponse>(await c.Http.GetAsync($"/api/v1/tournaments/{cup.Id}/standings/me?around=1"));
        Assert.Equal(c.Id, me.Me!.UserId);
        Assert.Equal([a.Id, c.Id, b.Id], me.Entries.Select(e => e.UserId));

        // The practice account is untouched by tournament trading.
        Assert.Equal(10_000m, (await a.AccountAsync()).Balance);

        // A position still open at the end is closed at mark by the settlement.
        App.Scripted.Publish(Btc, 50_000m);
        await OpenAsync(a, cup.Id, "long");
        var before = (await a.ProgressionAsync(), await b.ProgressionAsync(), await c.ProgressionAsync(), await d.ProgressionAsync());

        await _driver.GoToAsync(start.AddHours(2), a, b, c, d);
        await Api.ProblemAsync(await TradeAsync(b, cup.Id, "long", 1_000m), HttpStatusCode.UnprocessableEntity, "tournament-not-live");
        var done = await _driver.FinalizedAsync(a, cup.Id);
        Assert.Equal(("completed", (Guid?)a.Id), (done.Status, done.Champion));
        Assert.Empty(await OpenPositionsAsync(a, cup.Id));

        var final = await StandingsWhenAsync(a, cup.Id, s => s.Final);
        Assert.Equal([a.Id, c.Id, b.Id, d.Id], final.Entries.Select(e => e.UserId));
        Assert.Equal(3, final.Entries[0].ClosedTrades); // the settlement close is not the player's trade

        // Prizes: 50/30/20 of the 1,000 SS pool and 1,000/500/250 XP; the champion's achievement; d gets nothing.
        var a1 = await a.ProgressionWhenAsync(p => p.Achievements.Any(x => x.Id == "TOURNAMENT_CHAMPION"), "the champion's prize");
        var c1 = await c.ProgressionWhenAsync(p => p.Xp >= before.Item3.Xp + 500, "second place");
        var b1 = await b.ProgressionWhenAsync(p => p.Xp >= before.Item2.Xp + 250, "third place");
        Assert.Equal((before.Item1.Xp + 1_000, before.Item1.StellarShards + 500), (a1.Xp, a1.StellarShards));
        Assert.Equal((before.Item3.Xp + 500, before.Item3.StellarShards + 300), (c1.Xp, c1.StellarShards));
        Assert.Equal((before.Item2.Xp + 250, before.Item2.StellarShards + 200), (b1.Xp, b1.StellarShards));

        // A retried finalization pays nothing again.
        var service = App.Services.GetRequiredService<TournamentService>();
        Assert.Equal(Domain.Tournaments.TournamentStatus.Completed, (await service.FinalizeAsync(cup.Id, CancellationToken.None)).Value);
        await App.FeedsCaughtUpAsync();
        Assert.Equal(a1.Xp, (await a.ProgressionAsync()).Xp);
        Assert.Equal(before.Item4.Xp, (await d.ProgressionAsync()).Xp);
    }

    [Fact]
    public async Task Entry_fees_come_from_Stellar_Shards_and_are_refunded_when_an_admin_cancels()
    {
        var start = Clock.GetUtcNow().AddHours(1);
        var cup = await _driver.CreateAsync("custom-paid-cup", start, start.AddHours(2), fee: 10);
        var poor = await App.RegisterAsync("poor");
        var payer = await App.RegisterAsync("payer");
        await Api.ProblemAsync(await JoinAsync(poor, cup.Id), HttpStatusCode.UnprocessableEntity, "insufficient-shards");

        // FIRST_TRADE (100 XP) earns 10 Stellar Shards.
        var placed = await payer.OpenAsync(Btc, "long", 2, 10m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        App.Scripted.Refresh();
        await payer.ClosePositionAsync(placed.Position!.Id);
        await payer.ProgressionWhenAsync(p => p.StellarShards == 10, "FIRST_TRADE's shards");

        var entry = await Api.ReadAsync<TournamentEntryResponse>(await JoinAsync(payer, cup.Id), HttpStatusCode.Created);
        Assert.Equal(10, entry.EntryFee);
        Assert.Equal(0, (await payer.ProgressionAsync()).StellarShards);
        Assert.Equal(10, (await Api.ReadAsync<TournamentResponse>(await payer.Http.GetAsync($"/api/v1/tournaments/{cup.Id}"))).PrizePool);
        await Api.ProblemAsync(await JoinAsync(payer, cup.Id), HttpStatusCode.Conflict, "already-joined");
        Assert.Equal(0, (await payer.ProgressionAsync()).StellarShards);

        await Api.ProblemAsync(
            await payer.Http.PostAsJsonAsync($"/api/v1/tournaments/{cup.Id}/cancel", new { reason = "mine" }, Api.Json), HttpStatusCode.Forbidden, "forbidden");
        var cancelled = await Api.ReadAsync<TournamentResponse>(
            await _admin.Http.PostAsJsonAsync($"/api/v1/tournaments/{cup.Id}/cancel", new { reason = "price feed outage" }, Api.Json));
        Assert.Equal(("cancelled", "admin"), (cancelled.Status, cancelled.CancellationReason));
        await payer.ProgressionWhenAsync(p => p.StellarShards == 10, "the refunded entry fee");
        await App.FeedsCaughtUpAsync();
        Assert.Equal(10, (await payer.ProgressionAsync()).StellarShards);
        await Api.ProblemAsync(await JoinAsync(poor, cup.Id), HttpStatusCode.UnprocessableEntity, "tournament-cancelled");
    }

    [Fact]
    public async Task With_fewer_than_three_entries_at_the_start_the_tournament_is_cancelled()
    {
        var start = Clock.GetUtcNow().AddHours(1);
        var cup = await _driver.CreateAsync("custom-quiet-cup", start, start.AddHours(2));
        var (a, b) = (await App.RegisterAsync("a"), await App.RegisterAsync("b"));
        await Api.ReadAsync<TournamentEntryResponse>(await JoinAsync(a, cup.Id), HttpStatusCode.Created);
        await Api.ReadAsync<TournamentEntryResponse>(await JoinAsync(b, cup.Id), HttpStatusCode.Created);

        await _driver.GoToAsync(start, a, b);
        var view = await Api.ReadAsync<TournamentResponse>(await a.Http.GetAsync($"/api/v1/tournaments/{cup.Id}"));
        Assert.Equal(("cancelled", "not-enough-players"), (view.Status, view.CancellationReason));
        await Api.ProblemAsync(await TradeAsync(a, cup.Id, "long", 1_000m), HttpStatusCode.UnprocessableEntity, "tournament-not-live");
    }

    [Fact]
    public async Task Bad_requests_get_clear_errors()
    {
        var start = Clock.GetUtcNow().AddHours(1);
        var user = await App.RegisterAsync("user");
        await Api.ProblemAsync(
            await user.Http.PostAsJsonAsync("/api/v1/tournaments", Body("custom-mine", "custom", start, start.AddHours(2)), Api.Json), HttpStatusCode.Forbidden, "forbidden");
        await Api.ProblemAsync(
            await _admin.Http.PostAsJsonAsync("/api/v1/tournaments", Body("custom-x", "monthly", start, start.AddHours(2)), Api.Json),
            HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(
            await _admin.Http.PostAsJsonAsync("/api/v1/tournaments", Body("My Cup", "custom", start, start.AddHours(2)), Api.Json),
            HttpStatusCode.UnprocessableEntity, "invalid-tournament-id");
        await Api.ProblemAsync(
            await _admin.Http.PostAsJsonAsync("/api/v1/tournaments", Body("custom-short", "custom", start, start.AddMinutes(30)), Api.Json),
            HttpStatusCode.UnprocessableEntity, "invalid-tournament-window");
        var cup = await _driver.CreateAsync("custom-strict-cup", start, start.AddHours(2));
        await Api.ProblemAsync(
            await _admin.Http.PostAsJsonAsync("/api/v1/tournaments", Body(cup.Id, "custom", start, start.AddHours(3)), Api.Json),
            HttpStatusCode.Conflict, "tournament-already-exists");

        await Api.ProblemAsync(await JoinAsync(user, "custom-nowhere"), HttpStatusCode.NotFound, "tournament-not-found");
        await Api.ProblemAsync(await user.Http.GetAsync("/api/v1/tournaments/custom-nowhere"), HttpStatusCode.NotFound, "tournament-not-found");
        await Api.ProblemAsync(await TradeAsync(user, cup.Id, "long", 1_000m), HttpStatusCode.Forbidden, "not-entered");
        await Api.ProblemAsync(await user.Http.GetAsync($"/api/v1/tournaments/{cup.Id}/account"), HttpStatusCode.Forbidden, "not-entered");
        await Api.ProblemAsync(await user.Http.GetAsync("/api/v1/positions?account=bogus"), HttpStatusCode.BadRequest, "invalid-account");
        await Api.ProblemAsync(await user.Http.GetAsync("/api/v1/trades?account=tournament:UPPER"), HttpStatusCode.BadRequest, "invalid-account");
        await Api.ProblemAsync(await user.Http.GetAsync("/api/v1/tournaments?status=open"), HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(await user.Http.GetAsync($"/api/v1/tournaments/{cup.Id}/standings?top=0"), HttpStatusCode.BadRequest, "validation-failed");
        await Api.ProblemAsync(await user.Http.GetAsync("/api/v1/tournaments?cursor=abc"), HttpStatusCode.BadRequest, "invalid-cursor");
    }

    [Fact]
    public async Task The_tournament_stream_pushes_a_standing_when_an_entry_trades()
    {
        var start = Clock.GetUtcNow().AddHours(1);
        var cup = await _driver.CreateAsync("custom-streamed-cup", start, start.AddHours(2));
        var (a, b, c) = (await App.RegisterAsync("a"), await App.RegisterAsync("b"), await App.RegisterAsync("c"));
        foreach (var user in new[] { a, b, c })
        {
            await Api.ReadAsync<TournamentEntryResponse>(await JoinAsync(user, cup.Id), HttpStatusCode.Created);
        }

        await _driver.GoToAsync(start.AddMinutes(1), a, b, c);
        using var response = await b.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tournaments/{cup.Id}/stream"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("ready", (await LiveStreamTests.ReadEventAsync(reader)).Event);

        await OpenAsync(a, cup.Id, "long");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (name, _, data) = await LiveStreamTests.ReadEventAsync(reader).WaitAsync(timeout.Token);
        Assert.Equal("standing", name);
        Assert.Equal((cup.Id, 3), (data.GetProperty("tournamentId").GetString(), data.GetProperty("total").GetInt32()));
        Assert.Equal(a.Id, data.GetProperty("entry").GetProperty("userId").GetGuid());
        await Api.ProblemAsync(await b.Http.GetAsync("/api/v1/tournaments/custom-nowhere/stream"), HttpStatusCode.NotFound, "tournament-not-found");
    }

    private static Task<StandingsResponse> StandingsWhenAsync(TestUser user, string id, Func<StandingsResponse, bool> done) =>
        Eventually.MatchAsync(
            async () => await Api.ReadAsync<StandingsResponse>(await user.Http.GetAsync($"/api/v1/tournaments/{id}/standings")), done, $"the standings of {id}");
}
