namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>At-least-once delivery: duplicates and stale messages change nothing; a lost queue is rebuilt from the store.</summary>
public sealed class RedeliveryTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new SequenceWorkflow()).AddWorkflow(new TimerWorkflow()).AddWorkflow(new EventWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Duplicate_activity_and_timer_messages_change_nothing()
    {
        var sequence = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["a", "b"]));
        var timers = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([5, 10], []));
        await _runtime.IdleAsync();
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(5));
        var versions = (await _runtime.StreamVersionAsync(sequence), await _runtime.StreamVersionAsync(timers));

        // Every message these instances ever had, again, and some that never were.
        await _runtime.DeliverAsync(WorkItem.ActivityAttempt(sequence, 1, 1, 1));
        await _runtime.DeliverAsync(WorkItem.ActivityAttempt(sequence, 1, 2, 1));
        await _runtime.DeliverAsync(WorkItem.ActivityAttempt(sequence, 1, 99, 1));
        await _runtime.DeliverAsync(WorkItem.ActivityAttempt(sequence, 2, 1, 1));
        await _runtime.DeliverAsync(WorkItem.Run(sequence, 1));
        await _runtime.DeliverAsync(WorkItem.Timer(timers, 1, 1, _runtime.Time.GetUtcNow()));
        await _runtime.DeliverAsync(WorkItem.Run(timers, 1));
        await _runtime.DeliverAsync(WorkItem.Run("ghost", 1));

        Assert.Equal(versions, (await _runtime.StreamVersionAsync(sequence), await _runtime.StreamVersionAsync(timers)));
        Assert.Equal(2, _activities.Attempts.Count);

        // A timer message that arrives early (e.g. a forged or clock-skewed one) waits for its due time.
        await _runtime.DeliverAsync(WorkItem.Timer(timers, 1, 2, _runtime.Time.GetUtcNow().AddSeconds(5)));
        Assert.Equal(versions.Item2, await _runtime.StreamVersionAsync(timers));
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(timers)).RuntimeStatus);
        Assert.Equal(2, (await _runtime.StepMessagesAsync(timers)).Count);
    }

    [Fact]
    public async Task After_a_restart_outstanding_activities_timers_retries_and_first_steps_are_recovered()
    {
        _activities.ShouldFail = (input, attempt) => input == "flaky" && attempt == 1;
        var timers = await _runtime.StartAsync(TimerWorkflow.Name, new TimerWorkflow.Input([30], []));
        var retried = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["flaky"], new RetryPolicy(3, TimeSpan.FromSeconds(20))));
        await _runtime.IdleAsync();
        Assert.Single(_activities.Of("flaky"));

        await _runtime.Host.StopAsync(CancellationToken.None);
        var pending = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["p"]));
        await _runtime.RestartAsync();
        await _runtime.IdleAsync();
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(pending)).RuntimeStatus);
        Assert.Single(_activities.Of("flaky")); // the retry waits for its time

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(retried)).RuntimeStatus);
        Assert.Equal(2, _activities.Of("flaky").Count());
        Assert.Equal(WorkflowRuntimeStatus.Running, (await _runtime.StatusAsync(timers)).RuntimeStatus);

        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(timers)).RuntimeStatus);
    }

    [Fact]
    public async Task An_activity_interrupted_by_a_crash_runs_again_with_the_same_idempotency_key()
    {
        var never = new TaskCompletionSource();
        _activities.Gate = _ => never.Task;
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["once"]));
        while (_activities.Attempts.Count == 0)
        {
            await Task.Delay(5);
        }

        _activities.Gate = null;
        var stop = _runtime.RestartAsync(); // the hung attempt is cancelled with the host and given back
        never.SetCanceled();
        await stop;
        await _runtime.IdleAsync();

        Assert.Equal(WorkflowRuntimeStatus.Completed, (await _runtime.StatusAsync(id)).RuntimeStatus);
        var attempts = _activities.Of("once").ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Single(attempts.Select(a => a.IdempotencyKey).Distinct());
        Assert.Equal(1, attempts[1].Number); // a redelivered attempt keeps its number
    }
}
