using AstraTrade.Application.Common;
using AstraTrade.Application.Tournaments;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Orchestrations.Runtime;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Orchestrations.Tournaments;

/// <summary>
/// The tournament workflow's activities: the tournament service's phase changes, which are idempotent by the decider
/// (a change already applied, or a tournament already finalized or cancelled, is accepted and changes nothing), so an
/// attempt that runs twice is harmless and needs no key of its own. Each answers with where the tournament stands
/// afterwards, read from its stream. A transient failure (a concurrent write, a store error, a stale price during
/// settlement, an end not yet reached by this process's clock) throws, so the call's retry policy runs it again.
/// </summary>
public sealed class TournamentActivities(
    TournamentService service, Application.Tournaments.Tournaments tournaments, ILogger<TournamentActivities> logger)
{
    // Never rename: the names are stored with every call.
    public static readonly Activity<string, TournamentProgress> Advance = new("tournaments.advance", TournamentWorkflowJson.Default.Options);
    public static readonly Activity<string, TournamentProgress> Finalize = new("tournaments.finalize", TournamentWorkflowJson.Default.Options);

    /// <summary>Raised by <see cref="TournamentWorkflowReactor"/> when a tournament is cancelled; the payload is the
    /// cancellation reason. The workflow checks the tournament before it believes it.</summary>
    public static readonly ExternalEvent<string> Cancelled = new("tournament-cancelled", TournamentWorkflowJson.Default.Options);

    /// <summary>Applies the phase changes due now: registration opens, the start (or the cancellation for too few
    /// players, with refunds), the end.</summary>
    public async ValueTask<TournamentProgress> AdvanceAsync(string tournamentId, ActivityContext context)
    {
        var advanced = await service.AdvanceAsync(tournamentId, context.CancellationToken);
        return await ProgressAsync(tournamentId, advanced, context);
    }

    /// <summary>Settles the entries and pays the prizes of an ended tournament, exactly once whatever the retries.</summary>
    public async ValueTask<TournamentProgress> FinalizeAsync(string tournamentId, ActivityContext context)
    {
        var finalized = await service.FinalizeAsync(tournamentId, context.CancellationToken);
        var progress = await ProgressAsync(tournamentId, finalized, context);
        return progress.Status is TournamentStatus.Finalizing
            ? throw Failed(tournamentId, context, "it is still finalizing") // a concurrent finalization is under way
            : progress;
    }

    private async ValueTask<TournamentProgress> ProgressAsync(string tournamentId, Result<TournamentStatus> result, ActivityContext context)
    {
        if (!result.IsSuccess)
        {
            if (result.Error!.Code == TournamentErrors.NotFound().Code)
            {
                return new TournamentProgress(TournamentStatus.NotCreated, null);
            }

            throw Failed(tournamentId, context, $"{result.Error.Code}: {result.Error.Message}");
        }

        var state = await tournaments.LoadAsync(tournamentId, context.CancellationToken);
        var terms = state.Terms!;
        DateTimeOffset? next = state.Status switch
        {
            TournamentStatus.Scheduled => terms.RegistrationOpensAt,
            TournamentStatus.Registration => terms.StartsAt,
            TournamentStatus.Live => terms.EndsAt,
            _ => null,
        };
        return new TournamentProgress(state.Status, next);
    }

    private InvalidOperationException Failed(string tournamentId, ActivityContext context, string why)
    {
        logger.LogWarning("Tournament {Tournament} could not move on (attempt {Attempt} of {Call}): {Why}", tournamentId, context.Attempt, context.IdempotencyKey, why);
        return new InvalidOperationException($"Tournament {tournamentId} could not move on: {why}");
    }
}
