using System.Collections.Concurrent;
using System.Globalization;
using AstraTrade.Application.Ports;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// Instances as event-sourced aggregates. Each generation of an instance is one stream, <c>wf-{instanceId}-{generation}</c>;
/// the latest generation is the instance. Every transition is decided on the latest state and stored with ONE append at
/// the expected version; a conflict (another process moved the stream on) reloads and decides again. Within this
/// process, transitions of one instance take turns (striped gates), and folded states are cached, so a transition
/// usually costs one append and no read. After a successful append the transition's work is handed to the queue.
/// </summary>
internal sealed class InstanceStore
{
    private const string StreamPrefix = "wf-";
    private const int MaxAttempts = 5;
    private const int ReadBatch = 512;
    private const int GateCount = 1_024;

    private readonly IEventStore _events;
    private readonly WorkflowRegistry _registry;
    private readonly InstanceIndex _index;
    private readonly WorkScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _cacheCapacity;
    private readonly SemaphoreSlim[] _gates = [.. Enumerable.Range(0, GateCount).Select(_ => new SemaphoreSlim(1, 1))];
    private readonly ConcurrentDictionary<string, InstanceState> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _changeWaiters = new(StringComparer.Ordinal);
    private int _cached;

    public InstanceStore(
        IEventStore events, WorkflowRegistry registry, InstanceIndex index, WorkScheduler scheduler, TimeProvider time, ILogger logger, int cacheCapacity)
    {
        _events = events;
        _registry = registry;
        _index = index;
        _scheduler = scheduler;
        _time = time;
        _logger = logger;
        _cacheCapacity = cacheCapacity;
    }

    public TimeProvider Time => _time;

    public static string StreamId(string instanceId, int generation) =>
        string.Create(CultureInfo.InvariantCulture, $"{StreamPrefix}{instanceId}-{generation}");

