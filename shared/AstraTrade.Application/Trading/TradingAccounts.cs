using AstraTrade.Application.Common;
using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading.Live;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>
/// Every trading request names an account (<see cref="AccountSelector"/>); this turns it into the account's stream,
/// after the gate that account kind has: none for practice, the tournament's entry and window for a tournament
/// account, the DOMAIN.md §1 live gates for the live account.
/// </summary>
public sealed class TradingAccounts(TournamentAccounts tournaments, LiveAccounts live)
{
    /// <param name="trading">True to place, close or change; false to read.</param>
    public ValueTask<Result<string>> ResolveAsync(Guid userId, AccountSelector selector, bool trading, CancellationToken cancellationToken) =>
        selector.Kind switch
        {
            AccountKind.Tournament => tournaments.ResolveAsync(userId, selector, trading, cancellationToken),
            AccountKind.Live => live.ResolveAsync(userId, trading, cancellationToken),
            _ => ValueTask.FromResult(Result<string>.Success(selector.StreamFor(userId))),
        };
}
