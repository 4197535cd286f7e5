namespace AstraTrade.Domain.Tournaments;

/// <summary>
/// The kinds of DOMAIN.md §3. 0 stays unassigned so a missing or defaulted kind is rejected rather than read as daily.
/// Stored events carry the name, so names must never change.
/// </summary>
public enum TournamentKind
{
    /// <summary>00:00–24:00 UTC of one day, created by the scheduler.</summary>
    Daily = 1,

    /// <summary>Monday 00:00 UTC to the next Monday 00:00 UTC (an ISO week), created by the scheduler.</summary>
    Weekly = 2,

    /// <summary>Any window an admin chooses (within <see cref="TournamentRules.MinCustomDuration"/>–<see cref="TournamentRules.MaxCustomDuration"/>).</summary>
    Custom = 3,
}

/// <summary>The lifecycle of DOMAIN.md §3. Moves only forward: Scheduled → Registration → Live → Finalizing → Completed,
/// or to Cancelled from any phase before Finalizing.</summary>
public enum TournamentStatus
{
    /// <summary>The stream is empty: no tournament was created under this id.</summary>
    NotCreated = 0,
    Scheduled = 1,
    Registration = 2,
    Live = 3,

    /// <summary>The end has passed: trading is closed and standings wait for the final results.</summary>
    Finalizing = 4,
    Completed = 5,
    Cancelled = 6,
}

public enum CancellationReason
{
    /// <summary>Fewer than <see cref="TournamentTerms.MinPlayers"/> entries at the start.</summary>
    NotEnoughPlayers = 1,

    /// <summary>An admin cancelled it before it ended.</summary>
    ByAdmin = 2,
}

public enum ActorRole
{
    User = 1,
    Admin = 2,

    /// <summary>The application itself (the scheduler timer).</summary>
    System = 3,
}

/// <summary>Who sends an administrative command. The application takes the role from the caller's token, never from the request.</summary>
public sealed record Actor(string Id, ActorRole Role)
{
    public static Actor Scheduler { get; } = new("system:tournament-scheduler", ActorRole.System);
}
