using AstraTrade.Application.Ports;
using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading;
using AstraTrade.Infrastructure.MarketData.Simulated;
using AstraTrade.Infrastructure.Scheduling;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// Standalone mode (ARCHITECTURE.md §2): without a Functions host, this process runs its own trigger sources and calls
/// the same handlers the host would: the simulated market's ticks, the feed subscriptions, liquidation and the trade
/// watch (limit orders, stop-loss, take-profit) on every tick, the hourly funding schedule and the tournament scheduler.
/// Tournaments and trades then run as workflow instances (orchestrations/AstraTrade.Orchestrations), on the workflow
/// host's durable timers.
/// </summary>
public sealed class StandaloneTriggers(
    SimulatedMarket market,
    IMarketData marketData,
    FeedSubscriptions subscriptions,
    RiskEngine risk,
    Trading.TradeWatch tradeWatch,
    TournamentService tournaments,
    TimeProvider time,
    ILogger<StandaloneTriggers> logger) : BackgroundService
{
    /// <summary>Funding is charged at the top of every hour (the timer-funding function's schedule, Hosting/AppFunctions.cs).</summary>
    public const string FundingSchedule = Hosting.AppFunctions.FundingSchedule;

    /// <summary>Daily and weekly tournaments are created 48 h ahead; hourly (and once at start) keeps that true
    /// (the timer-tournament-scheduler function's schedule, Hosting/AppFunctions.cs).</summary>
    public const string TournamentSchedulerSchedule = Hosting.AppFunctions.TournamentSchedulerSchedule;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        [
            Run("market", () => market.RunAsync(stoppingToken)),
            Run("liquidations", () => LiquidateOnTicksAsync(stoppingToken)),
            Run("funding", () => CronTimer.RunAsync(
                NCrontabSchedule.Parse(FundingSchedule),
                time,
                async (due, ct) => await risk.ApplyFundingAsync(due, ct),
                (due, ex) => logger.LogError(ex, "Funding at {Due} failed", due),
                stoppingToken)),
            Run("tournament-scheduler", async () =>
            {
                await CreateTournamentsAsync(stoppingToken);
                await CronTimer.RunAsync(
                    NCrontabSchedule.Parse(TournamentSchedulerSchedule),
                    time,
                    async (_, ct) => await CreateTournamentsAsync(ct),
                    (due, ex) => logger.LogError(ex, "Creating tournaments at {Due} failed", due),
                    stoppingToken);
            }),
            .. subscriptions.All.Select(s => Run("feed:" + s.Name, () => s.RunAsync(stoppingToken))),
        ]);

    private async Task CreateTournamentsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var created = await tournaments.CreateScheduledAsync(cancellationToken);
            if (created > 0)
            {
                logger.LogInformation("Created {Count} scheduled tournaments", created);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Creating scheduled tournaments failed");
        }
    }

    private async Task LiquidateOnTicksAsync(CancellationToken cancellationToken)
    {
        await foreach (var tick in marketData.WatchAsync(cancellationToken))
        {
            try
            {
                await risk.OnTickAsync(tick, cancellationToken);
                await tradeWatch.OnTickAsync(tick, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Tick handling (liquidations, trade watch) for {Market} at {Price} failed", tick.Market, tick.Price);
            }
        }
    }

    private async Task Run(string name, Func<Task> loop)
    {
        try
        {
            await Task.Run(loop);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "Standalone trigger {Trigger} stopped", name);
            throw;
        }
    }
}
