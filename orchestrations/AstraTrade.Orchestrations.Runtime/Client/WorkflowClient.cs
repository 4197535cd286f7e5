using System.Text.Json;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>Options for <see cref="WorkflowClient.StartNewAsync{TInput}"/>.</summary>
/// <param name="InstanceId">The instance's id; a new one (32 hex digits) when null. 1–100 characters of ASCII
/// letters, digits and <c>.-_:@</c>.</param>
/// <param name="Owner">Who the instance belongs to (e.g. a user id), for the API's authorization checks and list filter.</param>
public sealed record StartOptions(string? InstanceId = null, string? Owner = null);

/// <summary>
/// The management operations on instances (what the HTTP management API calls): start, status (with history), raise
/// an event, terminate, suspend, resume, purge, list. Commands are stored before the call returns; what they cause
/// (steps, activities) happens in the host's workers afterwards. Get it from <see cref="WorkflowHost.Client"/>.
/// </summary>
public sealed class WorkflowClient
{
    private readonly InstanceStore _store;
    private readonly InstanceIndex _index;
    private readonly WorkflowRegistry _registry;

    internal WorkflowClient(InstanceStore store, InstanceIndex index, WorkflowRegistry registry)
    {
        _store = store;
        _index = index;
        _registry = registry;
    }

    /// <summary>Creates an instance of the workflow <paramref name="workflowName"/> with <paramref name="input"/>;
    /// it is Pending until a worker runs its first step.</summary>
    /// <exception cref="ArgumentException">The instance id is not a valid one.</exception>
    public ValueTask<StartResult> StartNewAsync<TInput>(
        string workflowName, TInput input, StartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var workflow = _registry.FindWorkflow(workflowName);
        return workflow is null
            ? new ValueTask<StartResult>(Unknown(workflowName, options))
            : StartAsync(workflow, workflow.WriteInput(input), options, cancellationToken);
    }

    /// <summary>Creates an instance from a JSON input (as the HTTP API receives it); checks that the JSON reads as the
    /// workflow's input type.</summary>
    public ValueTask<StartResult> StartNewFromJsonAsync(
        string workflowName, ReadOnlyMemory<byte> inputJson, StartOptions? options = null, CancellationToken cancellationToken = default)
    {
        var workflow = _registry.FindWorkflow(workflowName);
        if (workflow is null)
        {
            return new ValueTask<StartResult>(Unknown(workflowName, options));
        }

        try
        {
            workflow.CheckInput(inputJson.Span);
        }
        catch (JsonException ex)
        {
            return new ValueTask<StartResult>(new StartResult(StartOutcome.InvalidInput, options?.InstanceId ?? string.Empty, ex.Message));
        }

        return StartAsync(workflow, inputJson.ToArray(), options, cancellationToken);
    }

