namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class ExternalEventTests : IAsyncLifetime
{
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() =>
        _runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new EventWorkflow()).AddWorkflow(new SequenceWorkflow()));

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task An_event_raised_before_the_wait_is_buffered_and_delivered_when_the_wait_is_declared()
    {
        var id = await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1, WaitAfterSeconds: 60));
        await _runtime.IdleAsync();

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.RaiseEventAsync(id, EventWorkflow.Ping, "early"));
        await _runtime.IdleAsync();
        Assert.Equal(["created", "step", "event-received"], await _runtime.HistoryAsync(id));

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(60));
        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(["early"], status.Output!.Value.Deserialize<string[]>()!);

        // The wait and the buffered event met in one transition: the timer's step, then the event's step.
        Assert.Equal(["created", "step", "event-received", "step", "step", "completed"], await _runtime.HistoryAsync(id));
    }

    [Fact]
    public async Task An_event_raised_while_the_workflow_waits_is_delivered()
    {
        var id = await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1));
        await _runtime.IdleAsync();

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.RaiseEventAsync(id, EventWorkflow.Ping, "now"));
        await _runtime.IdleAsync();

        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal(["now"], status.Output!.Value.Deserialize<string[]>()!);
    }

    [Fact]
    public async Task Buffered_events_are_delivered_in_the_order_they_were_raised()
    {
        var id = await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(4, WaitAfterSeconds: 10));
        await _runtime.IdleAsync();
        foreach (var payload in new[] { "a", "b", "c" })
        {
            await _runtime.Client.RaiseEventAsync(id, EventWorkflow.Ping, payload);
        }

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WorkflowRuntimeStatus.Running, (await _runtime.StatusAsync(id)).RuntimeStatus);

        await _runtime.Client.RaiseEventAsync(id, EventWorkflow.Ping, "d");
        await _runtime.IdleAsync();

        var status = await _runtime.StatusAsync(id);
        Assert.Equal(["a", "b", "c", "d"], status.Output!.Value.Deserialize<string[]>()!);
    }

    [Fact]
    public async Task An_event_for_an_unknown_instance_is_not_found_and_discarded()
    {
        Assert.Equal(OperationOutcome.NotFound, await _runtime.Client.RaiseEventAsync("nobody", EventWorkflow.Ping, "x"));
        Assert.Null(await _runtime.Client.GetStatusAsync("nobody"));
        Assert.Equal(0, await _runtime.StreamVersionAsync("nobody"));
    }

    [Fact]
    public async Task An_event_for_a_finished_instance_is_gone()
    {
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input([]));
        await _runtime.IdleAsync();
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(id)).RuntimeStatus);
        var version = await _runtime.StreamVersionAsync(id);

        Assert.Equal(OperationOutcome.Gone, await _runtime.Client.RaiseEventAsync(id, EventWorkflow.Ping, "late"));
        Assert.Equal(version, await _runtime.StreamVersionAsync(id));
    }

    [Fact]
    public async Task An_event_payload_must_be_json()
    {
        var id = await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _runtime.Client.RaiseEventAsync(id, "ping", "{not json"u8.ToArray()));
    }
}
