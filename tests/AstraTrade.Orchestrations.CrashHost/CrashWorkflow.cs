using System.Text;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.CrashHost;

/// <summary>
/// The crash test's workflow: two side effects, a timer (0–6 s), an external event, two more side effects (the last one
/// failing its first attempt for some instances, so retries happen too), then completion with every side effect's value.
/// </summary>
public sealed class CrashWorkflow() : Workflow<int, CrashWorkflow.State, string[]>(Name)
{
    public new const string Name = "crash.lifecycle";

    public const int EffectsPerInstance = 4;

    public static readonly ExternalEvent<string> Go = new("go");

    public static readonly Activity<EffectRequest, string> Effect = new("crash.effect");

    private static readonly RetryPolicy Retry = new(5, TimeSpan.FromMilliseconds(20), 2);

    public override State Start(int input, IWorkflowContext<int, string[]> context)
    {
        context.CallActivity(Effect, new EffectRequest("reserve", FailFirstAttempt: false), Retry);
        return new State(input, "reserving", []);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<int, string[]> context)
    {
        switch (state.Step, message)
        {
            case ("reserving", ActivityCompleted done):
                context.CallActivity(Effect, new EffectRequest("place", false), Retry);
                return state with { Step = "placing", Values = [.. state.Values, done.ResultAs(Effect)] };
            case ("placing", ActivityCompleted done):
                // Spread over six seconds, so that the work after the timers goes on while the host is killed and restarted.
                context.StartTimer(TimeSpan.FromMilliseconds(state.Index % 100 * 60));
                return state with { Step = "settling-delay", Values = [.. state.Values, done.ResultAs(Effect)] };
            case ("settling-delay", TimerFired):
                context.WaitForEvent(Go);
                return state with { Step = "waiting" };
            case ("waiting", EventRaised):
                context.CallActivity(Effect, new EffectRequest("settle", false), Retry);
                return state with { Step = "settling" };
            case ("settling", ActivityCompleted done):
                context.CallActivity(Effect, new EffectRequest("notify", FailFirstAttempt: state.Index % 7 == 0), Retry);
                return state with { Step = "notifying", Values = [.. state.Values, done.ResultAs(Effect)] };
            case ("notifying", ActivityCompleted done):
                var values = state.Values.Append(done.ResultAs(Effect)).ToArray();
                context.Complete(values);
                return state with { Step = "done", Values = values };
            default:
                context.Fail($"unexpected {message} in step {state.Step}");
                return state;
        }
    }

    public static string InstanceId(int index) => $"crash-{index:D4}";

    public sealed record State(int Index, string Step, string[] Values);

    public sealed record EffectRequest(string What, bool FailFirstAttempt);
}

/// <summary>
/// The side effect, made exactly once per call although the activity runs at least once (a kill between the effect and
/// the storing of its result runs the attempt again). The effect is an append to a stream of its own, named by the call's
/// idempotency key, expecting no stream: the first execution creates it, any later one fails the expectation and returns
/// what the first one did. Every execution is also logged (the attempts stream), and every deduplicated one too (the
/// dedup stream), so the crash test can tell that re-executions happened and were absorbed.
/// </summary>
public sealed class SideEffects(IEventStore events)
{
    public const string EffectStreamPrefix = "crash-effect-";
    public const string AttemptStream = "crash-attempts";
    public const string DedupStream = "crash-dedup";

    private static readonly TimeSpan EffectLatency = TimeSpan.FromMilliseconds(10);

    public static string EffectStream(string idempotencyKey) => EffectStreamPrefix + idempotencyKey;

    /// <summary>The value an effect event holds.</summary>
    public static string Read(RecordedEvent effect) => JsonSerializer.Deserialize<string>(effect.Data.Span)!;

    public void Register(WorkflowRegistry registry) => registry.AddActivity(CrashWorkflow.Effect, RunAsync);

    private async ValueTask<string> RunAsync(CrashWorkflow.EffectRequest request, ActivityContext context)
    {
        var cancellationToken = context.CancellationToken;
        await LogAsync(AttemptStream, "crash.attempt", context, cancellationToken);
        if (request.FailFirstAttempt && context.Attempt == 1)
        {
            throw new InvalidOperationException("the first attempt of this call fails");
        }

        var stream = EffectStream(context.IdempotencyKey);
        var value = $"{request.What}:{Guid.NewGuid():N}";
        try
        {
            await events.AppendAsync(
                stream, ExpectedVersion.NoStream, [new EventData(Guid.NewGuid(), "crash.effect", JsonSerializer.SerializeToUtf8Bytes(value))], cancellationToken);

            // As a real call's response takes a while after the effect: widens the window in which a kill makes the
            // runtime run this attempt again although its effect happened.
            await Task.Delay(EffectLatency, cancellationToken);
            return value;
        }
        catch (WrongExpectedVersionException)
        {
            await LogAsync(DedupStream, "crash.dedup", context, cancellationToken);
            return Read((await events.ReadStreamAsync(stream, 1, 1, cancellationToken))[0]);
        }
    }

    private async Task LogAsync(string stream, string type, ActivityContext context, CancellationToken cancellationToken)
    {
        var data = Encoding.UTF8.GetBytes($$"""{"key":"{{context.IdempotencyKey}}","attempt":{{context.Attempt}}}""");
        await events.AppendAsync(stream, ExpectedVersion.Any, [new EventData(Guid.NewGuid(), type, data)], cancellationToken);
    }
}
