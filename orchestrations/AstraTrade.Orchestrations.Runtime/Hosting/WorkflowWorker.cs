using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Diagnostics;
using AstraTrade.Application.Ports;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// Takes messages from the queue and processes them, up to <see cref="WorkflowHostOptions.Concurrency"/> at once:
/// one dispatcher receives (so waiting for messages wakes one task, not all), each message runs on the thread pool.
/// A message is deleted only after what it caused is stored (and its follow-up work enqueued); a failure gives it back
/// after a backoff, and one received too often is poison.
/// </summary>
internal sealed class WorkflowWorker(
    InstanceStore store,
    WorkflowRegistry registry,
    IWorkQueue queue,
    IDocumentStore documents,
    WorkScheduler scheduler,
    WorkflowHostOptions options,
    TimeProvider time,
    ILogger<WorkflowWorker> logger)
{
    public const string PoisonCollection = "workflow-poison";
    private const int MaxReceiveBatch = 32;

    private readonly SemaphoreSlim _slots = new(options.Concurrency, options.Concurrency);
    private readonly ConcurrentQueue<PoisonMessage> _poison = new();
    private int _inFlight;
    private TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<PoisonMessage> PoisonMessages => [.. _poison];

    public async Task RunAsync(CancellationToken stopping)
    {
        await Task.Yield();
        var receiveFailures = 0;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await _slots.WaitAsync(stopping).ConfigureAwait(false);
                var free = 1;
                while (free < MaxReceiveBatch && _slots.Wait(0))
                {
                    free++;
                }

                IReadOnlyList<QueueMessage> messages;
                try
                {
                    messages = await queue.ReceiveAsync(free, options.Lease, stopping).ConfigureAwait(false);
                    receiveFailures = 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // A queue that refuses for a while (a role still propagating, a rotated key, an outage beyond the
                    // adapter's retries) must not stop the worker for good: back off and try again.
                    _slots.Release(free);
                    receiveFailures++;
                    var delay = RetryDelay(receiveFailures);
                    logger.LogError(ex, "Receiving from the work queue failed ({Failures} in a row); trying again in {Delay}", receiveFailures, delay);
                    await Task.Delay(delay, time, stopping).ConfigureAwait(false);
                    continue;
                }
                catch
                {
                    _slots.Release(free);
                    throw;
                }

                if (messages.Count < free)
                {
                    _slots.Release(free - messages.Count);
                }

                if (messages.Count == 0)
                {
                    await queue.WaitForMessagesAsync(stopping).ConfigureAwait(false);
                    continue;
                }

                foreach (var message in messages)
                {
                    Interlocked.Increment(ref _inFlight);
                    _ = Task.Run(() => ProcessAndReleaseAsync(message, stopping), CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The dispatcher must not die silently: log, and let StopAsync find it ended.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogCritical(ex, "The workflow worker's dispatcher stopped");
        }

        // Wait for the messages in progress.
        while (Volatile.Read(ref _inFlight) > 0)
        {
            var drained = Volatile.Read(ref _drained).Task;
            if (Volatile.Read(ref _inFlight) == 0)
            {
                break;
            }

            await drained.ConfigureAwait(false);
        }
    }

    private async Task ProcessAndReleaseAsync(QueueMessage message, CancellationToken stopping)
    {
        try
        {
            await ProcessAsync(message, stopping).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                Interlocked.Exchange(ref _drained, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
    }

    /// <summary>Processes a message that something else received and will delete or retry by the outcome (the Functions
    /// host's queueTrigger): returns when the work is stored, throws when it must be delivered again. The deliverer
    /// keeps the lease alive while this runs, so nothing here renews it.</summary>
    public Task ProcessDeliveredAsync(QueueMessage message, CancellationToken cancellationToken) =>
        HandleAsync(message, lease: null, cancellationToken);

    private async Task ProcessAsync(QueueMessage message, CancellationToken stopping)
    {
        var lease = new Lease(message.MessageId, message.PopReceipt);
        try
        {
            await HandleAsync(message, lease, stopping).ConfigureAwait(false);
            await queue.DeleteAsync(lease.MessageId, lease.PopReceipt, CancellationToken.None).ConfigureAwait(false);
        }
        catch (QueueMessageNotFoundException)
        {
            // The lease ran out and someone else has the message: its work may be done twice, which instances tolerate.
            logger.LogWarning("Lost the lease of message {MessageId} before completing it", message.MessageId);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await GiveBackAsync(lease, TimeSpan.Zero).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure gives the message back for a later retry (and, repeated, makes it poison).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var delay = RetryDelay(message.DequeueCount);
            logger.LogError(ex, "Processing message {MessageId} failed (received {DequeueCount} times); retrying in {Delay}",
                message.MessageId, message.DequeueCount, delay);
            await GiveBackAsync(lease, delay).ConfigureAwait(false);
        }
    }

    /// <summary>Does what the message asks; a poison or unreadable message is moved aside (and so completes).</summary>
    private async Task HandleAsync(QueueMessage message, Lease? lease, CancellationToken stopping)
    {
        var item = WorkItem.TryParse(message.Body.Span);
        if (item is null)
        {
            await MoveAsideAsync(message, null, "the message is not a work item", stopping).ConfigureAwait(false);
        }
        else if (message.DequeueCount > options.MaxDequeueCount)
        {
            await MoveAsideAsync(message, item, $"the message was received {message.DequeueCount} times without completing", stopping)
                .ConfigureAwait(false);
        }
        else
        {
            using var activity = AstraTradeDiagnostics.Source.StartActivity(
                "workflow " + item.Kind, ActivityKind.Consumer, TraceContext.Parse(item.TraceParent));
            activity?.SetTag("astratrade.workflow.instance_id", item.InstanceId);
            switch (item.Kind)
            {
                case WorkItem.RunKind:
                    await RunAsync(item, stopping).ConfigureAwait(false);
                    break;
                case WorkItem.TimerKind:
                    await TimerDueAsync(item, stopping).ConfigureAwait(false);
                    break;
                default:
                    await RunActivityAsync(item, lease, stopping).ConfigureAwait(false);
                    break;
            }
        }
    }

    private TimeSpan RetryDelay(int dequeueCount)
    {
        var ticks = options.ProcessingRetryDelay.Ticks * Math.Pow(2, Math.Min(dequeueCount - 1, 30));
        return ticks >= options.MaxProcessingRetryDelay.Ticks ? options.MaxProcessingRetryDelay : TimeSpan.FromTicks((long)ticks);
    }

    private async Task GiveBackAsync(Lease lease, TimeSpan delay)
    {
        try
        {
            await queue.UpdateVisibilityAsync(lease.MessageId, lease.PopReceipt, delay, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the lease runs out anyway.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogDebug(ex, "Could not give back message {MessageId}", lease.MessageId);
        }
    }

    private static bool IsCurrent(InstanceState? state, WorkItem item) =>
        state is { IsFinished: false, Purged: false, Continuation: null } && state.Generation == item.Generation;

    private async Task RunAsync(WorkItem item, CancellationToken stopping) =>
        await store.ExecuteAsync(item.InstanceId, decision =>
        {
            if (IsCurrent(decision.Current, item) && decision.Current!.IsActive)
            {
                decision.Change().Drain();
            }

            return 0;
        }, stopping).ConfigureAwait(false);

    private async Task TimerDueAsync(WorkItem item, CancellationToken stopping)
    {
        var due = item.Due!.Value;
        var early = due - time.GetUtcNow();
        if (early > TimeSpan.Zero)
        {
            // Delivered before its time (a timer longer than the queue's longest delay): wait out the rest.
            await scheduler.EnqueueAsync(item, early, stopping).ConfigureAwait(false);
            return;
        }

        await store.ExecuteAsync(item.InstanceId, decision =>
        {
            if (IsCurrent(decision.Current, item))
            {
                decision.Change().OnTimerDue(item.TimerId!.Value);
            }

            return 0;
        }, stopping).ConfigureAwait(false);
    }

    private async Task RunActivityAsync(WorkItem item, Lease? lease, CancellationToken stopping)
    {
        var (callId, attempt) = (item.CallId!.Value, item.Attempt!.Value);
        var state = await store.GetCachedAsync(item.InstanceId, stopping).ConfigureAwait(false);
        if (!IsCurrent(state, item) || !state!.Calls.ContainsKey(callId))
        {
            // Perhaps another process moved the instance on since it was cached: look again before giving up.
            state = await store.GetAsync(item.InstanceId, stopping).ConfigureAwait(false);
        }

        if (!IsCurrent(state, item) || !state!.Calls.TryGetValue(callId, out var call) || call.Attempt != attempt)
        {
            return; // Answered already, abandoned, or a stale attempt.
        }

        var early = call.NextAttemptAt - time.GetUtcNow();
        if (early > TimeSpan.Zero)
        {
            await scheduler.EnqueueAsync(item, early, stopping).ConfigureAwait(false);
            return;
        }

        byte[]? result = null;
        string? error = null;
        if (registry.FindActivity(call.Activity) is not { } runner)
        {
            error = $"The activity '{call.Activity}' is not registered in this host.";
        }
        else
        {
            var context = new ActivityContext(item.InstanceId, item.Generation, callId, attempt, call.ScheduledAt, call.IsCompensation, stopping);
            await using var renewal = lease is null ? null : RenewWhileRunning(lease);
            try
            {
                result = await runner.RunAsync(call.Input, context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // An activity's exception fails the attempt, whatever it is.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = $"{ex.GetType().Name}: {ex.Message}";
            }
        }

        await store.ExecuteAsync(item.InstanceId, decision =>
        {
            if (IsCurrent(decision.Current, item))
            {
                decision.Change().OnActivityResult(callId, attempt, result, error);
            }

            return 0;
        }, stopping).ConfigureAwait(false);
    }

    /// <summary>Moves a poison message aside: a document with its body and why, and (if it names one) its activity
    /// call or its instance fails, so the problem is visible in the instance's status.</summary>
    private async Task MoveAsideAsync(QueueMessage message, WorkItem? item, string reason, CancellationToken stopping)
    {
        var at = time.GetUtcNow();
        var documentId = Guid.CreateVersion7().ToString("N");
        var body = Encoding.UTF8.GetString(message.Body.Span);
        var record = new PoisonMessage(documentId, message.MessageId, message.DequeueCount, reason, body, at);
        await documents.PutAsync(PoisonCollection, documentId, JsonSerializer.SerializeToUtf8Bytes(record, PoisonJson.Default.PoisonMessage),
            Precondition.None, stopping).ConfigureAwait(false);

        if (item is not null)
        {
            var failure = $"Poison message: {reason}.";
            await store.ExecuteAsync(item.InstanceId, decision =>
            {
                if (IsCurrent(decision.Current, item))
                {
                    if (item.Kind == WorkItem.ActivityKind)
                    {
                        if (decision.Current!.Calls.TryGetValue(item.CallId!.Value, out var call) && call.Attempt == item.Attempt)
                        {
                            decision.Change().FailCall(call.Id, failure);
                        }
                    }
                    else
                    {
                        decision.Change().FailInstance(failure);
                    }
                }

                return 0;
            }, stopping).ConfigureAwait(false);
        }

        _poison.Enqueue(record);
        logger.LogError("Moved message {MessageId} aside as poison ({Reason}): {Body}", message.MessageId, reason, body);
    }

    /// <summary>Renews the lease at half its length while an activity runs (the delete then uses the newest receipt).</summary>
    private LeaseRenewal RenewWhileRunning(Lease lease) => new(lease, queue, options.Lease, time, logger);

    private sealed class Lease(string messageId, string popReceipt)
    {
        public string MessageId { get; } = messageId;

        public string PopReceipt { get; set; } = popReceipt;
    }

    private sealed class LeaseRenewal : IAsyncDisposable
    {
        private readonly Lock _gate = new();
        private readonly Lease _lease;
        private readonly IWorkQueue _queue;
        private readonly TimeSpan _length;
        private readonly ILogger _logger;
        private readonly ITimer _timer;
        private Task _renewing = Task.CompletedTask;
        private bool _stopped;

        public LeaseRenewal(Lease lease, IWorkQueue queue, TimeSpan length, TimeProvider time, ILogger logger)
        {
            _lease = lease;
            _queue = queue;
            _length = length;
            _logger = logger;
            var every = length / 2;
            _timer = time.CreateTimer(_ => Renew(), null, every, every);
        }

        public async ValueTask DisposeAsync()
        {
            Task renewing;
            lock (_gate)
            {
                _stopped = true;
                renewing = _renewing;
            }

            await _timer.DisposeAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
        }

        private void Renew()
        {
            lock (_gate)
            {
                if (!_stopped && _renewing.IsCompleted)
                {
                    _renewing = RenewAsync();
                }
            }
        }

        private async Task RenewAsync()
        {
            try
            {
                _lease.PopReceipt = await _queue.UpdateVisibilityAsync(_lease.MessageId, _lease.PopReceipt, _length).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Lost lease: the delete will say so.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogWarning(ex, "Could not renew the lease of message {MessageId}", _lease.MessageId);
            }
        }
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(PoisonMessage))]
internal sealed partial class PoisonJson : System.Text.Json.Serialization.JsonSerializerContext;
