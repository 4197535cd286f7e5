using System.Collections.Concurrent;
using System.Globalization;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Integration;
using AstraTrade.Application.Ports;

namespace AstraTrade.Application.UnitTests.Integration;

/// <summary>Stored events as the feed delivers them.</summary>
internal static class Stored
{
    public static readonly DateTimeOffset At = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    public static RecordedEvent Event(string streamId, long version, object domainEvent, DateTimeOffset? recordedAt = null, Guid? eventId = null)
    {
        var data = EventTypes.Serialize(domainEvent);
        return new RecordedEvent(streamId, version, eventId ?? data.EventId, data.Type, data.Data, recordedAt ?? At);
    }
}

/// <summary>Documents in memory with the store port's preconditions, and an optional fault before each call.</summary>
internal sealed class InMemoryDocuments : IDocumentStore
{
    private readonly ConcurrentDictionary<(string, string), StoredDocument> _documents = new();
    private long _etag;

    /// <summary>Called before every call with its kind ("get", "put", "delete") and collection; throw to fail it.</summary>
    public Action<string, string>? Fault { get; set; }

    public int Count(string collection) => _documents.Keys.Count(k => k.Item1 == collection);

    public ValueTask<StoredDocument?> GetAsync(string collection, string id, CancellationToken cancellationToken = default)
    {
        Fault?.Invoke("get", collection);
        return ValueTask.FromResult(_documents.GetValueOrDefault((collection, id)));
    }

    public ValueTask<string> PutAsync(
        string collection, string id, ReadOnlyMemory<byte> body, Precondition precondition, CancellationToken cancellationToken = default)
    {
        Fault?.Invoke("put", collection);
        lock (_documents)
        {
            var existing = _documents.GetValueOrDefault((collection, id));
            if ((precondition.Kind == PreconditionKind.IfAbsent && existing is not null)
                || (precondition.Kind == PreconditionKind.IfMatch && existing?.ETag != precondition.ETag))
            {
                throw new PreconditionFailedException(collection, id);
            }

            var etag = Interlocked.Increment(ref _etag).ToString(CultureInfo.InvariantCulture);
            _documents[(collection, id)] = new StoredDocument(collection, id, body.ToArray(), etag);
            return ValueTask.FromResult(etag);
        }
    }

    public ValueTask<bool> DeleteAsync(string collection, string id, Precondition precondition, CancellationToken cancellationToken = default)
    {
        Fault?.Invoke("delete", collection);
        return ValueTask.FromResult(_documents.TryRemove((collection, id), out _));
    }
}

/// <summary>A fixed feed; the checkpoint is the number of events read. <see cref="Drained"/> completes once a reader
/// waits for more after the last event (it has handled everything, checkpoint saved).</summary>
internal sealed class InMemoryFeed(IReadOnlyList<RecordedEvent> events) : IEventFeed
{
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Drained => _drained.Task;

    public ValueTask<FeedPage> ReadFeedAsync(FeedCheckpoint after, int maxCount, CancellationToken cancellationToken = default)
    {
        var from = after.IsStart ? 0 : int.Parse(after.Value, CultureInfo.InvariantCulture);
        var page = events.Skip(from).Take(maxCount).ToList();
        return ValueTask.FromResult(new FeedPage(page, new FeedCheckpoint((from + page.Count).ToString(CultureInfo.InvariantCulture))));
    }

    public async ValueTask WaitForEventsAsync(FeedCheckpoint after, CancellationToken cancellationToken = default)
    {
        if (!after.IsStart && int.Parse(after.Value, CultureInfo.InvariantCulture) >= events.Count)
        {
            _drained.TrySetResult();
        }

        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

/// <summary>A clock whose timers fire at once: a subscription's retry backoff costs nothing in a property test.</summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer();
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (!timer.Disposed)
                {
                    callback(state);
                }
            });
        }

        return timer;
    }

    private sealed class Timer : ITimer
    {
        public bool Disposed { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>A handler whose effect is a list of the events it handled; <see cref="Fault"/> may throw before the effect.</summary>
internal class RecordingHandler(params string[] types) : IIntegrationEventHandler
{
    private readonly List<IntegrationEvent> _handled = [];

    public IReadOnlyCollection<string> EventTypes { get; } = types;

    public Func<IntegrationEvent, bool>? Fault { get; set; }

    public IReadOnlyList<IntegrationEvent> Handled
    {
        get
        {
            lock (_handled)
            {
                return [.. _handled];
            }
        }
    }

    public ValueTask HandleAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
    {
        if (Fault?.Invoke(integrationEvent) == true)
        {
            throw new InvalidOperationException($"{GetType().Name} refused {integrationEvent.Id} this time");
        }

        lock (_handled)
        {
            _handled.Add(integrationEvent);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Two handler types (the consumer tells handlers apart by type).</summary>
internal sealed class AchievementsHandler() : RecordingHandler(Contracts.Events.IntegrationEventTypes.AchievementUnlocked);

internal sealed class ProgressHandler() : RecordingHandler(Contracts.Events.IntegrationEventTypes.AchievementUnlocked, Contracts.Events.IntegrationEventTypes.LevelReached);

/// <summary>A publisher that keeps every request it was given (and may fail some).</summary>
internal sealed class RecordingPublisher : IIntegrationEventPublisher
{
    private readonly List<IReadOnlyList<IntegrationEvent>> _requests = [];

    public Func<int, bool>? FailRequest { get; set; }

    public IReadOnlyList<IReadOnlyList<IntegrationEvent>> Requests => _requests;

    public int Attempts { get; private set; }

    public ValueTask PublishAsync(IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken)
    {
        var attempt = Attempts++;
        if (FailRequest?.Invoke(attempt) == true)
        {
            throw new HttpRequestException($"topic unavailable (attempt {attempt})");
        }

        _requests.Add([.. events]);
        return ValueTask.CompletedTask;
    }
}
