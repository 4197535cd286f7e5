using AstraTrade.Application.Eventing;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Application.UnitTests.Gamification;

/// <summary>The account stream a close comes from decides its venue, and so its XP: 50 virtual, 100 live (DOMAIN.md §2).</summary>
public sealed class ProgressionReactorVenueTests : IAsyncLifetime
{
    private readonly TemporaryStore _temporary = new();

    private EmbeddedStore Store => _temporary.Store;

    private ManualTimeProvider Time => _temporary.Time;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _temporary.DisposeAsync();

    [Theory]
    [InlineData(AccountKind.Practice, false, TradingVenue.Practice, 50)]
    [InlineData(AccountKind.Tournament, false, TradingVenue.Tournament, 50)]
    [InlineData(AccountKind.Live, false, TradingVenue.Live, 100)]
    [InlineData(AccountKind.Live, true, TradingVenue.Live, 125)]
    public async Task A_qualifying_close_earns_the_xp_of_the_venue_its_account_stream_names(
        AccountKind kind, bool profitable, TradingVenue venue, long xp)
    {
        var userId = Guid.NewGuid();
        var stream = kind switch
        {
            AccountKind.Practice => StreamIds.PracticeAccount(userId),
            AccountKind.Tournament => StreamIds.TournamentAccount("daily-2026-11-02", userId),
            _ => StreamIds.LiveAccount(userId),
        };
        var progression = new ProgressionService(Store.Events, GamificationRules.Default, Time);
        var reactor = new ProgressionReactor(progression, NullLogger<ProgressionReactor>.Instance);

        await reactor.HandleAsync([Recorded(stream, Close(profitable ? 40m : -40m))], default);

        var events = (await Store.Events.ReadStreamAsync(StreamIds.Progression(userId), 1, 100)).Select(EventTypes.Deserialize).ToList();
        Assert.Equal(venue, Assert.Single(events.OfType<QualifyingCloseRecorded>()).Venue);
        Assert.Equal(xp, Assert.Single(events.OfType<XpAwarded>(), e => e.Reason == XpReason.QualifyingClose).Amount);
    }

    [Theory]
    [InlineData(CloseReason.Exchange, 100)]
    [InlineData(CloseReason.User, 100)]
    public async Task A_live_position_closed_on_the_exchange_is_a_qualifying_close(CloseReason reason, long xp)
    {
        var userId = Guid.NewGuid();
        var progression = new ProgressionService(Store.Events, GamificationRules.Default, Time);
        var reactor = new ProgressionReactor(progression, NullLogger<ProgressionReactor>.Instance);

        await reactor.HandleAsync([Recorded(StreamIds.LiveAccount(userId), Close(-40m) with { Reason = reason })], default);

        var events = (await Store.Events.ReadStreamAsync(StreamIds.Progression(userId), 1, 100)).Select(EventTypes.Deserialize).ToList();
        Assert.Equal(xp, Assert.Single(events.OfType<XpAwarded>(), e => e.Reason == XpReason.QualifyingClose).Amount);
    }

    private PositionClosed Close(decimal realizedPnl)
    {
        var closedAt = Time.GetUtcNow();
        var openedAt = closedAt - TimeSpan.FromMinutes(5); // held long enough to qualify
        var terms = new PositionTerms("BTC-USD", PositionSide.Long, 10, 100m, 1_000m, 0.02m, 50_000m, 0.5m, 0.005m, 0.0005m, openedAt);
        return new PositionClosed(Guid.NewGuid(), terms, 100m, 52_000m, 52_000m, realizedPnl, 0.52m, 100m + realizedPnl - 0.52m, CloseReason.User, closedAt);
    }

    private static RecordedEvent Recorded(string stream, PositionClosed closed)
    {
        var data = EventTypes.Serialize(closed);
        return new RecordedEvent(stream, 7, data.EventId, data.Type, data.Data, closed.At);
    }
}
