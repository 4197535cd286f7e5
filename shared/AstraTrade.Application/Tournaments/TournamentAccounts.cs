using AstraTrade.Application.Common;
using AstraTrade.Application.Trading;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Tournaments;

/// <summary>
/// The gate in front of tournament accounts: the account decider does not know tournaments, so every request to a
/// tournament account passes here first. Reading needs an entry; trading also needs the tournament live
/// (<see cref="Tournament.CheckTrading"/>: no trading outside the window). An entry's account is opened with the
/// starting balance its tournament fixed at creation.
/// </summary>
public sealed class TournamentAccounts(Tournaments tournaments, Accounts accounts, TimeProvider time)
{
    /// <summary>The stream of the selected account, or why the caller may not use it.</summary>
    public async ValueTask<Result<string>> ResolveAsync(Guid userId, AccountSelector selector, bool trading, CancellationToken cancellationToken)
    {
        var stream = selector.StreamFor(userId);
        var tournamentId = selector.TournamentId ?? throw new ArgumentException("Not a tournament account.", nameof(selector));

        var state = await tournaments.LoadAsync(tournamentId, cancellationToken);
        var user = userId.ToString();
        var refusal = state.Terms is null ? TournamentErrors.NotFound()
            : !state.Entries.ContainsKey(user) ? TournamentErrors.NotEntered(user)
            : trading ? Tournament.CheckTrading(state, user, time.GetUtcNow())
            : null;
        if (refusal is not null)
        {
            return refusal;
        }

        var opened = await OpenAsync(stream, user, state.Terms!.StartingBalance, cancellationToken);
        return opened.IsSuccess ? stream : opened.Error!;
    }

    /// <summary>Opens an entry's account (a no-op once open).</summary>
    public async ValueTask<Result<AccountState>> OpenAsync(string stream, string userId, decimal startingBalance, CancellationToken cancellationToken)
    {
        var (state, _) = await accounts.Repository.LoadAsync(stream, cancellationToken);
        if (state.IsOpened)
        {
            return state;
        }

        var result = await accounts.Repository.ExecuteAsync(
            stream, s => Account.Decide(s, new OpenAccount(userId, startingBalance, time.GetUtcNow()), accounts.Rules), cancellationToken);
        return result.IsSuccess ? result.Value.State : result.Error!;
    }
}
