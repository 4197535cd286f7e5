using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Functions.Hosting;
using AstraTrade.Infrastructure.MarketData.Simulated;
using AstraTrade.Infrastructure.Scheduling;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// The trigger sources this process runs itself (ARCHITECTURE.md §2). Standalone, without a Functions host: all of
/// them, calling the same handlers the host would: the simulated market's ticks, the feed subscriptions, liquidation and
/// the trade watch (limit orders, stop-loss, take-profit) on every tick, the hourly funding schedule, the tournament
/// scheduler and the live-position reconciler. Under the Functions host, the host fires the timers and the durable feed reactors (Hosting/Invocations),
/// and this keeps what it cannot: the market, the tick handling and the in-memory projections (FeedSubscriptions.All).
/// Tournaments and trades run as workflow instances (orchestrations/AstraTrade.Orchestrations) either way.
/// </summary>
public sealed class StandaloneTriggers(
    SimulatedMarket market,
    IMarketData marketData,
    FeedSubscriptions subscriptions,
    RiskEngine risk,
    Trading.TradeWatch tradeWatch,
    ScheduledJobs jobs,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<StandaloneTriggers> logger) : BackgroundService
{
    /// <summary>Funding is charged at the top of every hour (the timer-funding function's schedule, Hosting/AppFunctions.cs).</summary>
    public const string FundingSchedule = Hosting.AppFunctions.FundingSchedule;

    /// <summary>Daily and weekly tournaments are created 48 h ahead; hourly (and once at start) keeps that true
    /// (the timer-tournament-scheduler function's schedule, Hosting/AppFunctions.cs).</summary>
    public const string TournamentSchedulerSchedule = Hosting.AppFunctions.TournamentSchedulerSchedule;

    /// <summary>Live positions are compared with Extended's every minute (the timer-live-reconcile function's schedule).</summary>
    public const string LiveReconcileSchedule = Hosting.AppFunctions.LiveReconcileSchedule;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        List<Task> loops =
        [
            Run("market", () => market.RunAsync(stoppingToken)),
            Run("liquidations", () => LiquidateOnTicksAsync(stoppingToken)),
            .. subscriptions.All.Select(s => Run("feed:" + s.Name, () => s.RunAsync(stoppingToken))),
        ];
        if (!AppHosting.UnderFunctionsHost(configuration))
        {
            loops.Add(Run("funding", () => RunTimerAsync(AppFunctions.FundingTimer, FundingSchedule, stoppingToken)));
            loops.Add(Run("tournament-scheduler", async () =>
            {
                await RunJobAsync(AppFunctions.TournamentSchedulerTimer, time.GetUtcNow(), stoppingToken);
                await RunTimerAsync(AppFunctions.TournamentSchedulerTimer, TournamentSchedulerSchedule, stoppingToken);
            }));
            loops.Add(Run("live-reconcile", () => RunTimerAsync(AppFunctions.LiveReconcileTimer, LiveReconcileSchedule, stoppingToken)));
        }

        return Task.WhenAll(loops);
    }

    private Task RunTimerAsync(string function, string schedule, CancellationToken stoppingToken) => CronTimer.RunAsync(
        NCrontabSchedule.Parse(schedule),
        time,
        async (due, ct) => await jobs.For(function)(due, ct),
        (due, ex) => logger.LogError(ex, "{Function} at {Due} failed", function, due),
        stoppingToken);

    private async Task RunJobAsync(string function, DateTimeOffset due, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.For(function)(due, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "{Function} at {Due} failed", function, due);
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
