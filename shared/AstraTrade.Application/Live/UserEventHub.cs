using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
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
    public const int SubscriberCapacity = 256;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Subscription, byte>> _subscribers = new();

    /// <summary>A message for one user: the SSE event name, its id ("{stream}:{version}") and its JSON data.</summary>
    public sealed record UserMessage(string Event, string Id, string Data);

    public Subscription Subscribe(Guid userId, DateTimeOffset connectedAt)
    {
        var subscription = new Subscription(this, userId, connectedAt);
        _subscribers.GetOrAdd(userId, _ => new ConcurrentDictionary<Subscription, byte>()).TryAdd(subscription, 0);
        return subscription;
    }

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            var owner = StreamIds.TryParseProgression(recorded.StreamId, out var userId)
                || StreamIds.TryParseAccount(recorded.StreamId, out userId, out _);
            if (!owner || !_subscribers.TryGetValue(userId, out var subscriptions) || subscriptions.IsEmpty)
            {
                continue;
            }

            if (ToMessage(recorded) is not { } message)
            {
                continue;
            }

            foreach (var subscription in subscriptions.Keys)
            {
                if (recorded.RecordedAt >= subscription.ConnectedAt)
                {
                    subscription.Channel.Writer.TryWrite(message);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private static UserMessage? ToMessage(RecordedEvent recorded)
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
            PositionClosed e => Message("position", id, new PositionMessage(
                e.PositionId, e.Terms.Market, "closed", e.ExitPrice, e.RealizedPnl, e.Payout, e.Reason == CloseReason.User ? "user" : "reset", e.At)),
            PositionLiquidated e => Message("position", id, new PositionMessage(
                e.PositionId, e.Terms.Market, "liquidated", e.LiquidationPrice, e.PnlAtLiquidationPrice, 0m, "liquidation", e.At)),
            _ => null,
        };
    }

    private static UserMessage Message<T>(string name, string id, T data) => new(name, id, JsonSerializer.Serialize(data, Json));

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>One open stream. Dispose it when the client goes away.</summary>
    public sealed class Subscription(UserEventHub hub, Guid userId, DateTimeOffset connectedAt) : IDisposable
    {
        public DateTimeOffset ConnectedAt { get; } = connectedAt;

        internal Channel<UserMessage> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<UserMessage>(
            new BoundedChannelOptions(SubscriberCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<UserMessage> Messages => Channel.Reader;

        public void Dispose()
        {
            if (hub._subscribers.TryGetValue(userId, out var subscriptions))
            {
                subscriptions.TryRemove(this, out _);
            }

            Channel.Writer.TryComplete();
        }
    }
}
