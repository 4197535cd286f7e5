namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class TerminateTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new TimerWorkflow()).AddWorkflow(new SequenceWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Terminating_cancels_pending_timers()
    {
        var id = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([10, 20], []));
        await _runtime.IdleAsync();
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Single(await _runtime.StepMessagesAsync(id));

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.TerminateAsync(id, "enough"));
        await _runtime.AdvanceAsync(TimeSpan.FromMinutes(5));

        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Terminated, status.RuntimeStatus);
        Assert.Equal("enough", status.Reason);
        Assert.Single(await _runtime.StepMessagesAsync(id));
        Assert.Equal("terminated", (await _runtime.HistoryAsync(id))[^1]);
    }

    [Fact]
    public async Task Terminating_ignores_the_result_of_an_activity_still_running()
    {
        var release = new TaskCompletionSource();
        _activities.Gate = _ => release.Task;
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["slow", "never"]));
        while (_activities.Attempts.Count == 0)
        {
            await Task.Delay(5);
        }

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.TerminateAsync(id));
        var version = await _runtime.StreamVersionAsync(id);
        release.SetResult();
        await _runtime.IdleAsync();

        Assert.Equal(version, await _runtime.StreamVersionAsync(id));
        Assert.Equal(WorkflowRuntimeStatus.Terminated, (await _runtime.StatusAsync(id)).RuntimeStatus);
        Assert.DoesNotContain(_activities.Attempts, a => a.Input == "never");
    }

    [Fact]
    public async Task A_finished_instance_is_gone_and_an_unknown_one_not_found()
    {
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["x"]));
        await _runtime.IdleAsync();

        Assert.Equal(OperationOutcome.Gone, await _runtime.Client.TerminateAsync(id));
        Assert.Equal(OperationOutcome.Gone, await _runtime.Client.SuspendAsync(id));
        Assert.Equal(OperationOutcome.Gone, await _runtime.Client.ResumeAsync(id));
        Assert.Equal(OperationOutcome.NotFound, await _runtime.Client.TerminateAsync("missing"));
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_pending_instance_can_be_terminated_before_its_first_step()
    {
        await _runtime.Host.StopAsync(CancellationToken.None); // no worker takes the first step
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["x"]));
        Assert.Equal(WorkflowRuntimeStatus.Pending, (await _runtime.StatusAsync(id)).RuntimeStatus);

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.TerminateAsync(id));
        Assert.Equal(WorkflowRuntimeStatus.Terminated, (await _runtime.StatusAsync(id)).RuntimeStatus);
        Assert.Empty(_activities.Attempts);
    }
}
