namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>Calls <see cref="TestActivities.Echo"/> once per input item, one after the other; outputs the results.</summary>
public sealed class SequenceWorkflow() : Workflow<SequenceWorkflow.Input, SequenceWorkflow.State, string[]>(Name)
{
    public new const string Name = "test.sequence";

    public override State Start(Input input, IWorkflowContext<Input, string[]> context)
    {
        if (input.Items.Length == 0)
        {
            context.Complete([]);
            return new State(input.Items, []);
        }

        context.SetCustomStatus(new Progress(0, input.Items.Length));
        context.CallActivity(TestActivities.Echo, input.Items[0], input.Retry);
        return new State(input.Items, []);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<Input, string[]> context)
    {
        if (message is not ActivityCompleted completed)
        {
            context.Fail($"unexpected {message}");
            return state;
        }

        var results = state.Results.Append(completed.ResultAs(TestActivities.Echo)).ToArray();
        context.SetCustomStatus(new Progress(results.Length, state.Items.Length));
        if (results.Length == state.Items.Length)
        {
            context.Complete(results);
        }
        else
        {
            context.CallActivity(TestActivities.Echo, state.Items[results.Length]);
        }

        return state with { Results = results };
    }

    public sealed record Input(string[] Items, RetryPolicy? Retry = null);

    public sealed record State(string[] Items, string[] Results);

    public sealed record Progress(int Done, int Of);
}

/// <summary>Starts one timer per delay (seconds) and cancels those listed; records each fire; completes when every
/// timer not cancelled has fired, with the fires in order.</summary>
public sealed class TimerWorkflow() : Workflow<TimerWorkflow.Input, TimerWorkflow.State, TimerWorkflow.Fire[]>(Name)
{
    public new const string Name = "test.timers";

    public override State Start(Input input, IWorkflowContext<Input, Fire[]> context)
    {
        var ids = input.DelaysInSeconds.Select(d => context.StartTimer(TimeSpan.FromSeconds(d))).ToArray();
        foreach (var index in input.Cancel)
        {
            context.CancelTimer(ids[index]);
        }

        return new State(ids.Length - input.Cancel.Length, []);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<Input, Fire[]> context)
    {
        var fired = (TimerFired)message;
        var fires = state.Fires.Append(new Fire(fired.TimerId, fired.DueTime, context.Now)).ToArray();
        if (fires.Length == state.Expected)
        {
            context.Complete(fires);
        }

        return state with { Fires = fires };
    }

    public sealed record Input(double[] DelaysInSeconds, int[] Cancel);

    public sealed record State(int Expected, Fire[] Fires);

    public sealed record Fire(int TimerId, DateTimeOffset Due, DateTimeOffset FiredAt);
}

/// <summary>Waits (after <see cref="Input.WaitAfterSeconds"/>, if set) for <see cref="Input.Count"/> events named
/// "ping", one wait at a time; outputs their payloads in the order received.</summary>
public sealed class EventWorkflow() : Workflow<EventWorkflow.Input, EventWorkflow.State, string[]>(Name)
{
    public new const string Name = "test.events";

    public static readonly ExternalEvent<string> Ping = new("ping");

    public override State Start(Input input, IWorkflowContext<Input, string[]> context)
    {
        if (input.WaitAfterSeconds is { } delay)
        {
            context.StartTimer(TimeSpan.FromSeconds(delay));
        }
        else
        {
            context.WaitForEvent(Ping);
        }

        return new State(input.Count, []);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<Input, string[]> context)
    {
        switch (message)
        {
            case TimerFired:
                context.WaitForEvent(Ping);
                return state;
            case EventRaised raised when raised.Is(Ping):
                var received = state.Received.Append(raised.PayloadAs(Ping)).ToArray();
                if (received.Length == state.Count)
                {
                    context.Complete(received);
                }
                else
                {
                    context.WaitForEvent(Ping);
                }

                return state with { Received = received };
            default:
                context.Fail($"unexpected {message}");
                return state;
        }
    }

    public sealed record Input(int Count, double? WaitAfterSeconds = null);

    public sealed record State(int Count, string[] Received);
}
