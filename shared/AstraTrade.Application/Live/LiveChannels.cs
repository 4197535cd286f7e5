using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AstraTrade.Application.Live;

/// <summary>A message for a live stream: the SSE event name, its id ("{stream}:{version}" of the cause) and its JSON data.</summary>
public sealed record LiveMessage(string Event, string Id, string Data);

/// <summary>
/// Subscribers by topic (a user, a tournament), each with a bounded mailbox. Live only: a subscriber gets what is
/// recorded after it connected (a client that reconnects reads current state from the REST API); a slow subscriber
/// loses its oldest messages rather than holding the feed or other subscribers back.
/// </summary>
public sealed class LiveChannels<TTopic>
    where TTopic : notnull
{
    private readonly ConcurrentDictionary<TTopic, ConcurrentDictionary<LiveSubscription, byte>> _subscribers = new();

    public LiveSubscription Subscribe(TTopic topic, DateTimeOffset connectedAt)
    {
        var subscriptions = _subscribers.GetOrAdd(topic, _ => new ConcurrentDictionary<LiveSubscription, byte>());
        LiveSubscription? subscription = null;
        subscription = new LiveSubscription(connectedAt, () => subscriptions.TryRemove(subscription!, out _));
        subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public bool HasSubscribers(TTopic topic) => _subscribers.TryGetValue(topic, out var subscriptions) && !subscriptions.IsEmpty;

    /// <summary>Delivers <paramref name="message"/> to the topic's subscribers that connected at or before <paramref name="recordedAt"/>.</summary>
    public void Publish(TTopic topic, LiveMessage message, DateTimeOffset recordedAt)
    {
        if (!_subscribers.TryGetValue(topic, out var subscriptions))
        {
            return;
        }

        foreach (var subscription in subscriptions.Keys)
        {
            if (recordedAt >= subscription.ConnectedAt)
            {
                subscription.Channel.Writer.TryWrite(message);
            }
        }
    }
}

/// <summary>One open stream. Dispose it when the client goes away.</summary>
public sealed class LiveSubscription(DateTimeOffset connectedAt, Action unsubscribe) : IDisposable
{
    public const int Capacity = 256;

    public DateTimeOffset ConnectedAt { get; } = connectedAt;

    internal Channel<LiveMessage> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<LiveMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<LiveMessage> Messages => Channel.Reader;

    public void Dispose()
    {
        unsubscribe();
        Channel.Writer.TryComplete();
    }
}
