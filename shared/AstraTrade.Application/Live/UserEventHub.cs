using System.Text.Json;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Live;

/// <summary>
/// Pushes each user's own events to their open live streams: XP, level-ups and achievements from their progression,
/// fills, closes and liquidations from their practice account. Fed by the event feed, so a message follows the commit
/// within milliseconds. Live only: a subscriber gets what is recorded after it connected (a client that reconnects
/// reads current state from the REST API); a slow subscriber loses its oldest messages rather than holding others back.
/// </summary>
public sealed class UserEventHub : IFeedHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly LiveChannels<Guid> _channels = new();

    public LiveSubscription Subscribe(Guid userId, DateTimeOffset connectedAt) => _channels.Subscribe(userId, connectedAt);

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            var owner = StreamIds.TryParseProgression(recorded.StreamId, out var userId)
                || StreamIds.TryParseAccount(recorded.StreamId, out userId, out _);
            if (owner && _channels.HasSubscribers(userId) && ToMessage(recorded) is { } message)
            {
                _channels.Publish(userId, message, recorded.RecordedAt);
            }
        }

        return ValueTask.CompletedTask;
    }

    private static LiveMessage? ToMessage(RecordedEvent recorded)
    {
        var id = $"{recorded.StreamId}:{recorded.Version}";
        return EventTypes.Deserialize(recorded) switch
        {
            XpAwarded e => Message("xp", id, new XpMessage(e.Amount, e.CutByCap, Kebab(e.Reason.ToString()), e.Reference, e.At)),
            LevelReached e => Message("level-up", id, new LevelUpMessage(e.Level, e.At)),
            AchievementUnlocked e => Message("achievement", id, new AchievementMessage(e.AchievementId, e.BonusXp, e.Shards, e.At)),
            PositionOpened e => Message("order", id, new OrderMessage(
                e.OrderId, e.PositionId, e.Terms.Market, TradingViews.Side(e.Terms.Side), e.Terms.Leverage, e.Terms.InitialCollateral, "filled",
                e.Terms.EntryPrice, e.At)),
            OrderPlaced { Type: Domain.Trading.OrderType.Limit } e => Message("order-status", id, new OrderStatusMessage(
                e.OrderId, "working", null, e.LimitPrice, 0m, e.At)),
            OrderReleased e => Message("order-status", id, new OrderStatusMessage(
                e.OrderId, e.Reason switch { ReleaseReason.Expired => "expired", ReleaseReason.Rejected => "rejected", _ => "cancelled" },
                TradingViews.Name(e.Reason), null, e.Amount, e.At)),
            PositionClosed e => Message("position", id, new PositionMessage(
                e.PositionId, e.Terms.Market, "closed", e.ExitPrice, e.RealizedPnl, e.Payout, Kebab(e.Reason.ToString()), e.At)),
            PositionLiquidated e => Message("position", id, new PositionMessage(
                e.PositionId, e.Terms.Market, "liquidated", e.LiquidationPrice, e.PnlAtLiquidationPrice, 0m, "liquidation", e.At)),
            _ => null,
        };
    }

    internal static LiveMessage Message<T>(string name, string id, T data) => new(name, id, JsonSerializer.Serialize(data, Json));

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
