using System.Text.Json;
using AstraTrade.Application.Common;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Users;
using AstraTrade.Domain.Trading;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Trading.Live;

/// <summary>
/// The live account's gate and its link to the exchange. Live trading needs (DOMAIN.md §1) identity verification, a
/// plan that includes it and a linked exchange account. Plans do not exist yet (a later issue), so the plan check is
/// not made; the other two are checked on every live trading request. Without Extended settings every live request
/// is refused as not configured.
/// </summary>
public sealed class LiveAccounts(IDocumentStore documents, UserDirectory users, Accounts accounts, TimeProvider time, ILiveExchange? exchange = null)
{
    private const string Collection = "live-links";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public bool IsConfigured => exchange is not null;

    /// <summary>The live account's stream, or the gate the caller has not passed.</summary>
    public async ValueTask<Result<string>> ResolveAsync(Guid userId, bool trading, CancellationToken cancellationToken)
    {
        if (exchange is null)
        {
            return LiveErrors.NotConfigured();
        }

        if (trading)
        {
            var user = await users.GetAsync(userId, cancellationToken);
            if (user.Tier != VerificationTier.Identity)
            {
                return LiveErrors.IdentityVerificationRequired();
            }

            if (await FindLinkAsync(userId, cancellationToken) is null)
            {
                return LiveErrors.NotLinked();
            }
        }

        return Eventing.StreamIds.LiveAccount(userId);
    }

    /// <summary>Checks the credentials with the exchange, keeps them there, and records the link. Linking again replaces it.</summary>
    public async ValueTask<Result<LiveLink>> LinkAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken)
    {
        if (exchange is null)
        {
            return LiveErrors.NotConfigured();
        }

        var linked = await exchange.LinkAsync(userId, credentials, cancellationToken);
        if (!linked.IsSuccess)
        {
            return linked.Error!;
        }

        var account = linked.Value;
        var link = new LiveLink(account.Exchange, account.AccountId, account.Vault, account.PublicKey, time.GetUtcNow());
        await documents.PutAsync(Collection, userId.ToString("N"), JsonSerializer.SerializeToUtf8Bytes(link, Json), Precondition.None, cancellationToken);
        return link;
    }

    /// <summary>Forgets the link and the credentials; refused while the live account holds positions or working orders.</summary>
    public async ValueTask<Result<bool>> UnlinkAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (exchange is null)
        {
            return LiveErrors.NotConfigured();
        }

        var (state, _) = await accounts.Repository.LoadAsync(Eventing.StreamIds.LiveAccount(userId), cancellationToken);
        var working = state.WorkingOrders.Count();
        if (state.OpenPositions.Count > 0 || working > 0)
        {
            return LiveErrors.StillTrading(state.OpenPositions.Count, working);
        }

        await exchange.UnlinkAsync(userId, cancellationToken);
        return await documents.DeleteAsync(Collection, userId.ToString("N"), Precondition.None, cancellationToken);
    }

    public async ValueTask<LiveLink?> FindLinkAsync(Guid userId, CancellationToken cancellationToken) =>
        await documents.GetAsync(Collection, userId.ToString("N"), cancellationToken) is { } stored
            ? JsonSerializer.Deserialize<LiveLink>(stored.Body.Span, Json)
            : null;

    /// <summary>The linked account's balance, read from the exchange now (a live account holds no money of ours).</summary>
    public async ValueTask<Result<ExchangeBalance>> GetBalanceAsync(Guid userId, CancellationToken cancellationToken) =>
        exchange is null ? LiveErrors.NotConfigured() : await exchange.GetBalanceAsync(userId, cancellationToken);

    /// <summary>Where the caller stands with each gate, for the app to say what is missing.</summary>
    public async ValueTask<LiveGates> GatesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var user = await users.GetAsync(userId, cancellationToken);
        return new LiveGates(user.Tier == VerificationTier.Identity, await FindLinkAsync(userId, cancellationToken));
    }

    /// <summary>The live account as recorded here (orders and positions as the exchange executed them).</summary>
    public async ValueTask<AccountState> LoadAsync(Guid userId, CancellationToken cancellationToken) =>
        (await accounts.Repository.LoadAsync(Eventing.StreamIds.LiveAccount(userId), cancellationToken)).State;
}

/// <param name="Link">Null until the user links an exchange account.</param>
public sealed record LiveGates(bool IdentityVerified, LiveLink? Link);
