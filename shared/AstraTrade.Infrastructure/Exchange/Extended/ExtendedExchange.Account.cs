using System.Globalization;
using System.Net;
using AstraTrade.Application.Common;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Starknet;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Exchange.Extended;

// The account side of the live exchange: linking a user's Extended account, reading its balance, marks and positions,
// and telling the reconciler how a position ended there.
public sealed partial class ExtendedExchange
{
    public async ValueTask<Result<ExchangeAccount>> LinkAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (credentials.Vault is < 1 or > uint.MaxValue)
        {
            return ExtendedErrors.VaultInvalid();
        }

        if (string.IsNullOrWhiteSpace(credentials.ApiKey))
        {
            return ExtendedErrors.CredentialsInvalid();
        }

        ExtendedAccountInfo account;
        try
        {
            account = await client.GetAccountInfoAsync(credentials.ApiKey, cancellationToken);
        }
        catch (ExtendedUnauthorizedException)
        {
            return ExtendedErrors.CredentialsInvalid();
        }

        var publicKey = StarkEcdsa.GetStarkKey(credentials.StarkKey.RevealValue());
        if (!Felt.TryParse(account.L2Key, out var accountKey) || accountKey != publicKey || account.L2Vault != credentials.Vault)
        {
            logger.LogInformation("User {UserId}'s Stark key or vault {Vault} is not that of Extended account {AccountId}", userId, credentials.Vault, account.Number);
            return ExtendedErrors.KeyMismatch();
        }

        if (!string.Equals(account.Status, "ACTIVE", StringComparison.OrdinalIgnoreCase))
        {
            return ExtendedErrors.AccountInactive(account.Status);
        }

