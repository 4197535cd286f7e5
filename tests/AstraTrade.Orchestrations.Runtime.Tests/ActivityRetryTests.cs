using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>Calls one activity with a retry policy; completes with its result, or "failed: error after n attempts".</summary>
public sealed class RetryingWorkflow() : Workflow<RetryingWorkflow.Input, string, string>(Name)
{
    public new const string Name = "test.retrying";

    public override string Start(Input input, IWorkflowContext<Input, string> context)
    {
        context.CallActivity(input.AlwaysFail ? TestActivities.Fail : TestActivities.Record, input.Value, input.Retry);
        return "calling";
    }

    public override string Handle(string state, WorkflowMessage message, IWorkflowContext<Input, string> context)
    {
        switch (message)
        {
            case ActivityCompleted completed:
                context.Complete(completed.ResultAs(TestActivities.Record));
                break;
            case ActivityFailed failed:
                context.Complete($"failed: {failed.Error} after {failed.Attempts} attempts");
                break;
        }

        return "done";
    }

    public sealed record Input(string Value, RetryPolicy Retry, bool AlwaysFail = false);
}

public sealed class ActivityRetryTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new RetryingWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task Retries_wait_first_interval_times_coefficient_to_the_attempt_capped_at_the_max_interval()
    {
        var policy = new RetryPolicy(6, TimeSpan.FromSeconds(1), BackoffCoefficient: 2, MaxRetryInterval: TimeSpan.FromSeconds(5));
        var start = _runtime.Time.GetUtcNow();
        var id = await _runtime.StartAsync(RetryingWorkflow.Name, new RetryingWorkflow.Input("x", policy, AlwaysFail: true));
        await _runtime.IdleAsync();

        // Expected waits after attempts 1..5: 1, 2, 4, 5 (capped), 5 (capped) seconds.
        foreach (var wait in new[] { 1, 2, 4, 5, 5 })
        {
            var attempts = _activities.Attempts.Count;
            await _runtime.AdvanceAsync(TimeSpan.FromSeconds(wait) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempts, _activities.Attempts.Count);
            await _runtime.AdvanceAsync(TimeSpan.FromMilliseconds(1));
            Assert.Equal(attempts + 1, _activities.Attempts.Count);
        }

        var at = _activities.Attempts.Select(a => (a.At - start).TotalSeconds);
        Assert.Equal([0d, 1, 3, 7, 12, 17], at);
        Assert.Equal([1, 2, 3, 4, 5, 6], _activities.Attempts.Select(a => a.Number));
        Assert.Single(_activities.Attempts.Select(a => a.IdempotencyKey).Distinct());

        // Six attempts made: no more, and the workflow was told.
        await _runtime.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(6, _activities.Attempts.Count);
        var status = await _runtime.StatusAsync(id);
        Assert.Equal("failed: InvalidOperationException: test.fail(x) attempt 6 failed after 6 attempts", status.Output!.Value.GetString());
        Assert.Equal(5, (await _runtime.HistoryAsync(id)).Count(e => e == "activity-retry-scheduled"));
    }

    [Fact]
    public async Task Retrying_stops_when_the_next_attempt_would_start_after_the_retry_timeout()
    {
        var policy = new RetryPolicy(100, TimeSpan.FromSeconds(1), BackoffCoefficient: 2, RetryTimeout: TimeSpan.FromSeconds(10));
        var id = await _runtime.StartAsync(RetryingWorkflow.Name, new RetryingWorkflow.Input("y", policy, AlwaysFail: true));
        await _runtime.IdleAsync();

        for (var second = 0; second < 30; second++)
        {
            await _runtime.AdvanceAsync(TimeSpan.FromSeconds(1));
        }

        // Attempts at 0, 1, 3 and 7 s; the next would start at 15 s, past the 10 s timeout.
        Assert.Equal(4, _activities.Attempts.Count);
        Assert.EndsWith("after 4 attempts", (await _runtime.StatusAsync(id)).Output!.Value.GetString());
    }

    [Fact]
    public async Task Without_a_policy_a_failed_attempt_fails_the_call()
    {
        var id = await _runtime.StartAsync(RetryingWorkflow.Name, new RetryingWorkflow.Input("z", RetryPolicy.None, AlwaysFail: true));
        await _runtime.IdleAsync();

        Assert.Single(_activities.Attempts);
        Assert.EndsWith("after 1 attempts", (await _runtime.StatusAsync(id)).Output!.Value.GetString());
    }

    [Fact]
    public async Task A_call_that_succeeds_on_a_retry_completes_once()
    {
        _activities.ShouldFail = (_, attempt) => attempt < 3;
        var id = await _runtime.StartAsync(RetryingWorkflow.Name, new RetryingWorkflow.Input("ok", new RetryPolicy(5, TimeSpan.FromSeconds(2))));
        await _runtime.IdleAsync();
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(2));
        await _runtime.AdvanceAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(3, _activities.Attempts.Count);
        var status = await _runtime.StatusAsync(id);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("ok", status.Output!.Value.GetString());
        var messages = await _runtime.StepMessagesAsync(id);
        Assert.Equal("activity-completed", Assert.Single(messages).GetProperty("kind").GetString());
    }

    [Fact]
    public void The_delay_after_attempt_n_is_min_of_first_times_coefficient_to_n_minus_1_and_max()
    {
        Prop.ForAll(
                Arb.From(Gen.Choose(0, 10_000)),
                Arb.From(Gen.Choose(100, 400)),
                Arb.From(Gen.Choose(1, 40)),
                (firstMs, coefficientPercent, attempt) =>
                {
                    var coefficient = coefficientPercent / 100.0;
                    var policy = new RetryPolicy(50, TimeSpan.FromMilliseconds(firstMs), coefficient, TimeSpan.FromMinutes(3));
                    var expected = Math.Min(firstMs * Math.Pow(coefficient, attempt - 1), TimeSpan.FromMinutes(3).TotalMilliseconds);
                    var delay = policy.DelayAfterAttempt(attempt);
                    return Math.Abs(delay.TotalMilliseconds - expected) < 0.001 && policy.DelayAfterAttempt(attempt + 1) >= delay;
                })
            .QuickCheckThrowOnFailure();
    }
}
