using AstraTrade.Domain.Tournaments;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Application.Tournaments;

/// <summary>
/// Drives every open tournament through its phases (registration → live → finalizing → completed): on each run it
/// advances those whose next phase change is due and finalizes the ended ones. A timer calls it every few seconds, so
/// a phase change happens within one period of its time; the decider applies changes by the clock anyway (a join or
/// trade after the start or end is judged against the time, not against this driver). Every step is idempotent, so a
/// crash, a restart or two instances running it at once change nothing but timing.
/// </summary>
public sealed class TournamentLifecycle(TournamentDirectory directory, TournamentService service, TimeProvider time, ILogger<TournamentLifecycle> logger)
{
    /// <summary>Runs the due steps; returns how many tournaments were stepped.</summary>
    public async ValueTask<int> RunDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var stepped = 0;
        foreach (var state in directory.Open())
        {
            var terms = state.Terms!;
            var due = state.Status switch
            {
                TournamentStatus.Scheduled => now >= terms.RegistrationOpensAt,
                TournamentStatus.Registration => now >= terms.StartsAt,
                TournamentStatus.Live => now >= terms.EndsAt,
                TournamentStatus.Finalizing => true,
                _ => false,
            };
            if (!due)
            {
                continue;
            }

            stepped++;
            var result = now >= terms.EndsAt
                ? await service.FinalizeAsync(state.TournamentId!, cancellationToken)
                : await service.AdvanceAsync(state.TournamentId!, cancellationToken);
            if (!result.IsSuccess)
            {
                // A stale price during settlement, for instance: the next run retries.
                logger.LogWarning("Tournament {Tournament} could not move on: {Error}", state.TournamentId, result.Error);
            }
        }

        return stepped;
    }
}
