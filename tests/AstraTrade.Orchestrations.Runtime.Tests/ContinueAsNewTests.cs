namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>An eternal counter: each generation calls Echo with its count, then continues as new with count + 1, until
/// <see cref="Input.Until"/>; it also collects "ping" events one per generation when <see cref="Input.CollectPings"/>.</summary>
public sealed class CounterWorkflow() : Workflow<CounterWorkflow.Input, CounterWorkflow.Input, int>(Name)
{
    public new const string Name = "test.counter";

    public static readonly ExternalEvent<string> Ping = new("ping");

    public override Input Start(Input input, IWorkflowContext<Input, int> context)
    {
        if (input.CollectPings)
        {
            context.WaitForEvent(Ping);
        }
        else
        {
            context.CallActivity(TestActivities.Echo, $"count-{input.Count}");
        }

        return input;
    }

    public override Input Handle(Input state, WorkflowMessage message, IWorkflowContext<Input, int> context)
    {
        var next = message is EventRaised raised
            ? state with { Count = state.Count + 1, Pings = [.. state.Pings, raised.PayloadAs(Ping)] }
            : state with { Count = state.Count + 1 };
        if (next.Count >= state.Until)
        {
            context.Complete(next.Count);
        }
        else
        {
            context.ContinueAsNew(next);
        }

        return next;
    }

    public sealed record Input(int Count, int Until, bool CollectPings = false, string[]? Pings = null)
    {
        public string[] Pings { get; init; } = Pings ?? [];
    }
}

public sealed class ContinueAsNewTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new CounterWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Continue_as_new_keeps_the_id_starts_a_new_generation_and_trims_the_history()
    {
        var id = await _runtime.StartAsync(CounterWorkflow.Name, new CounterWorkflow.Input(0, 5), instanceId: "counter-1");
        await _runtime.IdleAsync();

        var status = await _runtime.StatusAsync(id, showHistory: true);
        Assert.Equal("counter-1", status.InstanceId);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(5, status.Output!.Value.GetInt32());
        Assert.Equal(5, status.Generation);
        Assert.Equal(4, status.Input!.Value.GetProperty("count").GetInt32()); // the input carried into the last generation
        Assert.Equal(["created", "step", "step", "completed"], status.History!.Select(e => e.EventType));
        Assert.Equal(["count-0", "count-1", "count-2", "count-3", "count-4"], _activities.Attempts.Select(a => a.Input));
        Assert.Equal(5, _activities.Attempts.Select(a => a.IdempotencyKey).Distinct().Count());

        // Earlier generations stay in the log, for audit.
        var first = await _runtime.Client.GetHistoryAsync(id, 1);
        Assert.Equal(["created", "step", "step", "continued-as-new"], first.Select(e => e.EventType));
        Assert.Equal(1, first[^1].Data.GetProperty("input").GetProperty("count").GetInt32());

        var page = await _runtime.Client.ListAsync(new WorkflowQuery());
        var listed = Assert.Single(page.Instances);
        Assert.Equal((id, 5, WorkflowRuntimeStatus.Completed), (listed.InstanceId, listed.Generation, listed.RuntimeStatus));
    }

    [Fact]
    public async Task Buffered_events_carry_over_to_the_next_generation()
    {
        var id = await _runtime.StartAsync(CounterWorkflow.Name, new CounterWorkflow.Input(0, 3, CollectPings: true));
        await _runtime.Host.StopAsync(CancellationToken.None); // let the events pile up first
        foreach (var payload in new[] { "one", "two", "three" })
        {
            await _runtime.Client.RaiseEventAsync(id, CounterWorkflow.Ping, payload);
        }

        await _runtime.RestartAsync();
        await _runtime.IdleAsync();

        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(3, status.Generation);
        Assert.Equal(["one", "two"], status.Input!.Value.GetProperty("pings").Deserialize<string[]>()!);
    }

    [Fact]
    public async Task A_crash_between_the_end_of_a_generation_and_the_start_of_the_next_is_repaired()
    {
        var id = await _runtime.StartAsync(CounterWorkflow.Name, new CounterWorkflow.Input(0, 3, CollectPings: true));
        await _runtime.IdleAsync();

        // Simulate the crash: end generation 1 by hand (as the runtime would), without creating generation 2.
        var ended = new ContinuedAsNew(_runtime.Time.GetUtcNow(), new RawJson("""{"count":1,"until":3,"collectPings":true,"pings":["x"]}"""u8.ToArray()), null);
        await _runtime.Store.Events.AppendAsync($"wf-{id}-1", await _runtime.StreamVersionAsync(id), [RuntimeEvents.Serialize(ended)]);
        Assert.Equal(0, await _runtime.StreamVersionAsync(id, 2));

        await _runtime.RestartAsync();
        await _runtime.IdleAsync();
        Assert.Equal(2, await _runtime.StreamVersionAsync(id, 2));
        var status = await _runtime.StatusAsync(id);
        Assert.Equal((2, WorkflowRuntimeStatus.Running), (status.Generation, status.RuntimeStatus));

        await _runtime.Client.RaiseEventAsync(id, CounterWorkflow.Ping, "y");
        await _runtime.Client.RaiseEventAsync(id, CounterWorkflow.Ping, "z");
        await _runtime.IdleAsync();
        status = await _runtime.StatusAsync(id);
        Assert.Equal((3, WorkflowRuntimeStatus.Completed), (status.Generation, status.RuntimeStatus));
        Assert.Equal(["x", "y"], status.Input!.Value.GetProperty("pings").Deserialize<string[]>()!);
    }
}
