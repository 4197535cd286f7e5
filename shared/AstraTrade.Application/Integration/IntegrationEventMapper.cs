using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Events;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Integration;

/// <summary>
/// Stored domain events → integration events (the catalog in docs/integration-events.md). The mapping reads one stored
/// event and its stream id, nothing else, so it gives the same integration event every time the feed delivers that
/// stored event: same id (<see cref="IntegrationEventIds"/>), time (when it was recorded), subject and data.
/// </summary>
public static class IntegrationEventMapper
{
    private static readonly FrozenSet<string> Producing = new[]
    {
        EventTypes.NameOf<AchievementUnlocked>(),
        EventTypes.NameOf<LevelReached>(),
        EventTypes.NameOf<PositionClosed>(),
        EventTypes.NameOf<PositionLiquidated>(),
        EventTypes.NameOf<TournamentCompleted>(),
        EventTypes.NameOf<TournamentCancelled>(),
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The stored event types that produce an integration event.</summary>
    public static IReadOnlySet<string> StoredTypes => Producing;

    /// <summary>
    /// The integration event a stored event produces, or null: for the stored types outside the catalog (most of them),
    /// and for a catalog type in a stream it does not belong to (no such event is ever written).
    /// </summary>
    public static IntegrationEvent? Map(RecordedEvent recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (!Producing.Contains(recorded.Type))
        {
            return null;
        }

        return EventTypes.Deserialize(recorded) switch
        {
            AchievementUnlocked e when StreamIds.TryParseProgression(recorded.StreamId, out var user) => Create(
                recorded,
                IntegrationEventTypes.AchievementUnlocked,
                IntegrationEventSources.Gamification,
                IntegrationEventSubjects.User(user),
                new AchievementUnlockedV1(user, e.AchievementId, e.At),
                IntegrationEventJson.Default.AchievementUnlockedV1),
            LevelReached e when StreamIds.TryParseProgression(recorded.StreamId, out var user) => Create(
                recorded,
                IntegrationEventTypes.LevelReached,
                IntegrationEventSources.Gamification,
                IntegrationEventSubjects.User(user),
                new LevelReachedV1(user, e.Level, e.At),
                IntegrationEventJson.Default.LevelReachedV1),
            PositionClosed e when TryAccount(recorded.StreamId, out var user, out var account) => PositionEnded(
                recorded,
                new PositionClosedV1(
                    user, account, e.PositionId, e.Terms.Market, TradingViews.Side(e.Terms.Side), e.Terms.Leverage, e.Collateral,
                    e.Terms.Notional, e.Terms.EntryPrice, e.ExitPrice, e.RealizedPnl, e.CloseFee, e.Payout,
                    TradingViews.Reason(e.Reason), e.Terms.OpenedAt, e.At)),

            // A liquidation is how a position ends too; the HTTP API shows it the same way (reason "liquidation").
            PositionLiquidated e when TryAccount(recorded.StreamId, out var user, out var account) => PositionEnded(
                recorded,
                new PositionClosedV1(
                    user, account, e.PositionId, e.Terms.Market, TradingViews.Side(e.Terms.Side), e.Terms.Leverage, e.Collateral,
                    e.Terms.Notional, e.Terms.EntryPrice, e.LiquidationPrice, e.PnlAtLiquidationPrice, 0m, 0m,
                    "liquidation", e.Terms.OpenedAt, e.At)),
            TournamentCompleted e when StreamIds.TryParseTournament(recorded.StreamId, out var tournament) => Create(
                recorded,
                IntegrationEventTypes.TournamentCompleted,
                IntegrationEventSources.Tournaments,
                IntegrationEventSubjects.Tournament(tournament),
                new TournamentCompletedV1(tournament, e.Entries, e.Qualified, e.Pool, e.ShardsAwarded, e.ShardsReturned, e.At),
                IntegrationEventJson.Default.TournamentCompletedV1),
            TournamentCancelled e when StreamIds.TryParseTournament(recorded.StreamId, out var tournament) => Create(
                recorded,
                IntegrationEventTypes.TournamentCancelled,
                IntegrationEventSources.Tournaments,
                IntegrationEventSubjects.Tournament(tournament),
                new TournamentCancelledV1(tournament, Name(e.Reason), e.Entries, e.At),
                IntegrationEventJson.Default.TournamentCancelledV1),
            _ => null,
        };
    }

    private static IntegrationEvent PositionEnded(RecordedEvent recorded, PositionClosedV1 data) => Create(
        recorded,
        IntegrationEventTypes.PositionClosed,
        IntegrationEventSources.Trading,
        IntegrationEventSubjects.User(data.UserId),
        data,
        IntegrationEventJson.Default.PositionClosedV1);

    private static IntegrationEvent Create<T>(RecordedEvent recorded, string type, string source, string subject, T data, JsonTypeInfo<T> info) =>
        new(IntegrationEventIds.For(recorded.EventId, type), type, source, subject, recorded.RecordedAt, JsonSerializer.SerializeToElement(data, info),
            recorded.TraceParent);

    private static bool TryAccount(string streamId, out Guid user, out string account)
    {
        account = "";
        if (StreamIds.TryParseTournamentAccount(streamId, out var tournament, out user))
        {
            account = AccountSelector.TournamentPrefix + tournament;
            return true;
        }

        if (StreamIds.TryParseAccount(streamId, out user, out var kind))
        {
            account = kind == AccountKind.Live ? AccountSelector.LiveText : AccountSelector.PracticeText;
            return true;
        }

        return false;
    }

    private static string Name(CancellationReason reason) => reason switch
    {
        CancellationReason.NotEnoughPlayers => "not-enough-players",
        CancellationReason.ByAdmin => "by-admin",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "A cancellation reason the catalog does not name."),
    };
}
