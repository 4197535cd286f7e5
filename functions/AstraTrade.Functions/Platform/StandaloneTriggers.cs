using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Infrastructure.MarketData.Simulated;
using AstraTrade.Infrastructure.Scheduling;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// Standalone mode (ARCHITECTURE.md §2): without a Functions host, this process runs its own trigger sources and calls
/// the same handlers the host would: the simulated market's ticks, the feed subscriptions, liquidation on every tick,
/// and the hourly funding schedule.
/// </summary>
public sealed class StandaloneTriggers(
    SimulatedMarket market,
    IMarketData marketData,
    FeedSubscriptions subscriptions,
    RiskEngine risk,
    TimeProvider time,
    ILogger<StandaloneTriggers> logger) : BackgroundService
{
    /// <summary>Funding is charged at the top of every hour (NCRONTAB, as a Functions timer trigger would say it).</summary>
    public const string FundingSchedule = "0 0 * * * *";

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
            .. subscriptions.All.Select(s => Run("feed:" + s.Name, () => s.RunAsync(stoppingToken))),
        ]);

    private async Task LiquidateOnTicksAsync(CancellationToken cancellationToken)
    {
        await foreach (var tick in marketData.WatchAsync(cancellationToken))
        {
            try
            {
                await risk.OnTickAsync(tick, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Liquidation check for {Market} at {Price} failed", tick.Market, tick.Price);
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
