namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>A saga: one Echo call per step, each registering Record("undo-{step}") as its compensation; the step named
/// "boom" calls the always-failing activity. On that failure it fails (compensating first), or, when
/// <see cref="Input.CompensateAndGoOn"/>, compensates explicitly and completes with what the compensation reported.</summary>
public sealed class SagaWorkflow() : Workflow<SagaWorkflow.Input, SagaWorkflow.State, string>(Name)
{
    public new const string Name = "test.saga";

    public override State Start(Input input, IWorkflowContext<Input, string> context)
    {
        var state = new State(input.Steps, 0, input.CompensateAndGoOn);
        Call(state, context);
        return state;
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<Input, string> context)
    {
        switch (message)
        {
            case ActivityCompleted:
                context.OnCompensate(TestActivities.Record, $"undo-{state.Steps[state.Next]}");
                var next = state with { Next = state.Next + 1 };
                if (next.Next == state.Steps.Length)
                {
                    context.Complete("all done");
                }
                else
                {
                    Call(next, context);
                }

                return next;
            case ActivityFailed failed when state.CompensateAndGoOn:
                context.Compensate();
                return state;
            case ActivityFailed failed:
                context.Fail($"step {state.Steps[state.Next]} failed");
                return state;
            case Compensated compensated:
                context.Complete($"compensated with {compensated.Failures.Count} failures");
                return state;
            default:
                return state;
        }
    }

    private static void Call(State state, IWorkflowContext<Input, string> context)
    {
        var step = state.Steps[state.Next];
        if (step == "boom")
        {
            context.CallActivity(TestActivities.Fail, step);
        }
        else
        {
            context.CallActivity(TestActivities.Echo, step);
        }
    }

    public sealed record Input(string[] Steps, bool CompensateAndGoOn = false);

    public sealed record State(string[] Steps, int Next, bool CompensateAndGoOn);
}

public sealed class CompensationTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new SagaWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Failing_runs_the_registered_compensations_newest_first_then_fails()
    {
        var id = await _runtime.StartAsync(SagaWorkflow.Name, new SagaWorkflow.Input(["reserve", "place", "notify", "boom"]));
        await _runtime.IdleAsync();

        var undone = _activities.Attempts.Where(a => a.IsCompensation).Select(a => a.Input);
        Assert.Equal(["undo-notify", "undo-place", "undo-reserve"], undone);
        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal("step boom failed", status.Reason);
        var history = await _runtime.HistoryAsync(id);
        Assert.Equal(1, history.Count(e => e == "compensation-started"));
        Assert.Equal(4, history.Count(e => e == "compensation-advanced")); // start 1, end 1 + start 2, end 2 + start 3, end 3
        Assert.Equal("failed", history[^1]);
    }

    [Fact]
    public async Task Compensations_run_one_at_a_time()
    {
        var release = new TaskCompletionSource();
        _activities.Gate = input => input == "undo-place" ? release.Task : Task.CompletedTask;
        var id = await _runtime.StartAsync(SagaWorkflow.Name, new SagaWorkflow.Input(["reserve", "place", "boom"]));
        await Task.Delay(200); // the gate holds "undo-place" (running on a worker), so the queue is not idle
        Assert.DoesNotContain(_activities.Attempts, a => a.Input == "undo-reserve");

        release.SetResult();
        await _runtime.IdleAsync();
        Assert.Equal(["undo-place", "undo-reserve"], _activities.Attempts.Where(a => a.IsCompensation).Select(a => a.Input));
        Assert.Equal(WorkflowRuntimeStatus.Failed, (await _runtime.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task Compensate_runs_them_and_tells_the_workflow_which_goes_on()
    {
        _activities.ShouldFail = (input, _) => input == "undo-b";
        var id = await _runtime.StartAsync(SagaWorkflow.Name, new SagaWorkflow.Input(["a", "b", "c", "boom"], CompensateAndGoOn: true));
        await _runtime.IdleAsync();

        Assert.Equal(["undo-c", "undo-b", "undo-a"], _activities.Attempts.Where(a => a.IsCompensation).Select(a => a.Input));
        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("compensated with 1 failures", status.Output!.Value.GetString());
    }

    [Fact]
    public async Task Completing_drops_the_registered_compensations()
    {
        var id = await _runtime.StartAsync(SagaWorkflow.Name, new SagaWorkflow.Input(["a", "b"]));
        await _runtime.IdleAsync();

        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(id)).RuntimeStatus);
        Assert.DoesNotContain(_activities.Attempts, a => a.IsCompensation);
    }
}
