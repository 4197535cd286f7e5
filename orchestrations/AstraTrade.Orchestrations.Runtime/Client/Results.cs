using System.Text.Json;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>What a management operation did; the HTTP layer maps it (Accepted → 202, NotFound → 404, Gone → 410,
/// Conflict → 409).</summary>
public enum OperationOutcome
{
    /// <summary>Done, or nothing to do (suspending a suspended instance, resuming a running one).</summary>
    Accepted,

    /// <summary>No such instance (never created, or purged). An event sent to it is discarded.</summary>
    NotFound,

    /// <summary>The instance has finished (Completed, Failed or Terminated); it takes no more events or commands.</summary>
    Gone,

    /// <summary>The operation does not fit the instance's state: purging an unfinished instance.</summary>
    Conflict,
}

public enum StartOutcome
{
    /// <summary>Created (Pending); its first step follows.</summary>
    Started,

    /// <summary>An instance with this id exists (purge it first to reuse the id).</summary>
    AlreadyExists,

    /// <summary>No workflow of that name is registered.</summary>
    UnknownWorkflow,

    /// <summary>The input is not valid JSON for the workflow's input type.</summary>
    InvalidInput,
}

/// <param name="InstanceId">The instance's id (the caller's, or a generated one).</param>
/// <param name="Error">Why it did not start, in words, when <see cref="Outcome"/> is not Started.</param>
public sealed record StartResult(StartOutcome Outcome, string InstanceId, string? Error = null)
{
    public bool Started => Outcome == StartOutcome.Started;
}

/// <summary>An instance as the status query shows it.</summary>
/// <param name="Input">The current generation's input.</param>
/// <param name="Output">The output, once Completed.</param>
/// <param name="Reason">Why it Failed or was Terminated.</param>
/// <param name="Generation">1, then one more after each continue-as-new.</param>
/// <param name="History">The current generation's history, oldest first, when asked for.</param>
public sealed record WorkflowStatus(
    string InstanceId,
    string Name,
    WorkflowRuntimeStatus RuntimeStatus,
    JsonElement? Input,
    JsonElement? Output,
    JsonElement? CustomStatus,
    string? Reason,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime,
    string? Owner,
    int Generation,
    IReadOnlyList<WorkflowHistoryEvent>? History);

/// <summary>One stored event of an instance's history.</summary>
/// <param name="Version">Its place in the generation's stream (1-based).</param>
/// <param name="EventType">"created", "step", "activity-retry-scheduled", "event-received", "message-held",
/// "suspended", "resumed", "terminated", "completed", "failed", "compensation-started", "compensation-advanced",
/// "continued-as-new" or "purged".</param>
/// <param name="Data">The event as stored (JSON).</param>
public sealed record WorkflowHistoryEvent(long Version, string EventType, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>An instance as the list query shows it.</summary>
public sealed record WorkflowSummary(
    string InstanceId,
    string Name,
    WorkflowRuntimeStatus RuntimeStatus,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime,
    string? Owner,
    int Generation);

/// <summary>A list query: instances in created-time order (then by id), filtered, one page at a time.</summary>
/// <param name="Statuses">Only these statuses (all when null or empty).</param>
/// <param name="CreatedFrom">Created at or after this (inclusive).</param>
/// <param name="CreatedTo">Created before this (exclusive).</param>
/// <param name="Name">Only instances of this workflow.</param>
/// <param name="Owner">Only instances of this owner.</param>
/// <param name="PageSize">At most this many instances per page.</param>
/// <param name="ContinuationToken">From the previous page: the next page starts right after its last instance, so
/// paging never skips or repeats an instance, even while instances are created.</param>
public sealed record WorkflowQuery(
    IReadOnlyCollection<WorkflowRuntimeStatus>? Statuses = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    string? Name = null,
    string? Owner = null,
    int PageSize = 100,
    string? ContinuationToken = null);

/// <param name="ContinuationToken">Null on the last page.</param>
public sealed record WorkflowPage(IReadOnlyList<WorkflowSummary> Instances, string? ContinuationToken);
