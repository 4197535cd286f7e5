namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class SuspendResumeTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new TimerWorkflow()).AddWorkflow(new SequenceWorkflow()).AddWorkflow(new EventWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Timer_fires_are_held_while_suspended_and_processed_in_order_after_the_resume()
    {
        var id = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([10, 5, 20], []));
        await _runtime.IdleAsync();
        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.SuspendAsync(id, "maintenance"));
        Assert.Equal(WorkflowRuntimeStatus.Suspended, (await _runtime.StatusAsync(id)).RuntimeStatus);

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(5));
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Empty(await _runtime.StepMessagesAsync(id));
        Assert.Equal(2, (await _runtime.HistoryAsync(id)).Count(e => e == "message-held"));

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.ResumeAsync(id));
        await _runtime.IdleAsync();
        Assert.Equal(WorkflowRuntimeStatus.Running, (await _runtime.StatusAsync(id)).RuntimeStatus);
        Assert.Equal([2, 1], (await _runtime.StepMessagesAsync(id)).Select(m => m.GetProperty("timerId").GetInt32()));

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(10));
        var fires = (await _runtime.StatusAsync(id)).Output!.Value.Deserialize<TimerWorkflow.Fire[]>(WorkflowJson.DefaultOptions)!;
        Assert.Equal([2, 1, 3], fires.Select(f => f.TimerId));
    }

    [Fact]
    public async Task Activity_results_and_events_wait_for_the_resume()
    {
        var release = new TaskCompletionSource();
        _activities.Gate = _ => release.Task;
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["a", "b"]));
        while (_activities.Attempts.Count == 0)
        {
            await Task.Delay(5);
        }

        await _runtime.Client.SuspendAsync(id);
        release.SetResult();
        await _runtime.IdleAsync();
        Assert.Single(_activities.Attempts); // "a" finished, but "b" is not called while suspended
        Assert.Equal(WorkflowRuntimeStatus.Suspended, (await _runtime.StatusAsync(id)).RuntimeStatus);

        await _runtime.Client.ResumeAsync(id);
        await _runtime.IdleAsync();
        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(["a", "b"], status.Output!.Value.Deserialize<string[]>()!);
    }

    [Fact]
    public async Task An_event_raised_while_suspended_is_delivered_after_the_resume()
    {
        var id = await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1));
        await _runtime.IdleAsync();
        await _runtime.Client.SuspendAsync(id);

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.RaiseEventAsync(id, EventWorkflow.Ping, "held"));
        await _runtime.IdleAsync();
        Assert.Equal(WorkflowRuntimeStatus.Suspended, (await _runtime.StatusAsync(id)).RuntimeStatus);

        await _runtime.Client.ResumeAsync(id);
        await _runtime.IdleAsync();
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_pending_instance_suspended_before_its_first_step_starts_on_resume()
    {
        await _runtime.Host.StopAsync(CancellationToken.None);
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["x"]));
        await _runtime.Client.SuspendAsync(id);
        await _runtime.RestartAsync(); // recovery sends a run; a suspended instance must not start
        Assert.Equal(WorkflowRuntimeStatus.Suspended, (await _runtime.StatusAsync(id)).RuntimeStatus);
        Assert.Empty(_activities.Attempts);

        await _runtime.Client.ResumeAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Pending, (await _runtime.StatusAsync(id)).RuntimeStatus);
        await _runtime.IdleAsync();
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task Suspending_twice_or_resuming_a_running_instance_changes_nothing()
    {
        var id = await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1));
        await _runtime.IdleAsync();
        var version = await _runtime.StreamVersionAsync(id);
        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.ResumeAsync(id));
        Assert.Equal(version, await _runtime.StreamVersionAsync(id));

        await _runtime.Client.SuspendAsync(id);
        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.SuspendAsync(id));
        Assert.Equal(version + 1, await _runtime.StreamVersionAsync(id));
    }
}
