using AstraTrade.Application.Common;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// The account's side of an order's lifecycle: reserve, fill, release and protection triggers, each one account
/// command. Every call is safe to repeat (the trade lifecycle runs its steps at least once): the decider accepts a
/// repeated reservation, fill or release with no new events, and this returns what the account holds.
/// </summary>
public sealed class OrderDesk(
    Accounts accounts, MarketCatalog markets, IMarketData marketData, ITraderProfiles traders, TimeProvider time, ILiveExchange? liveExchange = null)
{
    /// <summary>Every risk check, then collateral plus fee held from the balance.</summary>
    public async ValueTask<Result<OrderPlaced>> ReserveAsync(OrderTicket ticket, CancellationToken cancellationToken)
    {
        if (markets.Find(ticket.Market) is not { } market)
        {
            return ApplicationErrors.UnknownMarket(ticket.Market);
        }

        var trader = await traders.GetAsync(ticket.UserId, cancellationToken);

        // A live order is checked against the exchange's mark, the price it will trade near.
        var mark = ticket.IsLive && liveExchange is not null
            ? await liveExchange.GetMarkAsync(market.Symbol, cancellationToken)
            : Mark(market.Symbol);
        var command = new PlaceOrder(
            ticket.OrderId, ticket.IdempotencyKey, trader, market, ticket.Side, ticket.Leverage, ticket.Collateral, ticket.Type,
            ticket.LimitPrice, ticket.Protection, mark, time.GetUtcNow());
        var result = await accounts.Repository.ExecuteAsync(ticket.AccountStream, state => Account.Decide(state, command, accounts.Rules), cancellationToken);
        return result.IsSuccess ? result.Value.State.Orders[ticket.OrderId].Placed : result.Error!;
    }

    /// <summary>Fills at <paramref name="mark"/> (the exchange's fill) or at the latest mark; a live order with what the
    /// exchange executed. Null when the order had already filled (its position may have closed since).</summary>
    public async ValueTask<Result<PositionOpened?>> FillAsync(
        string accountStream, Guid orderId, string market, MarkPrice? mark, ExchangeExecution? execution, CancellationToken cancellationToken)
    {
        var command = new FillOrder(orderId, mark ?? Mark(market), time.GetUtcNow(), execution);
        var result = await accounts.Repository.ExecuteAsync(accountStream, state => Account.Decide(state, command, accounts.Rules), cancellationToken);
        return result.IsSuccess ? result.Value.Events.OfType<PositionOpened>().SingleOrDefault() : result.Error!;
    }

    /// <summary>Gives the reservation back; the release, or the order's state when it had already ended.</summary>
    public async ValueTask<Result<OrderRecord>> ReleaseAsync(string accountStream, Guid orderId, ReleaseReason reason, CancellationToken cancellationToken)
    {
        var command = new ReleaseOrder(orderId, reason, time.GetUtcNow());
        var result = await accounts.Repository.ExecuteAsync(accountStream, state => Account.Decide(state, command, accounts.Rules), cancellationToken);
        return result.IsSuccess ? result.Value.State.Orders[orderId] : result.Error!;
    }

    /// <summary>Closes the position if the latest mark has crossed its stop-loss or take-profit; the close, or the
    /// rule that stopped it (not triggered any more, already closed).</summary>
    public async ValueTask<Result<IAccountEvent>> TriggerAsync(string accountStream, Guid positionId, string market, CancellationToken cancellationToken)
    {
        if (Mark(market) is not { } mark)
        {
            return TradingErrors.MissingPrice(market);
        }

        var command = new TriggerProtection(positionId, mark, time.GetUtcNow());
        var result = await accounts.Repository.ExecuteAsync(accountStream, state => Account.Decide(state, command, accounts.Rules), cancellationToken);
        return result.IsSuccess ? Result<IAccountEvent>.Success(result.Value.Events.Single()) : result.Error!;
    }

    /// <summary>The order as the account holds it, if it is still remembered.</summary>
    public async ValueTask<OrderRecord?> FindAsync(string accountStream, Guid orderId, CancellationToken cancellationToken)
    {
        var (state, _) = await accounts.Repository.LoadAsync(accountStream, cancellationToken);
        return state.Orders.GetValueOrDefault(orderId);
    }

    private MarkPrice? Mark(string market) => marketData.LatestMark(market);
}
