namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class TimerTests : IAsyncLifetime
{
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new TimerWorkflow()));

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task A_timer_fires_once_at_its_due_time_and_never_before()
    {
        var id = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([10], []));
        await _runtime.IdleAsync();
        var due = _runtime.Time.GetUtcNow().AddSeconds(10);

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.Equal(WorkflowRuntimeStatus.Running, (await _runtime.StatusAsync(id)).RuntimeStatus);
        Assert.Empty(await _runtime.StepMessagesAsync(id));

        await _runtime.AdvanceAsync(TimeSpan.FromTicks(1));
        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        var fire = Assert.Single(status.Output!.Value.Deserialize<TimerWorkflow.Fire[]>(WorkflowJson.DefaultOptions)!);
        Assert.Equal(due, fire.Due);
        Assert.Equal(due, fire.FiredAt);

        // Much later, and with the timer's message delivered again, nothing more happens.
        var version = await _runtime.StreamVersionAsync(id);
        await _runtime.DeliverAsync(WorkItem.Timer(id, 1, fire.TimerId, due));
        await _runtime.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(version, await _runtime.StreamVersionAsync(id));
    }

    [Fact]
    public async Task Many_timers_fire_in_due_order_each_once()
    {
        double[] delays = [30, 5, 20, 5.5, 1, 12, 25, 2, 8, 16];
        var id = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input(delays, []));
        await _runtime.IdleAsync();

        for (var second = 0; second < 30; second++)
        {
            await _runtime.AdvanceAsync(TimeSpan.FromMilliseconds(500));
            await _runtime.AdvanceAsync(TimeSpan.FromMilliseconds(500));
        }

        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        var fires = status.Output!.Value.Deserialize<TimerWorkflow.Fire[]>(WorkflowJson.DefaultOptions)!;
        Assert.Equal(delays.Length, fires.Length);
        Assert.Equal(fires.Select(f => f.Due).Order(), fires.Select(f => f.Due));
        Assert.Equal(fires.Length, fires.Select(f => f.TimerId).Distinct().Count());
        Assert.All(fires, f => Assert.True(f.FiredAt >= f.Due));
    }

    [Fact]
    public async Task Timers_due_together_are_delivered_in_due_order_by_a_single_worker()
    {
        await using var serial = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new TimerWorkflow()), new WorkflowHostOptions { Concurrency = 1 });
        double[] delays = [9, 3, 7, 1, 5];
        var id = await serial.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input(delays, []));
        await serial.IdleAsync();

        await serial.AdvanceAsync(TimeSpan.FromSeconds(10));

        var fires = (await serial.StatusAsync(id)).Output!.Value.Deserialize<TimerWorkflow.Fire[]>(WorkflowJson.DefaultOptions)!;
        Assert.Equal([1, 3, 5, 7, 9], fires.Select(f => (int)(f.Due - serial.Time.GetUtcNow().AddSeconds(-10)).TotalSeconds));
    }

    [Fact]
    public async Task A_cancelled_timer_never_fires()
    {
        var id = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([5, 10], Cancel: [0]));
        await _runtime.IdleAsync();

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(6));
        Assert.Empty(await _runtime.StepMessagesAsync(id));

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(4));
        var fires = (await _runtime.StatusAsync(id)).Output!.Value.Deserialize<TimerWorkflow.Fire[]>(WorkflowJson.DefaultOptions)!;
        Assert.Equal(2, Assert.Single(fires).TimerId);
    }

    [Fact]
    public async Task A_timer_longer_than_the_queue_allows_fires_at_its_due_time()
    {
        await using var shortQueue = await RuntimeFixture.StartAsync(r => r.AddWorkflow(new TimerWorkflow()), maxQueueDelay: TimeSpan.FromHours(1));
        var id = await shortQueue.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([5 * 3600], []));
        await shortQueue.IdleAsync();

        for (var hour = 0; hour < 5; hour++)
        {
            await shortQueue.AdvanceAsync(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
            Assert.Equal(WorkflowRuntimeStatus.Running, (await shortQueue.StatusAsync(id)).RuntimeStatus);
            await shortQueue.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(WorkflowRuntimeStatus.Completed, (await shortQueue.StatusAsync(id)).RuntimeStatus);
    }

    [Fact]
    public async Task A_timer_survives_a_restart_and_fires_at_its_due_time()
    {
        var id = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([60], []));
        await _runtime.IdleAsync();
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(30));

        await _runtime.RestartAsync();
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal(WorkflowRuntimeStatus.Running, (await _runtime.StatusAsync(id)).RuntimeStatus);

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(id)).RuntimeStatus);
    }
}
