using AstraTrade.Application.Eventing;
using AstraTrade.Application.Trading;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;

namespace AstraTrade.Application.UnitTests.Eventing;

/// <summary>A repository whose cache is cold (a restarted process) or behind (another writer) decides on the stream as
/// it is: a refusal is never based on a state it has not read.</summary>
public sealed class EventSourcedRepositoryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "astratrade-repository-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_cold_or_stale_cache_reads_the_stream_before_refusing()
    {
        var time = new ManualTimeProvider();
        var now = time.GetUtcNow();
        var market = new MarketSpec("BTC-USD", 100, 0.005m, 0.0005m, 10m);
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory }, time);
        var writer = new Accounts(store.Events, TradingRules.Default);
        var restarted = new Accounts(store.Events, TradingRules.Default); // another process, or this one after a restart
        const string stream = "account-practice-0b9d4c1e2f3a4b5c6d7e8f9012345678";
        var mark = new MarkPrice(95_000m, now);

        await restarted.Repository.LoadAsync(stream); // cached while the stream is empty: behind from now on
        var order = new PlaceOrder(Guid.NewGuid(), "k", new Trader("u", 100, false), market, PositionSide.Long, 10, 100m, OrderType.Limit, 90_000m, Protection.None, mark, now);
        Assert.True((await writer.Repository.ExecuteAsync(stream, s => Account.Decide(s, order, writer.Rules))).IsSuccess);

        // On its stale state the order does not exist ("order-not-found"); on the stream it does, and it is released.
        var released = await restarted.Repository.ExecuteAsync(
            stream, s => Account.Decide(s, new ReleaseOrder(order.OrderId, ReleaseReason.Cancelled, now), restarted.Rules));

        Assert.True(released.IsSuccess, released.Error?.ToString());
        Assert.IsType<OrderReleased>(Assert.Single(released.Value.Events));
    }
}
