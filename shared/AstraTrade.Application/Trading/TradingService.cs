using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading.Live;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>The trading use cases outside an order's lifecycle: the commands of the account aggregate, fed with marks
/// (the simulated market's, or the exchange's for the live account) and the trader's profile.</summary>
public sealed class TradingService(
    Accounts accounts,
    MarketCatalog markets,
    IMarketData marketData,
    TradingAccounts tradingAccounts,
    TimeProvider time,
    ILiveExchange? liveExchange = null)
{
    private TradingRules Rules => accounts.Rules;

    /// <summary>Sets or clears a position's stop-loss and take-profit (PATCH /positions/{id}); the trigger watcher
    /// sees the change through the feed.</summary>
    public async ValueTask<Result<PositionResponse>> SetProtectionAsync(
        Guid userId, AccountSelector account, Guid positionId, Protection protection, CancellationToken cancellationToken)
    {
        var stream = await tradingAccounts.ResolveAsync(userId, account, trading: true, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
        }

        if (account.Kind == AccountKind.Live)
        {
            return LiveErrors.ProtectionNotSupported();
        }

        MarkPrice? mark = null;
        var result = await accounts.Repository.ExecuteAsync(
            stream.Value,
            state =>
            {
                mark = state.OpenPositions.TryGetValue(positionId, out var position) ? Mark(position.Terms.Market) : null;
                return Account.Decide(state, new SetProtection(positionId, protection, mark, time.GetUtcNow()), Rules);
            },
            cancellationToken);
        return result.IsSuccess ? TradingViews.Open(result.Value.State.OpenPositions[positionId], mark?.Price) : result.Error!;
    }

    public async ValueTask<Result<PositionResponse>> ClosePositionAsync(
        Guid userId, AccountSelector account, Guid positionId, CancellationToken cancellationToken)
    {
        var stream = await tradingAccounts.ResolveAsync(userId, account, trading: true, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
        }

        if (account.Kind == AccountKind.Live)
        {
            return await CloseLiveAsync(stream.Value, positionId, cancellationToken);
        }

        var result = await accounts.Repository.ExecuteAsync(
            stream.Value,
            state =>
            {
                var mark = state.OpenPositions.TryGetValue(positionId, out var position) ? Mark(position.Terms.Market) : null;
                return Account.Decide(state, new ClosePosition(positionId, mark, time.GetUtcNow()), Rules);
            },
            cancellationToken);
        return result.IsSuccess ? TradingViews.Ended(result.Value.Events.Single())! : result.Error!;
    }

    /// <summary>
    /// A live position closes on the exchange first (a reduce-only order, idempotent by position id), then the account
    /// records what it executed. A crash between the two leaves the position open here with its closing order filled
    /// there; closing again finds that order and records it, never placing a second one.
    /// </summary>
    private async ValueTask<Result<PositionResponse>> CloseLiveAsync(string stream, Guid positionId, CancellationToken cancellationToken)
    {
        var (state, _) = await accounts.Repository.LoadAsync(stream, cancellationToken);
        if (!state.OpenPositions.TryGetValue(positionId, out var position))
        {
            return TradingErrors.PositionNotOpen(state, positionId);
        }

        var terms = position.Terms;
        var ack = await liveExchange!.CloseAsync(new ExchangeClose(positionId, stream, terms.Market, terms.Side, terms.Quantity), cancellationToken);
        if (ack.Status != ExchangeAckStatus.Filled || ack.Execution is not { } execution)
        {
            return ack.Status == ExchangeAckStatus.Rejected
                ? new DomainError(ack.Code ?? "exchange-rejected", ack.Message ?? "The exchange refused the closing order.")
                : LiveErrors.ClosePending(positionId);
        }

        var result = await accounts.Repository.ExecuteAsync(
            stream, s => Account.Decide(s, new ClosePosition(positionId, ack.FillMark, time.GetUtcNow(), execution), Rules), cancellationToken);
        return result.IsSuccess ? TradingViews.Ended(result.Value.Events.Single())! : result.Error!;
    }

    public async ValueTask<Result<PracticeAccountResponse>> ResetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var marks = markets.All
            .Select(m => (m.Symbol, Mark: Mark(m.Symbol)))
            .Where(x => x.Mark is not null)
            .ToDictionary(x => x.Symbol, x => x.Mark!);
        var result = await accounts.Repository.ExecuteAsync(
            StreamIds.PracticeAccount(userId),
            s => Account.Decide(s, new ResetAccount(userId.ToString(), marks, time.GetUtcNow()), Rules),
            cancellationToken);
        return result.IsSuccess ? View(result.Value.State) : result.Error!;
    }

    public async ValueTask<Result<PracticeAccountResponse>> GetAccountAsync(Guid userId, AccountSelector account, CancellationToken cancellationToken)
    {
        var stream = await tradingAccounts.ResolveAsync(userId, account, trading: false, cancellationToken);
        return stream.IsSuccess ? View((await accounts.Repository.LoadAsync(stream.Value, cancellationToken)).State) : stream.Error!;
    }

    public async ValueTask<Result<IReadOnlyList<PositionResponse>>> GetOpenPositionsAsync(Guid userId, AccountSelector account, CancellationToken cancellationToken)
    {
        var stream = await tradingAccounts.ResolveAsync(userId, account, trading: false, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
        }

        var (state, _) = await accounts.Repository.LoadAsync(stream.Value, cancellationToken);
        var newestFirst = state.OpenPositions.Values.OrderByDescending(p => p.Terms.OpenedAt).ThenBy(p => p.Id);
        if (account.Kind == AccountKind.Live && state.OpenPositions.Count > 0)
        {
            return await LiveViewsAsync(userId, newestFirst, cancellationToken);
        }

        IReadOnlyList<PositionResponse> open = [.. newestFirst.Select(p => TradingViews.Open(p, Mark(p.Terms.Market)?.Price))];
        return Result<IReadOnlyList<PositionResponse>>.Success(open);
    }

    /// <summary>
    /// Live positions as the exchange holds them now: its mark, and its liquidation price, which depends on the whole
    /// account's margin there (DOMAIN.md's isolated formula would be wrong for them). Without an answer from the
    /// exchange there is nothing true to show, so the read fails with the reason.
    /// </summary>
    private async ValueTask<Result<IReadOnlyList<PositionResponse>>> LiveViewsAsync(
        Guid userId, IEnumerable<Position> positions, CancellationToken cancellationToken)
    {
        var there = await liveExchange!.GetPositionsAsync(userId, cancellationToken);
        if (!there.IsSuccess)
        {
            return there.Error!;
        }

        IReadOnlyList<PositionResponse> open = [.. positions.Select(p =>
        {
            var held = there.Value.FirstOrDefault(x => x.Market == p.Terms.Market && x.Side == p.Terms.Side);
            var view = TradingViews.Open(p, held?.MarkPrice);
            return held?.LiquidationPrice is { } liquidation ? view with { LiquidationPrice = TradingViews.Price(liquidation) } : view;
        })];
        return Result<IReadOnlyList<PositionResponse>>.Success(open);
    }

    private PracticeAccountResponse View(AccountState state)
    {
        decimal? MarkOf(string market) => Mark(market)?.Price;
        var unrealized = state.OpenPositions.Values.Sum(p => p.UnrealizedPnl(MarkOf(p.Terms.Market) ?? p.Terms.EntryPrice));
        return new PracticeAccountResponse(
            state.Balance,
            Math.Round(state.EquityAt(MarkOf), 6, MidpointRounding.AwayFromZero),
            state.MarginInUse,
            Math.Round(unrealized, 6, MidpointRounding.AwayFromZero),
            state.OpenPositions.Count,
            state.StartingBalance,
            state.ResetAvailableAt(Rules));
    }

    private MarkPrice? Mark(string market) => marketData.LatestMark(market);
}
