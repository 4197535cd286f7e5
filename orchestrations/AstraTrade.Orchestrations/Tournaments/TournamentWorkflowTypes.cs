using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Orchestrations.Tournaments;

/// <summary>What starts a tournament's instance: only the id. The phases and their times are read from the tournament
/// itself by the activities, so an instance never acts on a copy of the terms that could disagree with the aggregate.</summary>
public sealed record TournamentWorkflowInput(string TournamentId);

/// <summary>Where a tournament stands after an activity, as the aggregate says.</summary>
/// <param name="Status">The status reached (<see cref="TournamentStatus.NotCreated"/>: there is no such tournament).</param>
/// <param name="NextChangeAt">When the next phase change is due: registration opens, the start, or the end; null once
/// the tournament has ended.</param>
public sealed record TournamentProgress(TournamentStatus Status, DateTimeOffset? NextChangeAt);

/// <summary>The instance's custom status, for the management API.</summary>
/// <param name="Phase">The tournament's phase as last read (null until the first activity answers).</param>
/// <param name="NextCheckAt">When the instance looks at the tournament next (its timer), if it waits.</param>
/// <param name="LastError">Why the last activity failed after its retries, while the instance waits to try again.</param>
public sealed record TournamentWorkflowStatus(TournamentStatus? Phase, DateTimeOffset? NextCheckAt, string? LastError);

/// <summary>A finished instance's output: the tournament and how it ended (completed or cancelled).</summary>
public sealed record TournamentOutcome(string TournamentId, TournamentStatus Status);
