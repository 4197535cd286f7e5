using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.Contracts.Http;

/// <summary>
/// The answer to starting an instance (202), shaped like Durable Functions' HTTP API: absolute URIs for everything that
/// can be done with the instance. <c>{eventName}</c> and <c>{text}</c> are placeholders the client fills in.
/// </summary>
/// <param name="Id">The instance id.</param>
/// <param name="StatusQueryGetUri">GET: the status (add <c>?showHistory=true</c> for the history); 202 while it runs, 200 once finished.</param>
/// <param name="SendEventPostUri">POST a JSON payload to raise the event <c>{eventName}</c>.</param>
/// <param name="TerminatePostUri">POST to terminate; <c>{text}</c> is the reason.</param>
/// <param name="SuspendPostUri">POST to suspend; <c>{text}</c> is the reason.</param>
/// <param name="ResumePostUri">POST to resume; <c>{text}</c> is the reason.</param>
/// <param name="PurgeHistoryDeleteUri">DELETE to purge a finished instance.</param>
public sealed record WorkflowManagementUris(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string SuspendPostUri,
    string ResumePostUri,
    string PurgeHistoryDeleteUri);

/// <summary>An instance's status.</summary>
/// <param name="RuntimeStatus">Pending, Running, Completed, Failed, Terminated or Suspended.</param>
/// <param name="Input">The current generation's input.</param>
/// <param name="Output">The output, once Completed.</param>
/// <param name="CustomStatus">What the workflow last set as its custom status.</param>
/// <param name="Reason">Why it Failed or was Terminated.</param>
/// <param name="Generation">1, then one more after each continue-as-new.</param>
/// <param name="HistoryEvents">The current generation's history, oldest first; only with <c>?showHistory=true</c>.</param>
public sealed record WorkflowStatusResponse(
    string InstanceId,
    string Name,
    string RuntimeStatus,
    JsonElement? Input,
    JsonElement? Output,
    JsonElement? CustomStatus,
    string? Reason,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime,
    int Generation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<WorkflowHistoryEventResponse>? HistoryEvents);

/// <summary>One stored event of an instance's history.</summary>
/// <param name="Version">Its place in the generation's history (1-based).</param>
/// <param name="EventType">created, step, activity-retry-scheduled, event-received, message-held, suspended, resumed,
/// terminated, completed, failed, compensation-started, compensation-advanced, continued-as-new or purged.</param>
/// <param name="Data">The event as stored.</param>
public sealed record WorkflowHistoryEventResponse(long Version, string EventType, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>An instance in a list.</summary>
/// <param name="Owner">Who the instance belongs to (a user id), if anyone.</param>
public sealed record WorkflowInstanceSummary(
    string InstanceId, string Name, string RuntimeStatus, DateTimeOffset CreatedTime, DateTimeOffset LastUpdatedTime, string? Owner, int Generation);

/// <summary>One page of instances, in created-time order.</summary>
/// <param name="ContinuationToken">Pass it as <c>?continuationToken=</c> for the next page; null on the last page.</param>
public sealed record WorkflowInstancesPage(IReadOnlyList<WorkflowInstanceSummary> Instances, string? ContinuationToken);

/// <summary>The answer to a purge.</summary>
public sealed record WorkflowPurgeResponse(int InstancesDeleted);
