using AstraTrade.Functions.Http;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Functions.Workflows;

/// <summary>The runtime's outcomes as HTTP answers (Accepted → 202, NotFound → 404, Gone → 410, Conflict → 409).</summary>
public static class WorkflowProblems
{
    public static IResult For(OperationOutcome outcome, string instanceId) => outcome switch
    {
        OperationOutcome.Accepted => TypedResults.Accepted((string?)null),
        OperationOutcome.NotFound => NotFound(instanceId),
        OperationOutcome.Gone => Problems.For("workflow-finished", $"The instance '{instanceId}' has finished; it takes no more events or commands."),
        OperationOutcome.Conflict => Problems.For("workflow-not-finished", $"The instance '{instanceId}' has not finished; terminate it first."),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown outcome."),
    };

    /// <summary>Also the answer to a user asking about someone else's instance: its existence is not revealed.</summary>
    public static IResult NotFound(string instanceId) => Problems.For("workflow-not-found", $"There is no instance '{instanceId}'.");

    public static IResult Forbidden() => Problems.For("forbidden", "Only an admin may manage workflows.");

    public static IResult NotStarted(StartResult started) => started.Outcome switch
    {
        StartOutcome.AlreadyExists => Problems.For("workflow-already-exists", started.Error ?? $"The instance '{started.InstanceId}' exists; purge it first to reuse its id."),
        StartOutcome.UnknownWorkflow => Problems.For("unknown-workflow", started.Error ?? "No workflow of that name is registered."),
        StartOutcome.InvalidInput => Problems.For("invalid-workflow-input", $"The body is not a valid input for this workflow: {started.Error}"),
        _ => throw new ArgumentOutOfRangeException(nameof(started), started.Outcome, "Not a refusal."),
    };
}