    /// <summary>The instance's status, with the current generation's history if <paramref name="showHistory"/>;
    /// null when no such instance exists (never created, or purged).</summary>
    public async ValueTask<WorkflowStatus?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken cancellationToken = default)
    {
        if (!Names.IsValid(instanceId))
        {
            return null;
        }

        var state = await _store.GetAsync(instanceId, cancellationToken).ConfigureAwait(false);
        if (state is null || state.Purged)
        {
            return null;
        }

        var history = showHistory ? await GetHistoryAsync(instanceId, state.Generation, cancellationToken).ConfigureAwait(false) : null;
        return new WorkflowStatus(
            state.InstanceId,
            state.Name,
            state.Status,
            ToJson(state.Input),
            state.Status == WorkflowRuntimeStatus.Completed ? ToJson(state.Output) : null,
            ToJson(state.CustomStatus),
            state.Reason,
            state.CreatedTime,
            state.LastUpdatedTime,
            state.Owner,
            state.Generation,
            history);
    }

    /// <summary>The stored history of one generation of an instance, oldest first (empty if there is none). Kept for
    /// audit: earlier generations and purged instances can still be read here.</summary>
    public async ValueTask<IReadOnlyList<WorkflowHistoryEvent>> GetHistoryAsync(
        string instanceId, int generation, CancellationToken cancellationToken = default)
    {
        if (!Names.IsValid(instanceId) || generation < 1)
        {
            return [];
        }

        var events = await _store.ReadGenerationAsync(instanceId, generation, cancellationToken).ConfigureAwait(false);
        return [.. events.Select(e => new WorkflowHistoryEvent(e.Version, RuntimeEvents.ShortName(e.Type), e.RecordedAt, ToJson(e.Data.Span)!.Value))];
    }

    /// <summary>Completes when the instance has finished (or is unknown), and returns its status. Notified by this
    /// process's own transitions; for instances run by another process, poll <see cref="GetStatusAsync"/>.</summary>
    public async ValueTask<WorkflowStatus?> WaitForCompletionAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await _store.WaitForFinishAsync(instanceId, cancellationToken).ConfigureAwait(false);
        return await GetStatusAsync(instanceId, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when the instance's status satisfies <paramref name="until"/>, or it has finished, or it is
    /// unknown (null), and returns that status: e.g. a caller that waits for a workflow to reach a milestone it
    /// shows in its custom status. Notified by this process's own transitions, like <see cref="WaitForCompletionAsync"/>.</summary>
    public async ValueTask<WorkflowStatus?> WaitForStatusAsync(
        string instanceId, Func<WorkflowStatus, bool> until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(until);
        while (true)
        {
            var changed = Names.IsValid(instanceId) ? _store.Changed(instanceId) : Task.CompletedTask;
            var status = await GetStatusAsync(instanceId, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (status is null || status.RuntimeStatus.IsFinished() || until(status))
            {
                if (status is not null)
                {
                    _store.WakeUp(instanceId);
                }

                return status;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Like <see cref="WaitForStatusAsync"/>, but <paramref name="until"/> looks only at the runtime status and
    /// the custom status as stored (JSON, empty when none), from this process's cached state, and the full status is
    /// built once, at the end: for a caller that waits on every request (an API waiting for a milestone), where
    /// building a status object at each step of the instance costs more than the wait.</summary>
    public async ValueTask<WorkflowStatus?> WaitForCustomStatusAsync(
        string instanceId, Func<WorkflowRuntimeStatus, ReadOnlyMemory<byte>, bool> until, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(until);
        if (!Names.IsValid(instanceId))
        {
            return null;
        }

        while (true)
        {
            var changed = _store.Changed(instanceId);
            var state = await _store.GetCachedAsync(instanceId, cancellationToken).ConfigureAwait(false);
            if (state is null || state.Purged || state.IsFinished || until(state.Status, state.CustomStatus))
            {
                _store.WakeUp(instanceId);
                return await GetStatusAsync(instanceId, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends the external event <paramref name="eventName"/> with a JSON payload. It is stored (buffered)
    /// before this returns, and delivered when the workflow waits for that name: at once if it already does.
    /// NotFound: no such instance (the event is discarded). Gone: the instance has finished.</summary>
    /// <exception cref="ArgumentException">The name is not a valid name, or the payload is not JSON.</exception>
    public ValueTask<OperationOutcome> RaiseEventAsync(
        string instanceId, string eventName, ReadOnlyMemory<byte> payloadJson, CancellationToken cancellationToken = default)
    {
        Names.Check(eventName, "event name");
        try
        {
            using var document = JsonDocument.Parse(payloadJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The event payload is not JSON.", nameof(payloadJson), ex);
        }

        var payload = payloadJson.ToArray();
        return ChangeAsync(instanceId, (state, transition) =>
        {
            transition().ReceiveEvent(eventName, payload);
            return OperationOutcome.Accepted;
        }, cancellationToken);
    }

    /// <inheritdoc cref="RaiseEventAsync(string,string,ReadOnlyMemory{byte},CancellationToken)"/>
    public ValueTask<OperationOutcome> RaiseEventAsync<TPayload>(
        string instanceId, ExternalEvent<TPayload> externalEvent, TPayload payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(externalEvent);
        return RaiseEventAsync(instanceId, externalEvent.Name, externalEvent.Write(payload), cancellationToken);
    }

    /// <summary>Ends the instance as Terminated, at once: pending timers never fire, results of activities still
    /// running are ignored, registered compensations do not run.</summary>
    public ValueTask<OperationOutcome> TerminateAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(instanceId, (state, transition) =>
        {
            var change = transition();
            change.Add(new InstanceTerminated(change.Now, reason));
            return OperationOutcome.Accepted;
        }, cancellationToken);

    /// <summary>Suspends the instance: from now on, activity results, timer fires and events are stored but held, and
    /// no step runs, until <see cref="ResumeAsync"/>. Activities already running finish (their results are held).</summary>
    public ValueTask<OperationOutcome> SuspendAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(instanceId, (state, transition) =>
        {
            if (state.Status != WorkflowRuntimeStatus.Suspended)
            {
                var change = transition();
                change.Add(new InstanceSuspended(change.Now, reason));
            }

            return OperationOutcome.Accepted;
        }, cancellationToken);

    /// <summary>Resumes a suspended instance: the held messages are processed, in the order they arrived.</summary>
    public ValueTask<OperationOutcome> ResumeAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(instanceId, (state, transition) =>
        {
            if (state.Status == WorkflowRuntimeStatus.Suspended)
            {
                var change = transition();
                change.Add(new InstanceResumed(change.Now, reason, state.Started ? WorkflowRuntimeStatus.Running : WorkflowRuntimeStatus.Pending));
                change.EnqueueRun();
            }

            return OperationOutcome.Accepted;
        }, cancellationToken);

    /// <summary>Forgets a finished instance: the status query, events and commands answer NotFound from now on, it
    /// leaves the list, and its id can be used again. The event log is append-only, so its history stays in the log
    /// for audit (<see cref="GetHistoryAsync"/>) behind a "purged" marker. Conflict for an unfinished instance.</summary>
    public async ValueTask<OperationOutcome> PurgeAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        if (!Names.IsValid(instanceId))
        {
            return OperationOutcome.NotFound;
        }

        return await _store.ExecuteAsync(instanceId, decision =>
        {
            if (decision.Current is not { Purged: false } state)
            {
                return OperationOutcome.NotFound;
            }

            if (!state.IsFinished)
            {
                return OperationOutcome.Conflict;
            }

            decision.Change().Add(new InstancePurged(decision.Now));
            return OperationOutcome.Accepted;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One page of instances, in created-time order.</summary>
    /// <exception cref="ArgumentException">The continuation token was not issued by this runtime.</exception>
    public ValueTask<WorkflowPage> ListAsync(WorkflowQuery query, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<WorkflowPage>(_index.Query(query));
    }

    private static StartResult Unknown(string workflowName, StartOptions? options) =>
        new(StartOutcome.UnknownWorkflow, options?.InstanceId ?? string.Empty, $"No workflow named '{workflowName}' is registered.");

    private static JsonElement? ToJson(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json);
        return JsonElement.ParseValue(ref reader);
    }

    private static JsonElement? ToJson(byte[]? json) => json is null ? null : ToJson(json.AsSpan());

    private async ValueTask<StartResult> StartAsync(IWorkflowDefinition workflow, byte[] input, StartOptions? options, CancellationToken cancellationToken)
    {
        var instanceId = options?.InstanceId is { } chosen ? Names.Check(chosen, "instance id") : Guid.NewGuid().ToString("N");
        return await _store.ExecuteAsync(instanceId, decision =>
        {
            if (decision.Current is { Purged: false })
            {
                return new StartResult(StartOutcome.AlreadyExists, instanceId, $"An instance with the id '{instanceId}' exists.");
            }

            var generation = (decision.Current?.Generation ?? 0) + 1;
            decision.CreateGeneration(instanceId, generation).Create(workflow.Name, input, options?.Owner, decision.Now, null);
            return new StartResult(StartOutcome.Started, instanceId);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command on an existing, unfinished instance: NotFound and Gone are answered here.</summary>
    private async ValueTask<OperationOutcome> ChangeAsync(
        string instanceId, Func<InstanceState, Func<Transition>, OperationOutcome> change, CancellationToken cancellationToken)
    {
        if (!Names.IsValid(instanceId))
        {
            return OperationOutcome.NotFound;
        }

        return await _store.ExecuteAsync(instanceId, decision => decision.Current switch
        {
            null or { Purged: true } => OperationOutcome.NotFound,
            { IsFinished: true } => OperationOutcome.Gone,
            var state => change(state, decision.Change),
        }, cancellationToken).ConfigureAwait(false);
    }
}
