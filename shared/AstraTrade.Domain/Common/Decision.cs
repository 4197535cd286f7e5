namespace AstraTrade.Domain.Common;

/// <summary>
/// What a decider returns: the events a command produces (possibly none, e.g. an idempotent repeat),
/// or the rule it broke. Deciders never throw for a business rule.
/// </summary>
public readonly struct Decision<TEvent>
{
    private readonly IReadOnlyList<TEvent>? _events;

    private Decision(IReadOnlyList<TEvent>? events, DomainError? error)
    {
        _events = events;
        Error = error;
    }

    public DomainError? Error { get; }

    public bool IsRejected => Error is not null;

    public IReadOnlyList<TEvent> Events => _events ?? [];

    public static Decision<TEvent> Accept(params IReadOnlyList<TEvent> events) => new(events, null);

    public static Decision<TEvent> Reject(DomainError error) => new(null, error);

    public static implicit operator Decision<TEvent>(DomainError error) => Reject(error);
}
