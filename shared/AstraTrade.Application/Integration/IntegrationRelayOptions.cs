namespace AstraTrade.Application.Integration;

/// <summary>How the relay sizes its publish requests. The defaults are Event Grid's limits (a request of at most
/// 1 MB and 5,000 events); smaller values are for tests.</summary>
public sealed record IntegrationRelayOptions
{
    public const int EventGridMaxBytes = 1_048_576;
    public const int EventGridMaxEvents = 5_000;

    public int MaxRequestBytes { get; init; } = EventGridMaxBytes;

    public int MaxEventsPerRequest { get; init; } = EventGridMaxEvents;

    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive or is above Event Grid's.</exception>
    public IntegrationRelayOptions Validated()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestBytes, 1, nameof(MaxRequestBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxRequestBytes, EventGridMaxBytes, nameof(MaxRequestBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEventsPerRequest, 1, nameof(MaxEventsPerRequest));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxEventsPerRequest, EventGridMaxEvents, nameof(MaxEventsPerRequest));
        return this;
    }
}
