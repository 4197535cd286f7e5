using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Liquidates on ticks and charges funding on the hour. Both act through the account decider, which re-checks the
/// rule against the account's own state: the index only nominates, so a stale index can never liquidate a healthy
/// position or charge funding twice.
/// </summary>
public sealed class RiskEngine(
    Accounts accounts,
    OpenPositionsIndex index,
    IMarketData marketData,
    MarketCatalog markets,
    TimeProvider time,
    ILogger<RiskEngine> logger)
{
    /// <summary>Liquidates every position the tick's mark has taken under maintenance margin; returns how many.</summary>
    public async ValueTask<int> OnTickAsync(PriceTick tick, CancellationToken cancellationToken)
    {
        var liquidated = 0;
        var mark = new MarkPrice(tick.Price, tick.Time);
        foreach (var candidate in index.LiquidationCandidates(tick.Market, tick.Price))
        {
            var result = await accounts.Repository.ExecuteAsync(
                candidate.AccountStream,
                state => Account.Decide(state, new LiquidatePosition(candidate.PositionId, mark, time.GetUtcNow()), accounts.Rules),
                cancellationToken);
            if (result.IsSuccess)
            {
                liquidated++;
                logger.LogInformation("Liquidated position {PositionId} on {Market} at mark {Mark}", candidate.PositionId, tick.Market, tick.Price);
            }
        }

        return liquidated;
    }

    /// <summary>Applies the funding due at <paramref name="fundingTime"/> to every account with open positions. A market
    /// without a fresh mark (the same staleness limit as orders) is skipped for that hour rather than charged at an old price.</summary>
    public async ValueTask<int> ApplyFundingAsync(DateTimeOffset fundingTime, CancellationToken cancellationToken)
    {
        var quotes = new Dictionary<string, FundingQuote>(StringComparer.Ordinal);
        foreach (var market in markets.All)
        {
            if (marketData.TryGetLatest(market.Symbol, out var tick) && time.GetUtcNow() - tick.Time <= accounts.Rules.MaxMarkPriceAge)
            {
                quotes[market.Symbol] = new FundingQuote(tick.FundingRate, tick.Price);
            }
            else
            {
                logger.LogWarning("Funding at {FundingTime} skips {Market}: no fresh mark price", fundingTime, market.Symbol);
            }
        }

        var payments = 0;
        foreach (var stream in index.AccountsWithOpenPositions())
        {
            var result = await accounts.Repository.ExecuteAsync(
                stream, state => Account.Decide(state, new ApplyFunding(fundingTime, quotes, time.GetUtcNow()), accounts.Rules), cancellationToken);
            if (result.IsSuccess)
            {
                payments += result.Value.Events.Count;
            }
            else
            {
                logger.LogWarning("Funding at {FundingTime} for {Stream} failed: {Error}", fundingTime, stream, result.Error);
            }
        }

        logger.LogInformation("Funding at {FundingTime}: {Payments} payments", fundingTime, payments);
        return payments;
    }
}
