namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// What a workflow reacts to in <see cref="Workflow{TInput,TState,TOutput}.Handle"/>: one of
/// <see cref="ActivityCompleted"/>, <see cref="ActivityFailed"/>, <see cref="TimerFired"/>, <see cref="EventRaised"/>
/// and <see cref="Compensated"/>. Each is delivered at most once to the workflow (the runtime deduplicates), and
/// only for things the workflow asked for: a call it made, a timer it started and has not cancelled, an event it
/// waits for, a compensation it requested.
/// </summary>
public abstract record WorkflowMessage;

/// <summary>The call <paramref name="CallId"/> to <paramref name="ActivityName"/> returned <paramref name="Result"/> (JSON).</summary>
public sealed record ActivityCompleted(int CallId, string ActivityName, ReadOnlyMemory<byte> Result) : WorkflowMessage
{
    /// <summary>True when the call was to <paramref name="activity"/>.</summary>
    public bool Is<TInput, TOutput>(Activity<TInput, TOutput> activity) => ActivityName == activity.Name;

    /// <summary>The result, read as <paramref name="activity"/>'s result type.</summary>
    public TOutput ResultAs<TInput, TOutput>(Activity<TInput, TOutput> activity) => activity.ReadOutput(Result.Span);
}

/// <summary>The call <paramref name="CallId"/> failed for good: <paramref name="Attempts"/> attempts were made and its
/// retry policy allows no more (attempts used up, or its retry timeout passed). <paramref name="Error"/> is the last
/// attempt's exception message.</summary>
public sealed record ActivityFailed(int CallId, string ActivityName, string Error, int Attempts) : WorkflowMessage
{
    public bool Is<TInput, TOutput>(Activity<TInput, TOutput> activity) => ActivityName == activity.Name;
}

/// <summary>The timer <paramref name="TimerId"/>, due at <paramref name="DueTime"/>, fired (at
/// <see cref="IWorkflowContext{TInput,TOutput}.Now"/>, which is never earlier than the due time).</summary>
public sealed record TimerFired(int TimerId, DateTimeOffset DueTime) : WorkflowMessage;

/// <summary>The external event <paramref name="Name"/> the workflow waited for, with its JSON payload.</summary>
public sealed record EventRaised(string Name, ReadOnlyMemory<byte> Payload) : WorkflowMessage
{
    public bool Is<TPayload>(ExternalEvent<TPayload> externalEvent) => Name == externalEvent.Name;

    public TPayload PayloadAs<TPayload>(ExternalEvent<TPayload> externalEvent) => externalEvent.Read(Payload.Span);
}

/// <summary>The compensations that <see cref="IWorkflowContext{TInput,TOutput}.Compensate"/> started have all run,
/// newest first; <paramref name="Failures"/> lists those whose activity failed for good (the others still ran).</summary>
public sealed record Compensated(IReadOnlyList<CompensationFailure> Failures) : WorkflowMessage;

public sealed record CompensationFailure(string ActivityName, string Error);