    /// <summary>Splits <c>wf-{instanceId}-{generation}</c>; false for any other stream.</summary>
    public static bool TryParseStreamId(string streamId, out string instanceId, out int generation)
    {
        instanceId = string.Empty;
        generation = 0;
        if (!streamId.StartsWith(StreamPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var dash = streamId.LastIndexOf('-');
        if (dash <= StreamPrefix.Length
            || !int.TryParse(streamId.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out generation)
            || generation < 1)
        {
            return false;
        }

        instanceId = streamId[StreamPrefix.Length..dash];
        return true;
    }

    /// <summary>The latest state of the instance (caught up with the store), or null when it never existed.</summary>
    public async ValueTask<InstanceState?> GetAsync(string instanceId, CancellationToken cancellationToken)
    {
        var state = _cache.TryGetValue(instanceId, out var cached)
            ? await CatchUpAsync(cached, cancellationToken).ConfigureAwait(false)
            : await LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>The cached state without a read, or the loaded one: for workers, whose messages follow this
    /// process's own writes (a stale view costs a no-op decision, never a wrong one: decisions catch up on conflict).</summary>
    public ValueTask<InstanceState?> GetCachedAsync(string instanceId, CancellationToken cancellationToken) =>
        _cache.TryGetValue(instanceId, out var cached)
            ? new ValueTask<InstanceState?>(cached)
            : LoadAsync(instanceId, cancellationToken);

    /// <summary>
    /// Runs <paramref name="decide"/> on the latest state (null: the instance never existed) in the instance's turn,
    /// stores the transition it builds (if any) with one append, and enqueues its work. Returns what
    /// <paramref name="decide"/> returned; on a conflict it is called again on the newer state.
    /// </summary>
    public async ValueTask<TResult> ExecuteAsync<TResult>(
        string instanceId, Func<Decision, TResult> decide, CancellationToken cancellationToken)
    {
        List<ScheduledWork>? work = null;
        TResult result;
        var gate = _gates[(StringComparer.Ordinal.GetHashCode(instanceId) & int.MaxValue) % GateCount];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = await GetCachedAsync(instanceId, cancellationToken).ConfigureAwait(false);
            current = await CompleteContinuationAsync(instanceId, current, w => (work ??= []).AddRange(w), cancellationToken).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                var decision = new Decision(current, _time.GetUtcNow(), _registry);
                result = decide(decision);
                if (decision.Transition is not { Events.Count: > 0 } transition)
                {
                    // Nothing to do, by a state that may be behind another process's writes: decide once more if so.
                    var fresh = current is null ? await LoadAsync(instanceId, cancellationToken).ConfigureAwait(false)
                        : await CatchUpAsync(current, cancellationToken).ConfigureAwait(false);
                    if (attempt < MaxAttempts && fresh is not null
                        && (current is null || fresh.Generation != current.Generation || fresh.Version != current.Version))
                    {
                        current = await CompleteContinuationAsync(instanceId, fresh, w => (work ??= []).AddRange(w), cancellationToken)
                            .ConfigureAwait(false);
                        continue;
                    }

                    break;
                }

                try
                {
                    var stored = await AppendAsync(transition, cancellationToken).ConfigureAwait(false);
                    (work ??= []).AddRange(transition.Work);
                    await CompleteContinuationAsync(instanceId, stored, w => work.AddRange(w), cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (WrongExpectedVersionException) when (attempt < MaxAttempts)
                {
                    Forget(instanceId);
                    current = current is null ? await LoadAsync(instanceId, cancellationToken).ConfigureAwait(false)
                        : await CatchUpAsync(current, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            gate.Release();
        }

        if (work is not null)
        {
            await _scheduler.ScheduleAsync(work, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Completes when the instance has finished (in this process's view), or at once if it has.</summary>
    public async Task WaitForFinishAsync(string instanceId, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Registered before the look, so an append between the two still wakes us.
            var changed = Changed(instanceId);
            if (IsOver(await GetAsync(instanceId, cancellationToken).ConfigureAwait(false)))
            {
                WakeUp(instanceId);
                return;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        static bool IsOver(InstanceState? state) => state is null || state.IsFinished || state.Purged;
    }

    /// <summary>Completes at the instance's next append in this process. Register before reading the state the wait
    /// depends on, so that no append can fall between the read and the wait.</summary>
    public Task Changed(string instanceId) =>
        _changeWaiters.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>Wakes whoever waits on the instance and forgets the signal: for a waiter that is done with an instance
    /// that may never change again (waking the others is harmless: they look again).</summary>
    public void WakeUp(string instanceId)
    {
        if (_changeWaiters.TryRemove(instanceId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Reads one generation's events (for histories).</summary>
    public async ValueTask<List<RecordedEvent>> ReadGenerationAsync(string instanceId, int generation, CancellationToken cancellationToken)
    {
        var events = new List<RecordedEvent>();
        var stream = StreamId(instanceId, generation);
        while (true)
        {
            var batch = await _events.ReadStreamAsync(stream, events.Count + 1, ReadBatch, cancellationToken).ConfigureAwait(false);
            events.AddRange(batch);
            if (batch.Count < ReadBatch)
            {
                return events;
            }
        }
    }

    private async ValueTask<InstanceState> AppendAsync(Transition transition, CancellationToken cancellationToken)
    {
        var working = transition.Working;
        var data = new EventData[transition.Events.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = RuntimeEvents.Serialize(transition.Events[i]);
        }

        AppendResult appended;
        try
        {
            appended = await _events.AppendAsync(StreamId(working.InstanceId, working.Generation), transition.ExpectedVersion, data, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            // Whatever the cause, the cached state (and the object state a workflow may have mutated) is suspect.
            Forget(working.InstanceId);
            throw;
        }

        working.Version = appended.Version;
        Remember(working);
        _index.ApplyLocal(working.InstanceId, working.Generation, appended.Version - data.Length + 1, transition.Events, transition.Now);
        WakeUp(working.InstanceId);

        return working;
    }

    /// <summary>A generation that ended with continue-as-new is followed by the next; a crash between the two appends
    /// leaves the next missing, and this creates it (from what the ended generation recorded). In the instance's turn.</summary>
    private async ValueTask<InstanceState?> CompleteContinuationAsync(
        string instanceId, InstanceState? state, Action<List<ScheduledWork>> addWork, CancellationToken cancellationToken)
    {
        while (state?.Continuation is { } continuation)
        {
            var next = Transition.NewGeneration(instanceId, state.Generation + 1, _time.GetUtcNow(), _registry);
            next.Create(state.Name, continuation.Input.Utf8, state.Owner, state.CreatedTime, continuation.Events);
            try
            {
                state = await AppendAsync(next, cancellationToken).ConfigureAwait(false);
                addWork(next.Work);
            }
            catch (WrongExpectedVersionException)
            {
                // Someone else created it.
                state = await LoadAsync(instanceId, cancellationToken).ConfigureAwait(false);
            }
        }

        return state;
    }

    private async ValueTask<InstanceState?> LoadAsync(string instanceId, CancellationToken cancellationToken)
    {
        var generation = await FindLatestGenerationAsync(instanceId, _index.GenerationHint(instanceId), cancellationToken).ConfigureAwait(false);
        if (generation == 0)
        {
            return null;
        }

        var state = await CatchUpAsync(new InstanceState(instanceId, generation), cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>Applies the events appended since <paramref name="from"/> (by anyone), following generations.</summary>
    private async ValueTask<InstanceState> CatchUpAsync(InstanceState from, CancellationToken cancellationToken)
    {
        var state = from;
        var changed = false;
        var stream = StreamId(state.InstanceId, state.Generation);
        while (true)
        {
            var batch = await _events.ReadStreamAsync(stream, state.Version + 1, ReadBatch, cancellationToken).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                break;
            }

            if (!changed)
            {
                state = state.Clone();
                changed = true;
            }

            foreach (var recorded in batch)
            {
                if (RuntimeEvents.Deserialize(recorded) is { } runtimeEvent)
                {
                    state.Apply(runtimeEvent);
                }
            }

            state.Version = batch[^1].Version;
        }

        if (state.Continuation is not null
            && (await _events.ReadStreamAsync(StreamId(state.InstanceId, state.Generation + 1), 1, 1, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return await CatchUpAsync(new InstanceState(state.InstanceId, state.Generation + 1), cancellationToken).ConfigureAwait(false);
        }

        if (changed && state.Version > 0)
        {
            Remember(state);
        }

        return state;
    }

    /// <summary>The highest generation with a stream (generations are dense from 1), or 0 when there is none.</summary>
    private async ValueTask<int> FindLatestGenerationAsync(string instanceId, int hint, CancellationToken cancellationToken)
    {
        if (hint > 0 && await ExistsAsync(hint).ConfigureAwait(false) && !await ExistsAsync(hint + 1).ConfigureAwait(false))
        {
            return hint;
        }

        if (!await ExistsAsync(1).ConfigureAwait(false))
        {
            return 0;
        }

        // Gallop up, then bisect: a long-lived instance with many generations costs O(log n) reads.
        var (low, step) = (1, 1);
        while (await ExistsAsync(low + step).ConfigureAwait(false))
        {
            low += step;
            step *= 2;
        }

        var high = low + step;
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            if (await ExistsAsync(middle).ConfigureAwait(false))
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return low;

        async ValueTask<bool> ExistsAsync(int generation) =>
            (await _events.ReadStreamAsync(StreamId(instanceId, generation), 1, 1, cancellationToken).ConfigureAwait(false)).Count > 0;
    }

    private void Remember(InstanceState state)
    {
        while (true)
        {
            if (_cache.TryGetValue(state.InstanceId, out var existing))
            {
                // Never replace a newer state.
                if (existing.Generation > state.Generation
                    || (existing.Generation == state.Generation && existing.Version >= state.Version)
                    || _cache.TryUpdate(state.InstanceId, state, existing))
                {
                    return;
                }
            }
            else
            {
                if (Volatile.Read(ref _cached) >= _cacheCapacity)
                {
                    _logger.LogDebug("Instance cache full ({Capacity}); clearing it", _cacheCapacity);
                    _cache.Clear();
                    Interlocked.Exchange(ref _cached, 0);
                }

                if (_cache.TryAdd(state.InstanceId, state))
                {
                    Interlocked.Increment(ref _cached);
                    return;
                }
            }
        }
    }

    private void Forget(string instanceId)
    {
        if (_cache.TryRemove(instanceId, out _))
        {
            Interlocked.Decrement(ref _cached);
        }
    }
}

/// <summary>What a transition's decision sees (the latest state, the time) and how it builds the transition.</summary>
internal sealed class Decision(InstanceState? current, DateTimeOffset now, WorkflowRegistry registry)
{
    /// <summary>The instance's latest generation; null when the instance never existed.</summary>
    public InstanceState? Current { get; } = current;

    public DateTimeOffset Now { get; } = now;

    public WorkflowRegistry Registry { get; } = registry;

    public Transition? Transition { get; private set; }

    /// <summary>Changes the current generation.</summary>
    public Transition Change() => Transition ??= Transition.Of(Current!, Now, Registry);

    /// <summary>Starts a new generation (the first, or the one after a purge).</summary>
    public Transition CreateGeneration(string instanceId, int generation) =>
        Transition = Transition.NewGeneration(instanceId, generation, Now, Registry);
}
