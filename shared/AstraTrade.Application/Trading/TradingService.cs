using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>The practice trading use cases: the commands of the account aggregate, fed with live marks and the trader's profile.</summary>
public sealed class TradingService(
    Accounts accounts,
    MarketCatalog markets,
    IMarketData marketData,
    Tournaments.TournamentAccounts tournamentAccounts,
    TimeProvider time)
{
    private TradingRules Rules => accounts.Rules;

    /// <summary>Sets or clears a position's stop-loss and take-profit (PATCH /positions/{id}); the trigger watcher
    /// sees the change through the feed.</summary>
    public async ValueTask<Result<PositionResponse>> SetProtectionAsync(
        Guid userId, AccountSelector account, Guid positionId, Protection protection, CancellationToken cancellationToken)
    {
        var stream = await tournamentAccounts.ResolveAsync(userId, account, trading: true, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
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
        var stream = await tournamentAccounts.ResolveAsync(userId, account, trading: true, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
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
        var stream = await tournamentAccounts.ResolveAsync(userId, account, trading: false, cancellationToken);
        return stream.IsSuccess ? View((await accounts.Repository.LoadAsync(stream.Value, cancellationToken)).State) : stream.Error!;
    }

    public async ValueTask<Result<IReadOnlyList<PositionResponse>>> GetOpenPositionsAsync(Guid userId, AccountSelector account, CancellationToken cancellationToken)
    {
        var stream = await tournamentAccounts.ResolveAsync(userId, account, trading: false, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
        }

        var (state, _) = await accounts.Repository.LoadAsync(stream.Value, cancellationToken);
        IReadOnlyList<PositionResponse> open = [.. state.OpenPositions.Values
            .OrderByDescending(p => p.Terms.OpenedAt)
            .ThenBy(p => p.Id)
            .Select(p => TradingViews.Open(p, Mark(p.Terms.Market)?.Price))];
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
