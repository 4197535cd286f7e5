using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Tournaments;

public static class TournamentWorkflowRegistration
{
    /// <summary>The tournament lifecycle workflow and the activities it calls.</summary>
    public static WorkflowRegistry AddTournamentWorkflows(this WorkflowRegistry registry, TournamentActivities activities)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(activities);
        return registry
            .AddWorkflow(new TournamentWorkflow())
            .AddActivity(TournamentActivities.Advance, activities.AdvanceAsync)
            .AddActivity(TournamentActivities.Finalize, activities.FinalizeAsync);
    }
}
