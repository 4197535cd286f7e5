using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// A workflow: a deterministic state machine (a process manager). <see cref="Start"/> turns the input into the first
/// state, <see cref="Handle"/> turns a state and a message into the next state; both ask the runtime for work through
/// the context (call an activity, start a timer, wait for an event, complete, …). The runtime stores each step's
/// state and commands in the instance's event stream before carrying the commands out, so a workflow is never replayed:
/// after a crash it goes on from the last stored state.
/// Rules (docs/workflows.md): no I/O, clocks, randomness or shared mutable state in <see cref="Start"/> and
/// <see cref="Handle"/> (use activities, <see cref="IWorkflowContext{TInput,TOutput}.Now"/> and
/// <see cref="IWorkflowContext{TInput,TOutput}.NewGuid"/>); the state must round-trip through JSON.
/// </summary>
/// <typeparam name="TInput">What starts an instance (and each generation after continue-as-new).</typeparam>
/// <typeparam name="TState">The state between steps. Prefer an immutable record.</typeparam>
/// <typeparam name="TOutput">What a completed instance returns.</typeparam>
public abstract class Workflow<TInput, TState, TOutput> : IWorkflowDefinition
{
    private readonly JsonTypeInfo<TInput> _input;
    private readonly JsonTypeInfo<TState> _state;
    private readonly JsonTypeInfo<TOutput> _output;

    /// <param name="name">Stored with every instance: never rename a workflow that has instances.</param>
    /// <param name="json">Serializer options for the input, state, output and custom status;
    /// <see cref="WorkflowJson.DefaultOptions"/> when null.</param>
    protected Workflow(string name, JsonSerializerOptions? json = null)
    {
        Name = Names.Check(name, "workflow name");
        Json = json ?? WorkflowJson.DefaultOptions;
        _input = WorkflowJson.TypeInfo<TInput>(Json);
        _state = WorkflowJson.TypeInfo<TState>(Json);
        _output = WorkflowJson.TypeInfo<TOutput>(Json);
    }

    public string Name { get; }

    internal JsonSerializerOptions Json { get; }

    Type IWorkflowDefinition.InputType => typeof(TInput);

    /// <summary>The first step: the instance's input → the first state (and the first commands).</summary>
    public abstract TState Start(TInput input, IWorkflowContext<TInput, TOutput> context);

    /// <summary>Every later step: the current state and a message → the next state (and commands).</summary>
    public abstract TState Handle(TState state, WorkflowMessage message, IWorkflowContext<TInput, TOutput> context);

    internal byte[] WriteInput(TInput input) => WorkflowJson.Write(input, _input);

    internal byte[] WriteOutput(TOutput output) => WorkflowJson.Write(output, _output);

    internal TOutput ReadOutput(ReadOnlySpan<byte> json) => WorkflowJson.Read(json, _output);

    void IWorkflowDefinition.CheckInput(ReadOnlySpan<byte> json) => WorkflowJson.Read(json, _input);

    byte[] IWorkflowDefinition.WriteInput(object? input) => input is TInput typed || input is null
        ? WorkflowJson.Write((TInput)input!, _input)
        : throw new ArgumentException($"The workflow '{Name}' takes {typeof(TInput).Name}, not {input.GetType().Name}.", nameof(input));

    StepOutcome IWorkflowDefinition.Start(ReadOnlySpan<byte> input, StepBuilder step)
    {
        var state = Start(WorkflowJson.Read(input, _input), new Context(this, step));
        return new StepOutcome(WorkflowJson.Write(state, _state), state);
    }

    StepOutcome IWorkflowDefinition.Handle(object? state, ReadOnlySpan<byte> stateJson, WorkflowMessage message, StepBuilder step)
    {
        var current = state is TState typed ? typed : WorkflowJson.Read(stateJson, _state);
        var next = Handle(current, message, new Context(this, step));
        return new StepOutcome(WorkflowJson.Write(next, _state), next);
    }

    /// <summary>The typed face of a <see cref="StepBuilder"/>.</summary>
    private sealed class Context(Workflow<TInput, TState, TOutput> workflow, StepBuilder step) : IWorkflowContext<TInput, TOutput>
    {
        public string InstanceId => step.InstanceId;

        public int Generation => step.Generation;

        public DateTimeOffset Now => step.Now;

        public Guid NewGuid() => step.NewGuid();

        public int CallActivity<TActivityInput, TActivityOutput>(
            Activity<TActivityInput, TActivityOutput> activity, TActivityInput input, RetryPolicy? retry = null)
        {
            ArgumentNullException.ThrowIfNull(activity);
            return step.CallActivity(activity.Name, activity.WriteInput(input), retry);
        }

        public int StartTimer(DateTimeOffset dueTime) => step.StartTimer(dueTime);

        public int StartTimer(TimeSpan delay) => step.StartTimer(step.Now + delay);

        public void CancelTimer(int timerId) => step.CancelTimer(timerId);

        public void WaitForEvent(string name) => step.WaitForEvent(Names.Check(name, "event name"));

        public void WaitForEvent<TPayload>(ExternalEvent<TPayload> externalEvent) => step.WaitForEvent(externalEvent.Name);

        public void StopWaitingForEvent(string name) => step.StopWaitingForEvent(name);

        public void SetCustomStatus<TStatus>(TStatus customStatus) =>
            step.SetCustomStatus(WorkflowJson.Write(customStatus, WorkflowJson.TypeInfo<TStatus>(workflow.Json)));

        public void OnCompensate<TActivityInput, TActivityOutput>(
            Activity<TActivityInput, TActivityOutput> activity, TActivityInput input, RetryPolicy? retry = null)
        {
            ArgumentNullException.ThrowIfNull(activity);
            step.OnCompensate(activity.Name, activity.WriteInput(input), retry);
        }

        public void Compensate() => step.Compensate();

        public void Complete(TOutput output) => step.End(StepEnding.Complete, workflow.WriteOutput(output), null);

        public void Fail(string reason) => step.End(StepEnding.Fail, null, reason ?? "failed");

        public void ContinueAsNew(TInput input) => step.End(StepEnding.ContinueAsNew, workflow.WriteInput(input), null);
    }
}

/// <summary>What the runtime needs of a workflow, whatever its types.</summary>
internal interface IWorkflowDefinition
{
    string Name { get; }

    Type InputType { get; }

    /// <summary>Throws <see cref="JsonException"/> when <paramref name="json"/> is not a valid input.</summary>
    void CheckInput(ReadOnlySpan<byte> json);

    byte[] WriteInput(object? input);

    StepOutcome Start(ReadOnlySpan<byte> input, StepBuilder step);

    StepOutcome Handle(object? state, ReadOnlySpan<byte> stateJson, WorkflowMessage message, StepBuilder step);
}

/// <summary>A step's new state, as stored (JSON) and as the object the workflow returned.</summary>
internal readonly record struct StepOutcome(byte[] StateJson, object? State);
