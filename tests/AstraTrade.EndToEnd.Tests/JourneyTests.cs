using System.Net;
using System.Text.Json;
using AstraTrade.Contracts.Http;

namespace AstraTrade.EndToEnd.Tests;

/// <summary>
/// The first user journey against the real app process: sign up → markets → leveraged practice order → PnL → close →
/// XP, level-up and achievement → higher leverage → leaderboard, with the process SIGKILLed and restarted in the
/// middle. Production settings except a 2 s minimum hold for a qualifying close (60 s by default) so the test is quick.
/// </summary>
public sealed class JourneyTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "astratrade-e2e-" + Guid.NewGuid().ToString("N"));
    private AppProcess _app = null!;

    public async Task InitializeAsync()
    {
        _app = new AppProcess(_data, new Dictionary<string, string> { ["Gamification__Rules__MinimumHold"] = "00:00:02" });
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_new_trader_levels_up_through_practice_trading_and_a_crash_loses_nothing()
    {
        using var api = new ApiClient(_app.BaseAddress);

        // Sign up (production password hashing) and look at the markets.
        var tokens = await api.PostAsync<TokenResponse>("auth/register", new RegisterRequest("Vega_01", "a long enough password"), expected: HttpStatusCode.Created);
        api.AccessToken = tokens.AccessToken;
        var markets = await api.GetAsync<List<MarketResponse>>("markets");
        Assert.Equal(["BTC-USD", "ETH-USD", "SOL-USD", "STRK-USD"], markets.Select(m => m.Symbol));
        Assert.All(markets, m => Assert.True(m.MarkPrice > 0));
        var candles = await api.GetAsync<CandlesResponse>("markets/ETH-USD/candles?interval=1m&limit=30");
        Assert.Equal(30, candles.Candles.Count);

        // Level 1 unlocks 10× leverage: 11× is refused, 10× opens an isolated position.
        var (refused, _, problem) = await api.SendAsync<PlaceOrderResponse>(
            HttpMethod.Post, "orders", new PlaceOrderRequest("BTC-USD", OrderSide.Long, 11, 100m), idempotencyKey: Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused);
        Assert.Contains("leverage-out-of-range", problem, StringComparison.Ordinal);

        var order = await api.PostAsync<PlaceOrderResponse>(
            "orders", new PlaceOrderRequest("BTC-USD", OrderSide.Long, 10, 100m), Guid.NewGuid().ToString(), HttpStatusCode.Created);
        Assert.Equal("filled", order.Order.Status);
        Assert.Equal(1_000m, order.Position!.Notional);
        Assert.Equal(0.5m, order.Order.Fee);
        var account = await api.GetAsync<PracticeAccountResponse>("accounts/practice");
        Assert.Equal(10_000m - 100m - 0.5m, account.Balance);

        // Crash: SIGKILL, then start again on the same data directory. The token still works (same signing key),
        // and the position and balance are exactly as acknowledged.
        await _app.KillAsync();
        await _app.StartAsync();
        var afterCrash = await api.GetAsync<PositionsPage>("positions?status=open");
        var position = Assert.Single(afterCrash.Items);
        Assert.Equal(order.Position.Id, position.Id);
        Assert.NotNull(position.UnrealizedPnl);
        Assert.Equal(account.Balance, (await api.GetAsync<PracticeAccountResponse>("accounts/practice")).Balance);

        // Hold past the minimum, close: payout back to the balance, XP from the feed: 50 + FIRST_TRADE 100 + streak 10,
        // and 25 more if the simulated market happened to move far enough for a profit (it is a random walk).
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        var closed = await api.PostAsync<PositionResponse>($"positions/{position.Id}/close");
        Assert.Equal("closed", closed.Status);
        Assert.Equal(closed.Collateral + closed.RealizedPnl - closed.CloseFee, closed.Payout);
        var expectedXp = 160 + (closed.RealizedPnl > 0 ? 25 : 0);
        var progression = await EventuallyAsync(() => api.GetAsync<ProgressionResponse>("progression"), p => p.Xp >= expectedXp);
        Assert.Equal(expectedXp, progression.Xp);
        Assert.Equal(2, progression.Level);
        Assert.Equal(15, progression.MaxLeverage);
        Assert.Contains(progression.Achievements, a => a.Id == "FIRST_TRADE");

        // The order's trade lifecycle, which was waiting for its position when the process was killed, resumed after
        // the restart and completed with the close it was told about.
        var lifecycle = await EventuallyAsync(() => api.GetAsync<OrderResponse>($"orders/{order.Order.Id}"), o => o.Lifecycle == "closed");
        Assert.Equal(("filled", "user"), (lifecycle.Status, lifecycle.Reason?.Code));

        // The level-up raised the limit: 15× is accepted now.
        await api.PostAsync<PlaceOrderResponse>(
            "orders", new PlaceOrderRequest("ETH-USD", OrderSide.Short, 15, 50m), Guid.NewGuid().ToString(), HttpStatusCode.Created);

        // The leaderboards show the trader.
        var top = await api.GetAsync<LeaderboardResponse>("leaderboards/xp-all-time?top=10");
        Assert.Contains(top.Entries, e => e.Username == "Vega_01" && e.Score == expectedXp);
        var me = await api.GetAsync<LeaderboardAroundResponse>("leaderboards/xp-weekly/me?around=3");
        Assert.Equal(expectedXp, me.Me?.Score);

        // A graceful restart rebuilds the in-memory projections from the feed and keeps everything.
        await _app.KillAsync();
        await _app.StartAsync();
        var login = await api.PostAsync<TokenResponse>("auth/login", new LoginRequest("vega_01", "a long enough password"));
        api.AccessToken = login.AccessToken;
        Assert.Equal(expectedXp, (await api.GetAsync<ProgressionResponse>("progression")).Xp);
        var board = await EventuallyAsync(() => api.GetAsync<LeaderboardResponse>("leaderboards/xp-all-time?top=10"), b => b.Entries.Count > 0);
        Assert.Equal(expectedXp, board.Entries.Single(e => e.Username == "Vega_01").Score);
        var trades = await api.GetAsync<TradesPage>("trades?limit=10");
        Assert.Equal(["open", "close", "open"], trades.Items.Select(t => t.Kind).Reverse());
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30); // generous: CI runs test assemblies in parallel on 2 cores
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(50);
        }
    }
}
