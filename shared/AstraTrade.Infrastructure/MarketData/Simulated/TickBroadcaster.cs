using System.Threading.Channels;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.MarketData.Simulated;

/// <summary>
/// Hands every published tick to every subscriber without ever waiting on one: each has its own bounded queue that
/// drops its oldest tick when full, so a slow reader loses stale ticks and still gets the newest.
/// </summary>
internal sealed class TickBroadcaster
{
    // A minute of ticks for the default four markets: room for a reader's hiccup, small enough to bound memory.
    private const int QueueCapacity = 256;

    private readonly Lock _gate = new();
    private Channel<PriceTick>[] _subscribers = [];

    public Channel<PriceTick> Subscribe()
    {
        var channel = Channel.CreateBounded<PriceTick>(new BoundedChannelOptions(QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        lock (_gate)
        {
            _subscribers = [.. _subscribers, channel];
        }

        return channel;
    }

    public void Unsubscribe(Channel<PriceTick> channel)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(c => c != channel)];
        }
    }

    public void Publish(PriceTick tick)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber.Writer.TryWrite(tick);
        }
    }
}