        await credentialVault.StoreAsync(userId, credentials, cancellationToken);
        logger.LogInformation("User {UserId} linked Extended account {AccountId} (vault {Vault})", userId, account.Number, credentials.Vault);
        return new ExchangeAccount(Name, account.Number.ToString(CultureInfo.InvariantCulture), credentials.Vault, publicKey.ToHexString());
    }

    public async ValueTask UnlinkAsync(Guid userId, CancellationToken cancellationToken)
    {
        await credentialVault.DeleteAsync(userId, cancellationToken);
        logger.LogInformation("User {UserId} unlinked their Extended account", userId);
    }

    public async ValueTask<Result<ExchangeBalance>> GetBalanceAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (await credentialVault.FindAsync(userId, cancellationToken) is not { } credentials)
        {
            return ExtendedErrors.NotLinked();
        }

        try
        {
            var balance = await client.GetBalanceAsync(credentials.ApiKey, cancellationToken);
            return new ExchangeBalance(balance.Balance, balance.Equity, balance.AvailableForTrade, balance.UnrealisedPnl, Time(balance.UpdatedTime));
        }
        catch (ExtendedUnauthorizedException)
        {
            return ExtendedErrors.CredentialsInvalid();
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            logger.LogWarning(e, "Extended's balance of user {UserId} could not be read", userId);
            return ExtendedErrors.Unavailable();
        }
    }

    /// <summary>The mark as of this read (Extended's market statistics carry no timestamp); null when Extended does not
    /// list the market or does not answer, which the account refuses as a missing price ("try again").</summary>
    public async ValueTask<MarkPrice?> GetMarkAsync(string market, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(market);
        try
        {
            return await client.GetMarketAsync(market, cancellationToken) is { } found ? new MarkPrice(found.MarketStats.MarkPrice, time.GetUtcNow()) : null;
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            logger.LogWarning(e, "Extended's mark of {Market} could not be read", market);
            return null;
        }
    }

    /// <summary>Extended down, throttling us past the client's retries, or answering 5xx: not a fault of the request.</summary>
    private static bool Unreachable(Exception e, CancellationToken cancellationToken) => e switch
    {
        ExtendedRateLimitedException => true,
        ExtendedUnauthorizedException => false,
        ExtendedApiException api => api.Status >= HttpStatusCode.InternalServerError,
        HttpRequestException => true,
        TaskCanceledException => !cancellationToken.IsCancellationRequested, // the client's timeout
        _ => false,
    };

    /// <summary>
    /// How a live position ended on Extended, if it has. While Extended holds a position on the same side in the market,
    /// it is open (Extended nets a market into one position, which is ours). Once it is gone, our closing order (its
    /// external id is the position's) is looked up: filled, it is the end. Otherwise the account's fills on the closing
    /// side since it opened say how: LIQUIDATION fills are a liquidation, anything else (DELEVERAGE, or a TRADE placed in Extended's
    /// own app) a close there, at their quantity-weighted price and summed fees. No fills yet: null, asked again later.
    /// </summary>
    public async ValueTask<ExchangePositionEnd?> FindEndAsync(ExchangePositionQuery position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(position);
        var (credentials, refusal) = await CredentialsAsync(position.AccountStream, cancellationToken);
        if (credentials is null)
        {
            logger.LogWarning("Cannot reconcile live position {PositionId}: {Reason}", position.PositionId, refusal!.Message);
            return null;
        }

        // The position first, our closing order second: a close of ours that fills between the two reads is then
        // seen as ours, never as an ending without us.
        var apiKey = credentials.ApiKey;
        var side = position.Side == PositionSide.Long ? "LONG" : "SHORT";
        var positions = await client.GetPositionsAsync(apiKey, cancellationToken);
        if (positions.Any(p => p.Market == position.Market && p.Side == side && p.Size > 0))
        {
            return null;
        }

        if (await client.GetOrderByExternalIdAsync(apiKey, CloseExternalId(position.PositionId), cancellationToken) is { } close
            && ExtendedAcks.HasEnded(close) && await ExecutionAsync(apiKey, close, cancellationToken) is { } closed)
        {
            return new ExchangePositionEnd(ExchangeEndKind.ClosedByOurOrder, closed);
        }

        var closingSide = position.Side == PositionSide.Long ? "SELL" : "BUY";
        var since = position.OpenedAt.ToUnixTimeMilliseconds();
        var exits = (await client.GetTradesAsync(apiKey, position.Market, cancellationToken))
            .Where(t => t.Side == closingSide && t.CreatedTime >= since && t.Qty > 0)
            .ToList();
        if (exits.Count == 0)
        {
            return null;
        }

        var quantity = exits.Sum(t => t.Qty);
        var price = exits.Sum(t => t.Price * t.Qty) / quantity;
        var kind = exits.Any(t => t.TradeType == "LIQUIDATION") ? ExchangeEndKind.Liquidated : ExchangeEndKind.ClosedOnExchange;
        return new ExchangePositionEnd(kind, new ExchangeExecution(price, quantity, exits.Sum(t => t.Fee ?? 0), Time(exits.Max(t => t.CreatedTime))));
    }

    /// <summary>The open positions of a user's linked account (one per market: Extended nets them).</summary>
    public async ValueTask<Result<IReadOnlyList<ExchangePosition>>> GetPositionsAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (await credentialVault.FindAsync(userId, cancellationToken) is not { } credentials)
        {
            return ExtendedErrors.NotLinked();
        }

        try
        {
            var positions = await client.GetPositionsAsync(credentials.ApiKey, cancellationToken);
            return Result<IReadOnlyList<ExchangePosition>>.Success([.. positions.Select(p => new ExchangePosition(
                p.Market, p.Side == "SHORT" ? PositionSide.Short : PositionSide.Long, p.Size, p.MarkPrice, p.LiquidationPrice))]);
        }
        catch (ExtendedUnauthorizedException)
        {
            return ExtendedErrors.CredentialsInvalid();
        }
        catch (Exception e) when (Unreachable(e, cancellationToken))
        {
            logger.LogWarning(e, "Extended's positions of user {UserId} could not be read", userId);
            return ExtendedErrors.Unavailable();
        }
    }

    /// <summary>The fills of a user's linked account, optionally of one market (liquidations are fills too).</summary>
    public async Task<Result<IReadOnlyList<ExtendedTrade>>> GetFillsAsync(Guid userId, string? market, CancellationToken cancellationToken) =>
        await credentialVault.FindAsync(userId, cancellationToken) is { } credentials
            ? Result<IReadOnlyList<ExtendedTrade>>.Success(await client.GetTradesAsync(credentials.ApiKey, market, cancellationToken))
            : ExtendedErrors.NotLinked();
}
