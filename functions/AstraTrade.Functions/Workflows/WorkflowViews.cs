using AstraTrade.Contracts.Http;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Functions.Workflows;

/// <summary>The runtime's answers as the API's contracts. Statuses are written as Durable Functions writes them
/// (Running, Completed, …), so its clients read them unchanged.</summary>
public static class WorkflowViews
{
    public static WorkflowStatusResponse Status(WorkflowStatus status, IReadOnlyList<WorkflowHistoryEvent>? history) => new(
        status.InstanceId,
        status.Name,
        status.RuntimeStatus.ToString(),
        status.Input,
        status.Output,
        status.CustomStatus,
        status.Reason,
        status.CreatedTime,
        status.LastUpdatedTime,
        status.Generation,
        history?.Select(e => new WorkflowHistoryEventResponse(e.Version, e.EventType, e.Timestamp, e.Data)).ToList());

    public static WorkflowInstancesPage Page(WorkflowPage page) => new(
        [.. page.Instances.Select(i => new WorkflowInstanceSummary(
            i.InstanceId, i.Name, i.RuntimeStatus.ToString(), i.CreatedTime, i.LastUpdatedTime, i.Owner, i.Generation))],
        page.ContinuationToken);

    public static bool IsFinished(WorkflowRuntimeStatus status) =>
        status is WorkflowRuntimeStatus.Completed or WorkflowRuntimeStatus.Failed or WorkflowRuntimeStatus.Terminated;

    /// <summary>Comma-separated status names, case-insensitive (names only: a number is not a status).</summary>
    public static bool TryParseStatuses(string? text, out List<WorkflowRuntimeStatus> statuses)
    {
        statuses = [];
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<WorkflowRuntimeStatus>(part, ignoreCase: true, out var status) || !Enum.IsDefined(status) || !char.IsLetter(part[0]))
            {
                return false;
            }

            statuses.Add(status);
        }

        return true;
    }
}
