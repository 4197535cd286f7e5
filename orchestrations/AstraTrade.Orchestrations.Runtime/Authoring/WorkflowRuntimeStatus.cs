namespace AstraTrade.Orchestrations.Runtime;

/// <summary>Where an instance is in its life: Pending → Running → Completed, Failed or Terminated; Suspended in between,
/// from Pending or Running and back.</summary>
public enum WorkflowRuntimeStatus
{
    /// <summary>Created; its first step has not run yet.</summary>
    Pending,

    /// <summary>Its first step has run; it is waiting for activities, timers or events, or compensating.</summary>
    Running,

    /// <summary>It completed with an output.</summary>
    Completed,

    /// <summary>It failed (its workflow called Fail, threw, or an activity's message was poison).</summary>
    Failed,

    /// <summary>A client terminated it.</summary>
    Terminated,

    /// <summary>A client suspended it: messages are held, not processed, until it is resumed.</summary>
    Suspended,
}

public static class WorkflowRuntimeStatusExtensions
{
    /// <summary>Completed, Failed or Terminated: the instance takes no more events or commands.</summary>
    public static bool IsFinished(this WorkflowRuntimeStatus status) =>
        status is WorkflowRuntimeStatus.Completed or WorkflowRuntimeStatus.Failed or WorkflowRuntimeStatus.Terminated;
}
