using AstraTrade.Application.Feed;
using AstraTrade.Application.Integration;
using AstraTrade.Contracts.Events;
using AstraTrade.Testing;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests.Integration;

/// <summary>
/// Standalone mode delivers integration events in process (ARCHITECTURE.md §2, §4): a real first trade, over HTTP, unlocks
/// FIRST_TRADE; the relay publishes it from the feed to a handler registered in the app, once, and still once after a
/// restart in which the relay had lost its checkpoint and published everything again.
/// </summary>
public sealed class StandaloneDeliveryTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "astratrade-functional-integration-" + Guid.NewGuid().ToString("N"));
    private readonly ManualTimeProvider _clock = new();
    private readonly RecordingHandler _handler = new(IntegrationEventTypes.AchievementUnlocked, IntegrationEventTypes.LevelReached, IntegrationEventTypes.PositionClosed);

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
    public async Task A_first_trade_reaches_an_integration_handler_exactly_once_across_a_restart_that_republishes_everything()
    {
        Guid user;
        PositionResponse closed;
        var first = await StartAsync();
        await using (first)
        {
            var (id, http) = await first.RegisterAsync("integration");
            user = id;
            var placed = await Api.ReadAsync<PlaceOrderResponse>(await http.SendAsync(Api.Order(new { market = Btc, side = "long", leverage = 2, collateral = 10m }, "first")), HttpStatusCode.Created);
            _clock.Advance(AstraTradeApp.MinimumHold);
            first.App.Scripted.Refresh();
            closed = await Api.ReadAsync<PositionResponse>(await http.PostAsync($"/api/v1/positions/{placed.Position!.Id}/close", null));

            await Eventually.TrueAsync(() => _handler.For(IntegrationEventTypes.LevelReached, user).Count > 0, "level 2 to reach the handler");
            await first.FeedsCaughtUpAsync();

            var achievement = Assert.Single(_handler.For(IntegrationEventTypes.AchievementUnlocked, user));
            Assert.Equal(new AchievementUnlockedV1(user, "FIRST_TRADE", closed.ClosedAt!.Value), achievement.Data.Deserialize(IntegrationEventJson.Default.AchievementUnlockedV1));
            Assert.Equal((IntegrationEventSources.Gamification, "users/" + user.ToString("N")), (achievement.Source, achievement.Subject));
            Assert.Equal(2, Assert.Single(_handler.For(IntegrationEventTypes.LevelReached, user)).Data.Deserialize(IntegrationEventJson.Default.LevelReachedV1)!.Level);
            var position = Assert.Single(_handler.For(IntegrationEventTypes.PositionClosed, user)).Data.Deserialize(IntegrationEventJson.Default.PositionClosedV1)!;
            Assert.Equal((closed.Id, "practice", "user", closed.RealizedPnl!.Value), (position.PositionId, position.Account, position.CloseReason, position.RealizedPnl));

            var status = first.Relay.Status;
            Assert.Equal((0, (string?)null), (status.PendingEvents, status.LastError));
            Assert.True(status.Published >= 3);
        }

        first.App.AssertNoServerErrors();
        var handledBeforeRestart = _handler.Handled.Count;

        // As if the relay had died before it saved its checkpoint: the next life publishes the whole feed again.
        await IntegrationHost.WithStoreAsync(_dataDirectory, documents =>
            new CheckpointStore(documents).SaveAsync("integration-events", Application.Ports.FeedCheckpoint.Start, default).AsTask());

        var second = await StartAsync();
        await using (second)
        {
            await second.FeedsCaughtUpAsync();

            Assert.True(second.Relay.Status.Published >= handledBeforeRestart, "the relay published everything again");
            Assert.Equal(handledBeforeRestart, _handler.Handled.Count);
            Assert.Single(_handler.For(IntegrationEventTypes.AchievementUnlocked, user));

            // And new events still arrive.
            var (other, http) = await second.RegisterAsync("integration-2");
            await Api.ReadAsync<PlaceOrderResponse>(await http.SendAsync(Api.Order(new { market = Eth, side = "short", leverage = 3, collateral = 20m }, "second")), HttpStatusCode.Created);
            var open = (await Api.ReadAsync<PositionsPage>(await http.GetAsync("/api/v1/positions"))).Items.Single();
            await Api.ReadAsync<PositionResponse>(await http.PostAsync($"/api/v1/positions/{open.Id}/close", null));
            await Eventually.TrueAsync(() => _handler.For(IntegrationEventTypes.PositionClosed, other).Count == 1, "the second user's close to reach the handler");
        }

        second.App.AssertNoServerErrors();
    }

    private Task<IntegrationHost> StartAsync() => IntegrationHost.StartAsync(
        new AppOptions { ScriptedMarket = true, Clock = _clock, DataDirectory = _dataDirectory, KeepDataDirectory = true },
        services => services.AddSingleton<IIntegrationEventHandler>(_handler));
}
