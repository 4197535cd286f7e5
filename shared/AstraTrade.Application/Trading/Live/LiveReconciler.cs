using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Application.Trading.Live;

/// <summary>
/// Brings the live accounts up to date with the exchange, which can end a live position without us: it liquidates or
/// deleverages it, its owner closes it in Extended's own app, or our closing order filled and the process stopped
/// before recording it. Each open live position is asked about once per run; an ending is booked once (the account
/// refuses a second), so a repeated or overlapping run changes nothing.
/// </summary>
public sealed class LiveReconciler(OpenPositionsIndex positions, Accounts accounts, TimeProvider time, ILogger<LiveReconciler> logger, ILiveExchange? exchange = null)
{
    /// <summary>How many endings it booked.</summary>
    public async ValueTask<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        if (exchange is null)
        {
            return 0;
        }

        var booked = 0;
        foreach (var open in positions.LivePositions())
        {
            var terms = open.Terms;
            ExchangePositionEnd? end;
            try
            {
                end = await exchange.FindEndAsync(
                    new ExchangePositionQuery(open.PositionId, open.AccountStream, terms.Market, terms.Side, terms.Quantity, terms.OpenedAt), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // One account's trouble (a revoked key, the exchange briefly down) must not hold the others back.
                logger.LogWarning(e, "Could not reconcile live position {PositionId} in {Stream}", open.PositionId, open.AccountStream);
                continue;
            }

            if (end is null)
            {
                continue;
            }

            AccountCommand command = end.Kind == ExchangeEndKind.ClosedByOurOrder
                ? new ClosePosition(open.PositionId, null, time.GetUtcNow(), end.Exit)
                : new RecordExchangeEnd(open.PositionId, end.Exit, end.Kind == ExchangeEndKind.Liquidated, time.GetUtcNow());
            var result = await accounts.Repository.ExecuteAsync(open.AccountStream, state => Account.Decide(state, command, accounts.Rules), cancellationToken);
            if (result.IsSuccess)
            {
                booked += result.Value.Events.Count;
                logger.LogInformation("Live position {PositionId} in {Stream} ended on the exchange ({Kind}) at {Price}", open.PositionId, open.AccountStream, end.Kind, end.Exit.Price);
            }
            else if (result.Error!.Code != "position-already-closed")
            {
                logger.LogWarning("Live position {PositionId} in {Stream} ended on the exchange but was not booked: {Error}", open.PositionId, open.AccountStream, result.Error);
            }
        }

        return booked;
    }
}
