using System.Collections.Concurrent;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>Activities the tests share, and what they saw.</summary>
public static class TestActivities
{
    public static readonly Activity<string, string> Echo = new("test.echo");

    public static readonly Activity<string, string> Fail = new("test.fail");

    public static readonly Activity<string, string> Record = new("test.record");
}

/// <summary>Records every activity attempt (name, input, attempt, time), and can make attempts fail or wait.</summary>
public sealed class ActivityLog
{
    private readonly ConcurrentQueue<Attempt> _attempts = new();

    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    /// <summary>Attempts of an input fail while this says so (given the attempt number).</summary>
    public Func<string, int, bool> ShouldFail { get; set; } = (_, _) => false;

    /// <summary>Attempts of an input wait for this before returning.</summary>
    public Func<string, Task>? Gate { get; set; }

    public IEnumerable<Attempt> Of(string input) => Attempts.Where(a => a.Input == input);

    public void Register(WorkflowRegistry registry, Func<TimeProvider> clock)
    {
        registry
            .AddActivity(TestActivities.Echo, (input, context) => Run(TestActivities.Echo.Name, input, context, clock()))
            .AddActivity(TestActivities.Record, (input, context) => Run(TestActivities.Record.Name, input, context, clock()))
            .AddActivity(TestActivities.Fail, (input, context) => Run(TestActivities.Fail.Name, input, context, clock(), alwaysFail: true));
    }

    private async ValueTask<string> Run(string name, string input, ActivityContext context, TimeProvider time, bool alwaysFail = false)
    {
        _attempts.Enqueue(new Attempt(name, input, context.Attempt, time.GetUtcNow(), context.IdempotencyKey, context.IsCompensation));
        if (Gate is { } gate)
        {
            await gate(input);
        }

        if (alwaysFail || ShouldFail(input, context.Attempt))
        {
            throw new InvalidOperationException($"{name}({input}) attempt {context.Attempt} failed");
        }

        return input;
    }

    public sealed record Attempt(string Activity, string Input, int Number, DateTimeOffset At, string IdempotencyKey, bool IsCompensation);
}
