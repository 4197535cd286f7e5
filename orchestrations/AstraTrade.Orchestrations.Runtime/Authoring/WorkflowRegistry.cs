namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// The workflows and activity implementations a host runs, registered explicitly (no assembly scanning):
/// <code>
/// var registry = new WorkflowRegistry()
///     .AddWorkflow(new TradeLifecycle())
///     .AddActivity(TradeActivities.Reserve, (input, context) => margin.ReserveAsync(input, context.IdempotencyKey));
/// </code>
/// </summary>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, IWorkflowDefinition> _workflows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActivityRunner> _activities = new(StringComparer.Ordinal);

    public IEnumerable<string> WorkflowNames => _workflows.Keys;

    public IEnumerable<string> ActivityNames => _activities.Keys;

    public WorkflowRegistry AddWorkflow<TInput, TState, TOutput>(Workflow<TInput, TState, TOutput> workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        if (!_workflows.TryAdd(workflow.Name, workflow))
        {
            throw new ArgumentException($"A workflow named '{workflow.Name}' is already registered.", nameof(workflow));
        }

        return this;
    }

    /// <summary>Registers the implementation of <paramref name="activity"/>. It runs at least once per call and must be
    /// idempotent (<see cref="ActivityContext.IdempotencyKey"/>); a thrown exception fails the attempt (the call's
    /// retry policy decides what follows).</summary>
    public WorkflowRegistry AddActivity<TInput, TOutput>(
        Activity<TInput, TOutput> activity, Func<TInput, ActivityContext, ValueTask<TOutput>> implementation)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(implementation);
        if (!_activities.TryAdd(activity.Name, new ActivityRunner<TInput, TOutput>(activity, implementation)))
        {
            throw new ArgumentException($"An activity named '{activity.Name}' is already registered.", nameof(activity));
        }

        return this;
    }

    /// <summary>Registers a synchronous implementation of <paramref name="activity"/>.</summary>
    public WorkflowRegistry AddActivity<TInput, TOutput>(Activity<TInput, TOutput> activity, Func<TInput, ActivityContext, TOutput> implementation)
    {
        ArgumentNullException.ThrowIfNull(implementation);
        return AddActivity(activity, (input, context) => ValueTask.FromResult(implementation(input, context)));
    }

    internal IWorkflowDefinition? FindWorkflow(string name) => _workflows.GetValueOrDefault(name);

    internal IActivityRunner? FindActivity(string name) => _activities.GetValueOrDefault(name);
}

/// <summary>Runs one activity from JSON input to JSON result.</summary>
internal interface IActivityRunner
{
    ValueTask<byte[]> RunAsync(byte[] input, ActivityContext context);
}

internal sealed class ActivityRunner<TInput, TOutput>(
    Activity<TInput, TOutput> activity, Func<TInput, ActivityContext, ValueTask<TOutput>> implementation) : IActivityRunner
{
    public async ValueTask<byte[]> RunAsync(byte[] input, ActivityContext context)
    {
        var output = await implementation(activity.ReadInput(input), context).ConfigureAwait(false);
        return activity.WriteOutput(output);
    }
}
