using System.Collections.Concurrent;
using AstraTrade.Application.Common;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Common;

namespace AstraTrade.Application.Eventing;

/// <summary>
/// Loads an aggregate by folding its stream and runs commands against it with optimistic concurrency: decide on the
/// state at version v, append with expected version v, and on a conflict catch up and decide again.
/// Folded states are cached per stream, so a command usually costs one append and no reads. The cache may be behind
/// another instance's writes; a command finds out through the conflict, a query by reading the stream's tail.
/// Within this process, commands on one stream take turns (a double-tapped button queues instead of failing), so
/// conflicts only come from other instances.
/// </summary>
public sealed class EventSourcedRepository<TState, TEvent>(
    IEventStore store,
    Func<string, TState> initial,
    Func<TState, TEvent, TState> evolve,
    int cacheCapacity = 100_000)
    where TEvent : class
{
    private const int MaxAttempts = 5;
    private const int ReadBatch = 512;

    // Striped gates: a stream always maps to the same gate; unrelated streams rarely share one (1 in 1,024).
    private const int GateCount = 1_024;
    private readonly SemaphoreSlim[] _gates = [.. Enumerable.Range(0, GateCount).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly ConcurrentDictionary<string, Snapshot> _cache = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>The current state and version (0 for a stream that does not exist yet).</summary>
    public async ValueTask<(TState State, long Version)> LoadAsync(string streamId, CancellationToken cancellationToken = default)
    {
        var snapshot = await CatchUpAsync(streamId, Cached(streamId), cancellationToken);
        return (snapshot.State, snapshot.Version);
    }

    /// <summary>Decides against the latest state and appends the events; returns the new state and the events.</summary>
    public async ValueTask<Result<Executed<TState, TEvent>>> ExecuteAsync(
        string streamId, Func<TState, Decision<TEvent>> decide, CancellationToken cancellationToken = default)
    {
        var gate = _gates[(StringComparer.Ordinal.GetHashCode(streamId) & int.MaxValue) % GateCount];
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await ExecuteInTurnAsync(streamId, decide, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async ValueTask<Result<Executed<TState, TEvent>>> ExecuteInTurnAsync(
        string streamId, Func<TState, Decision<TEvent>> decide, CancellationToken cancellationToken)
    {
        var snapshot = Cached(streamId);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var decision = decide(snapshot.State);
            if (decision.IsRejected || decision.Events.Count == 0)
            {
                // A refusal or a no-op appends nothing, so no conflict would reveal a stale state: the cache may be
                // cold (after a restart) or behind (another process wrote). Decide again if the stream has moved.
                var latest = await CatchUpAsync(streamId, snapshot, cancellationToken);
                if (latest.Version != snapshot.Version)
                {
                    snapshot = latest;
                    continue;
                }

                return decision.IsRejected
                    ? decision.Error!
                    : new Executed<TState, TEvent>(snapshot.State, decision.Events, snapshot.Version);
            }

            try
            {
                var data = new EventData[decision.Events.Count];
                for (var i = 0; i < data.Length; i++)
                {
                    data[i] = EventTypes.Serialize(decision.Events[i]);
                }

                var appended = await store.AppendAsync(streamId, snapshot.Version, data, cancellationToken);
                var state = snapshot.State;
                foreach (var e in decision.Events)
                {
                    state = evolve(state, e);
                }

                Remember(streamId, new Snapshot(state, appended.Version));
                return new Executed<TState, TEvent>(state, decision.Events, appended.Version);
            }
            catch (WrongExpectedVersionException)
            {
                snapshot = await CatchUpAsync(streamId, snapshot, cancellationToken);
            }
        }

        return ApplicationErrors.Busy();
    }

    private Snapshot Cached(string streamId) =>
        _cache.TryGetValue(streamId, out var cached) ? cached : new Snapshot(initial(streamId), 0);

    private async ValueTask<Snapshot> CatchUpAsync(string streamId, Snapshot from, CancellationToken cancellationToken)
    {
        var snapshot = from;
        var read = false;
        while (true)
        {
            var events = await store.ReadStreamAsync(streamId, snapshot.Version + 1, ReadBatch, cancellationToken);
            if (events.Count == 0)
            {
                break;
            }

            var state = snapshot.State;
            foreach (var recorded in events)
            {
                if (EventTypes.Deserialize(recorded) is TEvent e)
                {
                    state = evolve(state, e);
                }
            }

            snapshot = new Snapshot(state, events[^1].Version);
            read = true;
        }

        // Nothing new: the cache already holds this snapshot, or the stream is empty and there is nothing to remember.
        if (read)
        {
            Remember(streamId, snapshot);
        }

        return snapshot;
    }

    private void Remember(string streamId, Snapshot snapshot)
    {
        while (true)
        {
            if (_cache.TryGetValue(streamId, out var existing))
            {
                // Never replace a newer snapshot (another command may have moved the stream on meanwhile).
                if (existing.Version >= snapshot.Version || _cache.TryUpdate(streamId, snapshot, existing))
                {
                    return;
                }
            }
            else
            {
                // A bounded cache, cheaply: past capacity, forget everything and refill from the streams on demand.
                // The count is kept here because ConcurrentDictionary.Count takes every lock of the table.
                if (Volatile.Read(ref _count) >= cacheCapacity)
                {
                    _cache.Clear();
                    Interlocked.Exchange(ref _count, 0);
                }

                if (_cache.TryAdd(streamId, snapshot))
                {
                    Interlocked.Increment(ref _count);
                    return;
                }
            }
        }
    }

    /// <summary>A class, not a record: the cache compares snapshots by reference.</summary>
    private sealed class Snapshot(TState state, long version)
    {
        public TState State { get; } = state;

        public long Version { get; } = version;
    }
}

/// <param name="Version">The stream's version after the command (unchanged when it produced no events).</param>
public sealed record Executed<TState, TEvent>(TState State, IReadOnlyList<TEvent> Events, long Version);
