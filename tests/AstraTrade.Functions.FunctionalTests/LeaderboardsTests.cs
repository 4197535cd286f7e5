using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests;

/// <summary>
/// The XP leaderboards (DOMAIN.md §2). Boards are global, so each test gets an app of its own (a fresh data directory,
/// a manual clock starting Monday 2026-11-02 12:00 UTC) and knows every score on it. Boards are feed projections:
/// tests poll until they show what was earned.
/// </summary>
public sealed class LeaderboardsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
    private AstraTradeApp _app = null!;

    private AstraTradeApp App => _app;

    private ManualTimeProvider Clock => App.Clock!;

    public async Task InitializeAsync()
    {
        _app = new AstraTradeApp(new AppOptions { ScriptedMarket = true, Clock = new ManualTimeProvider() });
        PublishDefaults(_app.Scripted);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _app.AssertNoServerErrors();
    }

    [Fact]
    public async Task The_all_time_board_ranks_by_XP_and_breaks_ties_by_who_reached_the_score_first()
    {
        var (a, b) = (await App.RegisterAsync("a"), await App.RegisterAsync("b"));
        var trader = await App.RegisterAsync("trader");
        await App.RegisterAsync("idle");

        // Two equal scores; the earlier one is given to the user with the larger id, so that an order by id would fail.
        var (early, late) = a.Id.CompareTo(b.Id) > 0 ? (a, b) : (b, a);
        await CheckInAsync(early);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await CheckInAsync(late);
        var placed = await trader.OpenAsync(Btc, "long", 2, 10m);
        Clock.Advance(AstraTradeApp.MinimumHold);
        App.Scripted.Refresh();
        await trader.ClosePositionAsync(placed.Position!.Id);

        var board = await BoardWhenAsync(early, "/api/v1/leaderboards/xp-all-time", b => b.Total == 3 && b.Entries[0].Score == 160);

        Assert.Equal("xp-all-time", board.Board);
        Assert.Null(board.PeriodStart);
        Assert.Equal(
            [(1, trader.Id, trader.Username, 160L), (2, early.Id, early.Username, 35L), (3, late.Id, late.Username, 35L)],
            board.Entries.Select(e => (e.Rank, e.UserId, e.Username, e.Score)));

        var top2 = await Api.ReadAsync<LeaderboardResponse>(await late.Http.GetAsync("/api/v1/leaderboards/xp-all-time?top=2"));
        Assert.Equal(3, top2.Total);
        Assert.Equal([trader.Id, early.Id], top2.Entries.Select(e => e.UserId));
    }

    [Fact]
    public async Task The_weekly_board_counts_XP_from_Monday_00_00_UTC_and_starts_empty_the_next_week()
    {
        var (a, b) = (await App.RegisterAsync("a"), await App.RegisterAsync("b"));
        await CheckInAsync(a);
        var weekly = await BoardWhenAsync(a, "/api/v1/leaderboards/xp-weekly", x => x.Total == 1);
        Assert.Equal(("xp-weekly", Monday), (weekly.Board, weekly.PeriodStart!.Value));
        Assert.Equal((a.Id, 35L), (weekly.Entries[0].UserId, weekly.Entries[0].Score));

        // Sunday 23:59:59 is still the same week; Monday 00:00 starts the next one.
        Clock.SetUtcNow(Monday.AddDays(7).AddSeconds(-1));
        await a.SignInAgainAsync();
        await b.SignInAgainAsync();
        await CheckInAsync(b);
        weekly = await BoardWhenAsync(a, "/api/v1/leaderboards/xp-weekly", x => x.Total == 2);
        Assert.Equal([a.Id, b.Id], weekly.Entries.Select(e => e.UserId));

        Clock.Advance(TimeSpan.FromSeconds(1));
        var nextWeek = await Api.ReadAsync<LeaderboardResponse>(await a.Http.GetAsync("/api/v1/leaderboards/xp-weekly"));
        Assert.Equal((Monday.AddDays(7), 0), (nextWeek.PeriodStart!.Value, nextWeek.Total));
        Assert.Empty(nextWeek.Entries);
        var me = await Api.ReadAsync<LeaderboardAroundResponse>(await a.Http.GetAsync("/api/v1/leaderboards/xp-weekly/me"));
        Assert.Null(me.Me);

        await CheckInAsync(a); // a new UTC day and week: the streak was broken, so 25 + 10
        weekly = await BoardWhenAsync(a, "/api/v1/leaderboards/xp-weekly", x => x.Total == 1);
        Assert.Equal((a.Id, 35L), (weekly.Entries[0].UserId, weekly.Entries[0].Score));

        var allTime = await BoardWhenAsync(a, "/api/v1/leaderboards/xp-all-time", x => x.Entries.Any(e => e.Score == 70));
        Assert.Equal([(a.Id, 70L), (b.Id, 35L)], allTime.Entries.Select(e => (e.UserId, e.Score)));
    }

    [Fact]
    public async Task A_users_rank_comes_with_k_neighbours_on_each_side()
    {
        var users = new List<TestUser>();
        for (var i = 0; i < 5; i++)
        {
            var user = await App.RegisterAsync($"r{i}");
            await CheckInAsync(user); // equal scores, ranked by time: users[0] first
            Clock.Advance(TimeSpan.FromSeconds(1));
            users.Add(user);
        }

        var outsider = await App.RegisterAsync("outsider");
        await BoardWhenAsync(outsider, "/api/v1/leaderboards/xp-all-time", b => b.Total == 5);

        await AssertAroundAsync(users[2], 1, 3, [users[1], users[2], users[3]]);
        await AssertAroundAsync(users[2], 0, 3, [users[2]]);
        await AssertAroundAsync(users[0], 2, 1, [users[0], users[1], users[2]]);
        await AssertAroundAsync(users[4], 2, 5, [users[2], users[3], users[4]]);
        await AssertAroundAsync(users[3], null, 4, users); // default k = 5 covers everyone

        var none = await Api.ReadAsync<LeaderboardAroundResponse>(await outsider.Http.GetAsync("/api/v1/leaderboards/xp-all-time/me"));
        Assert.Equal(("xp-all-time", 5), (none.Board, none.Total));
        Assert.Null(none.Me);
        Assert.Empty(none.Entries);
    }

    [Theory]
    [InlineData("/api/v1/leaderboards/xp-monthly")]
    [InlineData("/api/v1/leaderboards/XP-ALL-TIME")]
    [InlineData("/api/v1/leaderboards/xp-monthly/me")]
    public async Task An_unknown_board_is_404_unknown_leaderboard(string path)
    {
        var user = await App.RegisterAsync("unknown");

        await Api.ProblemAsync(await user.Http.GetAsync(path), HttpStatusCode.NotFound, "unknown-leaderboard");
    }

    [Fact]
    public async Task The_pnl_weekly_board_ranks_realized_practice_pnl_and_starts_empty_on_monday()
    {
        var (winner, loser) = (await App.RegisterAsync("winner"), await App.RegisterAsync("loser"));
        var up = await winner.OpenAsync(Btc, "long", 10, 100m);
        var down = await loser.OpenAsync(Btc, "long", 10, 100m);
        App.Scripted.Publish(Btc, 51_000m);
        var won = await winner.ClosePositionAsync(up.Position!.Id);
        App.Scripted.Publish(Btc, 49_000m);
        var lost = await loser.ClosePositionAsync(down.Position!.Id);

        var board = await BoardWhenAsync(winner, "/api/v1/leaderboards/pnl-weekly", b => b.Total == 2);

        Assert.Equal(Monday, board.PeriodStart);
        Assert.True(won.RealizedPnl > 0 && lost.RealizedPnl < 0);
        Assert.Equal(
            [(1, winner.Id, won.RealizedPnl!.Value), (2, loser.Id, lost.RealizedPnl!.Value)],
            board.Entries.Select(e => (e.Rank, e.UserId, e.Score)));
        var me = await Api.ReadAsync<LeaderboardAroundResponse>(await loser.Http.GetAsync("/api/v1/leaderboards/pnl-weekly/me?around=1"));
        Assert.Equal(2, me.Me?.Rank);
        Assert.Equal([winner.Id, loser.Id], me.Entries.Select(e => e.UserId));

        // A new ISO week starts with an empty board.
        Clock.SetUtcNow(Monday.AddDays(7));
        await winner.SignInAgainAsync();
        var nextWeek = await Api.ReadAsync<LeaderboardResponse>(await winner.Http.GetAsync("/api/v1/leaderboards/pnl-weekly"));
        Assert.Equal(Monday.AddDays(7), nextWeek.PeriodStart);
        Assert.Equal(0, nextWeek.Total);
    }

    [Theory]
    [InlineData("/api/v1/leaderboards/xp-all-time?top=0", "top")]
    [InlineData("/api/v1/leaderboards/xp-all-time?top=101", "top")]
    [InlineData("/api/v1/leaderboards/xp-weekly?top=-1", "top")]
    [InlineData("/api/v1/leaderboards/xp-all-time/me?around=-1", "around")]
    [InlineData("/api/v1/leaderboards/xp-weekly/me?around=51", "around")]
    public async Task Top_outside_1_to_100_and_around_outside_0_to_50_are_400_validation_failed(string path, string field)
    {
        var user = await App.RegisterAsync("range");

        var problem = await Api.ProblemAsync(await user.Http.GetAsync(path), HttpStatusCode.BadRequest, "validation-failed");

        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("/api/v1/leaderboards/xp-all-time?top=100")]
    [InlineData("/api/v1/leaderboards/xp-all-time?top=1")]
    [InlineData("/api/v1/leaderboards/xp-all-time/me?around=50")]
    [InlineData("/api/v1/leaderboards/xp-all-time/me?around=0")]
    public async Task The_edges_of_top_and_around_are_accepted(string path)
    {
        var user = await App.RegisterAsync("edges");

        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/leaderboards/xp-all-time?top=ten")]
    [InlineData("/api/v1/leaderboards/xp-all-time/me?around=1.5")]
    public async Task Top_or_around_that_are_not_whole_numbers_are_400_malformed_request(string path)
    {
        var user = await App.RegisterAsync("nan");

        await Api.ProblemAsync(await user.Http.GetAsync(path), HttpStatusCode.BadRequest, "malformed-request");
    }

    private static async Task CheckInAsync(TestUser user) =>
        Assert.Equal(HttpStatusCode.OK, (await user.Http.PostAsync("/api/v1/check-in", null)).StatusCode);

    private static Task<LeaderboardResponse> BoardWhenAsync(TestUser reader, string path, Func<LeaderboardResponse, bool> done) =>
        Eventually.MatchAsync(async () => await Api.ReadAsync<LeaderboardResponse>(await reader.Http.GetAsync(path)), done, path);

    private static async Task AssertAroundAsync(TestUser user, int? around, int rank, IReadOnlyList<TestUser> expected)
    {
        var response = await Api.ReadAsync<LeaderboardAroundResponse>(
            await user.Http.GetAsync("/api/v1/leaderboards/xp-all-time/me" + (around is null ? "" : $"?around={around}")));

        Assert.Equal(5, response.Total);
        Assert.Equal((rank, user.Id, user.Username, 35L), (response.Me!.Rank, response.Me.UserId, response.Me.Username, response.Me.Score));
        Assert.Equal(expected.Select(u => u.Id), response.Entries.Select(e => e.UserId));
        Assert.Equal(Enumerable.Range(rank - expected.ToList().IndexOf(user), expected.Count), response.Entries.Select(e => e.Rank));
    }
}
