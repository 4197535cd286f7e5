using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading;
using AstraTrade.Application.Trading.Live;
using AstraTrade.Functions.Hosting;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// What each timer function does, whoever fires it: standalone, <see cref="StandaloneTriggers"/> on the declared
/// schedules; hosted, the Functions host through <c>POST /{functionName}</c>. Every job is safe to run twice for one
/// occurrence (funding is idempotent per funding time, tournament creation per tournament id, a live position's ending
/// per position), because both the host (after a failed or lost invocation) and a restart can repeat one.
/// </summary>
public sealed class ScheduledJobs(RiskEngine risk, TournamentService tournaments, LiveReconciler live, ILogger<ScheduledJobs> logger)
{
    /// <summary>The job of a declared timer function.</summary>
    /// <exception cref="KeyNotFoundException">A timer was declared without a job (a test keeps this from shipping).</exception>
    public Func<DateTimeOffset, CancellationToken, Task> For(string timerFunction) => timerFunction switch
    {
        AppFunctions.FundingTimer => ChargeFundingAsync,
        AppFunctions.TournamentSchedulerTimer => (_, ct) => CreateTournamentsAsync(ct),
        AppFunctions.LiveReconcileTimer => async (_, ct) => await live.ReconcileAsync(ct),
        _ => throw new KeyNotFoundException($"No job for timer function '{timerFunction}'."),
    };

    public async Task ChargeFundingAsync(DateTimeOffset fundingTime, CancellationToken cancellationToken)
    {
        var payments = await risk.ApplyFundingAsync(fundingTime, cancellationToken);
        logger.LogInformation("Funding at {FundingTime}: {Payments} payments", fundingTime, payments);
    }

    public async Task CreateTournamentsAsync(CancellationToken cancellationToken)
    {
        var created = await tournaments.CreateScheduledAsync(cancellationToken);
        if (created > 0)
        {
            logger.LogInformation("Created {Count} scheduled tournaments", created);
        }
    }
}
