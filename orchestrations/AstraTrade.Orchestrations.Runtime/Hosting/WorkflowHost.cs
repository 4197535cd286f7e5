using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// Runs workflows: the instance index, recovery, and the workers that take work from the queue.
/// <code>
/// await using var host = new WorkflowHost(registry, store.Events, store.Events, store.Documents, new InProcessWorkQueue());
/// await host.StartAsync(cancellationToken);
/// var started = await host.Client.StartNewAsync("trade-lifecycle", request);
/// </code>
/// <see cref="StartAsync"/> first rebuilds the instance index from the event feed, then recovers: every unfinished
/// instance's outstanding work (its first step, activity attempts, timers with their due times, held and buffered
/// messages) is enqueued again from the store, because the queue may have lost it (the in-process queue is not durable,
/// and a crash can fall between an append and its enqueue). Deliveries are therefore at least once, and instances
/// deduplicate them. In the function app it runs as a BackgroundService in standalone mode.
/// </summary>
public sealed class WorkflowHost : IAsyncDisposable
{
    private readonly WorkflowHostOptions _options;
    private readonly IEventFeed _feed;
    private readonly IWorkQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly InstanceIndex _index = new();
    private readonly InstanceStore _store;
    private readonly WorkScheduler _scheduler;
    private readonly WorkflowWorker _worker;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stopping;
    private Task? _feedTask;
    private Task? _workerTask;
    private readonly Lock _stopGate = new();
    private Task? _stopped;

    public WorkflowHost(
        WorkflowRegistry registry,
        IEventStore events,
        IEventFeed feed,
        IDocumentStore documents,
        IWorkQueue queue,
        WorkflowHostOptions? options = null,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(queue);
        _options = options ?? new WorkflowHostOptions();
        _options.Validate();
        _feed = feed;
        _queue = queue;
        _time = time ?? TimeProvider.System;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<WorkflowHost>();
        _scheduler = new WorkScheduler(queue, _time, _logger);
        _store = new InstanceStore(events, registry, _index, _scheduler, _time, _logger, _options.CacheCapacity);
        Client = new WorkflowClient(_store, _index, registry);
        _worker = new WorkflowWorker(_store, registry, queue, documents, _scheduler, _options, _time, loggerFactory.CreateLogger<WorkflowWorker>());
    }

    public WorkflowClient Client { get; }

    /// <summary>Messages moved aside as poison since the host started (they are also stored as documents).</summary>
    public IReadOnlyList<PoisonMessage> PoisonMessages => _worker.PoisonMessages;

    /// <summary>How many instances recovery looked at when the host started.</summary>
    public int RecoveredInstances { get; private set; }

    /// <summary>Rebuilds the index, recovers unfinished instances, and starts the workers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_stopping is not null)
        {
            throw new InvalidOperationException("The host has already been started.");
        }

        _stopping = new CancellationTokenSource();
        var indexing = new FeedSubscription("workflow-index", _feed, _index, checkpoints: null, _time, _logger);
        var feedStop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _feedTask = Task.Run(() => indexing.RunAsync(feedStop.Token), CancellationToken.None);
        await indexing.CaughtUp.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!_options.FollowFeed)
        {
            await feedStop.CancelAsync().ConfigureAwait(false);
        }

        RecoveredInstances = await RecoverAsync(cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Workflow host started: {Instances} instances indexed, {Recovered} unfinished recovered",
            _index.Count, RecoveredInstances);
        if (_options.ReceiveFromQueue)
        {
            _workerTask = _worker.RunAsync(_stopping.Token);
        }

        _started.TrySetResult();
    }

    /// <summary>
    /// Processes one message of the work queue that something else received (<see cref="WorkflowHostOptions.ReceiveFromQueue"/>
    /// false): completes when what it caused is stored and its follow-up work enqueued, so the caller may delete it;
    /// throws when it must be delivered again. A message delivered more than <see cref="WorkflowHostOptions.MaxDequeueCount"/>
    /// times is moved aside as poison, as the host's own worker does, and completes. Waits for <see cref="StartAsync"/>.
    /// </summary>
    public async Task ProcessDeliveredAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _started.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _worker.ProcessDeliveredAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops taking work and waits for the messages in progress (activities see their token cancelled; an
    /// interrupted attempt is given back to the queue and runs again later). Stopping happens once: every call, before
    /// or after <see cref="DisposeAsync"/> and in whatever order a container and a host make them, waits for that one.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return Task.CompletedTask;
        }

        Task stopped;
        lock (_stopGate)
        {
            stopped = _stopped ??= StopOnceAsync(_stopping);
        }

        return stopped.WaitAsync(cancellationToken);
    }

    private async Task StopOnceAsync(CancellationTokenSource stopping)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_workerTask ?? Task.CompletedTask, _feedTask ?? Task.CompletedTask).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loops ended by the cancellation this stop asked for. Letting that escape would fail the caller's
            // shutdown, and a container disposing the host would skip what it disposes next (the store, its lock).
        }
    }

    /// <summary>Starts, runs until <paramref name="cancellationToken"/> is cancelled, then stops.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping?.Dispose();
    }

    /// <summary>Enqueues, from the store, the outstanding work of every unfinished instance.</summary>
    private async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var instances = _index.Unfinished();
        var work = new List<ScheduledWork>();
        foreach (var instanceId in instances)
        {
            await _store.ExecuteAsync(instanceId, decision =>
            {
                work.Clear();
                if (decision.Current is { } state)
                {
                    work.AddRange(OutstandingWork(state));
                }

                return 0;
            }, cancellationToken).ConfigureAwait(false);
            await _scheduler.ScheduleAsync(work, cancellationToken).ConfigureAwait(false);
        }

        return instances.Count;
    }

    private static IEnumerable<ScheduledWork> OutstandingWork(InstanceState state)
    {
        if (state.IsFinished || state.Purged || state.Continuation is not null)
        {
            yield break;
        }

        // A run item is cheap when there is nothing to run; always send one.
        yield return new ScheduledWork(WorkItem.Run(state.InstanceId, state.Generation), DateTimeOffset.MinValue);
        foreach (var call in state.Calls.Values)
        {
            yield return new ScheduledWork(WorkItem.ActivityAttempt(state.InstanceId, state.Generation, call.Id, call.Attempt), call.NextAttemptAt);
        }

        foreach (var (timerId, due) in state.Timers)
        {
            yield return new ScheduledWork(WorkItem.Timer(state.InstanceId, state.Generation, timerId, due), due);
        }
    }
}

/// <summary>A queue message moved aside: it could not be parsed, or was received too often without completing.</summary>
public sealed record PoisonMessage(string DocumentId, string MessageId, int DequeueCount, string Reason, string Body, DateTimeOffset At);
