namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class StatusAndHistoryTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new SequenceWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task The_status_shows_the_instance_from_pending_to_completed()
    {
        await _runtime.Host.StopAsync(CancellationToken.None);
        var created = _runtime.Time.GetUtcNow();
        var started = await _runtime.Client.StartNewAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["a", "b"]), new StartOptions("order-42", Owner: "user-7"));
        Assert.Equal(new StartResult(StartOutcome.Started, "order-42"), started);

        var pending = await _runtime.StatusAsync("order-42");
        Assert.Equal(WorkflowRuntimeStatus.Pending, pending.RuntimeStatus);
        Assert.Equal((SequenceWorkflow.Name, "user-7", created, created, 1), (pending.Name, pending.Owner, pending.CreatedTime, pending.LastUpdatedTime, pending.Generation));
        Assert.Equal(["a", "b"], pending.Input!.Value.GetProperty("items").Deserialize<string[]>()!);
        Assert.Null(pending.Output);
        Assert.Null(pending.History);

        _runtime.Time.Advance(TimeSpan.FromSeconds(3));
        await _runtime.RestartAsync();
        await _runtime.IdleAsync();

        var done = await _runtime.StatusAsync("order-42", showHistory: true);
        Assert.Equal(WorkflowRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["a", "b"], done.Output!.Value.Deserialize<string[]>()!);
        Assert.Equal(2, done.CustomStatus!.Value.GetProperty("done").GetInt32());
        Assert.Equal(created, done.CreatedTime);
        Assert.Equal(created.AddSeconds(3), done.LastUpdatedTime);
        Assert.Equal(["created", "step", "step", "step", "completed"], done.History!.Select(e => e.EventType));
        Assert.Equal(Enumerable.Range(1, 5).Select(v => (long)v), done.History!.Select(e => e.Version));
        var firstStep = done.History![1].Data;
        Assert.Equal("test.echo", firstStep.GetProperty("calls")[0].GetProperty("activity").GetString());
        Assert.Equal("a", firstStep.GetProperty("calls")[0].GetProperty("input").GetString());
    }

    [Fact]
    public async Task An_unknown_instance_has_no_status()
    {
        Assert.Null(await _runtime.Client.GetStatusAsync("unknown"));
        Assert.Null(await _runtime.Client.GetStatusAsync("not a valid id!"));
    }

    [Fact]
    public async Task Starting_with_a_taken_id_or_an_unknown_workflow_or_bad_input_is_refused()
    {
        await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input([]), "taken");

        Assert.Equal(StartOutcome.AlreadyExists, (await _runtime.Client.StartNewAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input([]), new StartOptions("taken"))).Outcome);
        Assert.Equal(StartOutcome.UnknownWorkflow, (await _runtime.Client.StartNewAsync("nope", 1)).Outcome);
        Assert.Equal(StartOutcome.InvalidInput, (await _runtime.Client.StartNewFromJsonAsync(SequenceWorkflow.Name, """{"items": 5}"""u8.ToArray())).Outcome);
        await Assert.ThrowsAsync<ArgumentException>(async () => await _runtime.Client.StartNewAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input([]), new StartOptions("bad id")));

        var generated = await _runtime.Client.StartNewFromJsonAsync(SequenceWorkflow.Name, """{"items": ["q"]}"""u8.ToArray());
        Assert.Equal(StartOutcome.Started, generated.Outcome);
        Assert.Matches("^[0-9a-f]{32}$", generated.InstanceId);
    }

    [Fact]
    public async Task A_workflow_that_throws_fails_with_the_exception_in_its_reason()
    {
        await using var runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new ThrowingWorkflow()));
        var id = await runtime.StartAsync(ThrowingWorkflow.Name, 0);
        await runtime.IdleAsync();

        var status = await runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Failed, status.RuntimeStatus);
        Assert.Equal("The workflow threw InvalidOperationException: bug", status.Reason);
    }

    private sealed class ThrowingWorkflow() : Workflow<int, int, int>(Name)
    {
        public new const string Name = "test.throwing";

        public override int Start(int input, IWorkflowContext<int, int> context) => throw new InvalidOperationException("bug");

        public override int Handle(int state, WorkflowMessage message, IWorkflowContext<int, int> context) => state;
    }
}
