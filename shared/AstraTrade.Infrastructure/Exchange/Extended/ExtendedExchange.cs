using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using AstraTrade.Starknet;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Live accounts on Extended (ARCHITECTURE.md §6). A live account's stream, <c>account-live-{userId:N}</c>, names its
/// owner, whose linked credentials (API key, Stark key, vault) come from the credential vault.
/// <para>Each order gets an external id derived from our id and a nonce derived from that, so a retried submit or close
/// finds the order it already placed instead of placing a second one (the port's idempotency). A market order is
/// Extended's MARKET order: IOC at a protective worst price (the mark moved by <see cref="ExtendedOptions.MarketSlippage"/>);
/// a limit order is GTT at its limit. Quantities are the order's notional at that price, rounded down to the market's
/// step so the reserved margin covers them. Extended keeps one leverage per market and account; it is set to the
/// order's before the order is placed, when it differs.</para>
/// <para>An API key Extended refuses (401) on an order path surfaces as <see cref="ExtendedUnauthorizedException"/>,
/// not as a rejection: an earlier attempt may have placed the order, and only the exchange knows.</para>
/// </summary>
public sealed class ExtendedExchange(
    ExtendedClient client, IExchangeCredentialVault credentialVault, ExtendedOptions options, TimeProvider time, ILogger<ExtendedExchange> logger) : ILiveExchange
{
    public string Name => "extended";

    /// <summary>Our id of an order on Extended: "astra-" and the order id's 32 hex digits.</summary>
    public static string ExternalId(Guid orderId) => "astra-" + orderId.ToString("N");

    /// <summary>Our id of the order that closes a position: "astra-close-" and the position id's 32 hex digits.</summary>
    public static string CloseExternalId(Guid positionId) => "astra-close-" + positionId.ToString("N");

    /// <summary>An order's nonce (its settlement salt): 31 bits of SHA-256 of its external id, the same on every retry.</summary>
    public static ulong Nonce(string externalId) =>
        BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(externalId)), 0) & 0x7FFF_FFFF;

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

    /// <summary>Places the order (or finds it placed). An API key Extended now refuses (revoked by its owner) is a
    /// rejection asking for a new link: nothing can have been placed with it.</summary>
    public async ValueTask<ExchangeAck> SubmitAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        try
        {
            return await PlaceOrderAsync(order, cancellationToken);
        }
        catch (ExtendedUnauthorizedException)
        {
            return KeyRefused(order.AccountStream);
        }
    }

    private async Task<ExchangeAck> PlaceOrderAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        var (credentials, refusal) = await CredentialsAsync(order.AccountStream, cancellationToken);
        if (credentials is null)
        {
            return refusal!;
        }

        var externalId = ExternalId(order.OrderId);
        if (await client.GetOrderByExternalIdAsync(credentials.ApiKey, externalId, cancellationToken) is { } placed)
        {
            logger.LogInformation("Order {OrderId} is already on Extended as {ExternalId} ({Status})", order.OrderId, externalId, placed.Status);
            return await OrderAckAsync(credentials.ApiKey, placed, order.Type, cancellationToken);
        }

        var market = await client.GetMarketAsync(order.Market, cancellationToken);
        if (market is null)
        {
            return ExtendedAcks.Rejected("unknown-market", $"Extended has no market {order.Market}.");
        }

        if (Halted(market) is { } halted)
        {
            return halted;
        }

        var config = market.TradingConfig;
        if (config.MaxLeverage is { } maxLeverage && order.Leverage > maxLeverage)
        {
            return ExtendedAcks.Rejected("leverage-out-of-range", $"{order.Market} allows at most {maxLeverage:0.##}x on Extended.");
        }

        if (await EnsureLeverageAsync(credentials.ApiKey, order.Market, order.Leverage, cancellationToken) is { } leverageRefusal)
        {
            return leverageRefusal;
        }

        var buy = order.Side == PositionSide.Long;
        var isMarket = order.Type == OrderType.Market;
        var price = isMarket
            ? WorstPrice(market, buy)
            : RoundToStep(order.LimitPrice ?? throw new ArgumentException("A limit order needs a limit price.", nameof(order)), config.MinPriceChange, up: !buy);
        var referencePrice = isMarket ? market.MarketStats.MarkPrice : price;
        var qty = RoundToStep(order.Notional / referencePrice, config.MinOrderSizeChange, up: false);
        if (qty < config.MinOrderSize || qty <= 0)
        {
            return ExtendedAcks.Rejected("order-too-small", $"{order.Notional} USD is below {order.Market}'s minimum order size of {config.MinOrderSize} on Extended.");
        }

        var expiry = time.GetUtcNow() + (isMarket ? options.MarketOrderLifetime : options.LimitOrderLifetime);
        var request = ExtendedOrderBuilder.Build(
            market, externalId, buy, isMarket, reduceOnly: false, qty, price, options.MaxFeeRate, expiry, Nonce(externalId), checked((uint)credentials.Vault),
            credentials.StarkKey, options.SigningDomain);
        return await PlaceAsync(credentials.ApiKey, request, order.OrderId, p => OrderAckAsync(credentials.ApiKey, p, order.Type, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Cancels the order on Extended; true once it is no longer working there without a fill. With an API key Extended
    /// now refuses, the order cannot be seen or cancelled: it is given up here (true), with a warning, rather than
    /// holding the account's market forever. Its owner revoked the key and sees the order in Extended's own app.
    /// </summary>
    public async ValueTask<bool> CancelAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        try
        {
            return await CancelOrderAsync(order, cancellationToken);
        }
        catch (ExtendedUnauthorizedException)
        {
            logger.LogWarning("Order {OrderId} cannot be cancelled on Extended: the API key of {Stream} is refused; released here", order.OrderId, order.AccountStream);
            return true;
        }
    }

    private async Task<bool> CancelOrderAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        var (credentials, _) = await CredentialsAsync(order.AccountStream, cancellationToken);
        if (credentials is null)
        {
            logger.LogWarning("Order {OrderId} cannot be cancelled on Extended: {Stream} is not a linked live account", order.OrderId, order.AccountStream);
            return true;
        }

        var externalId = ExternalId(order.OrderId);
        var placed = await client.GetOrderByExternalIdAsync(credentials.ApiKey, externalId, cancellationToken);
        if (placed is null || ExtendedAcks.HasEnded(placed))
        {
            return placed is null || !ExtendedAcks.HasFill(placed);
        }

        try
        {
            await client.CancelByExternalIdAsync(credentials.ApiKey, externalId, cancellationToken);
        }
        catch (ExtendedApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            // It finished between the read and the cancel: what it finished as decides.
        }

        // A cancel is taken asynchronously: until the order reads as ended it is still working (false: ask StatusAsync).
        var after = await client.GetOrderByExternalIdAsync(credentials.ApiKey, externalId, cancellationToken);
        return after is null || (ExtendedAcks.HasEnded(after) && !ExtendedAcks.HasFill(after));
    }

    public async ValueTask<ExchangeAck> StatusAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var (credentials, refusal) = await CredentialsAsync(order.AccountStream, cancellationToken);
        if (credentials is null)
        {
            return refusal!;
        }

        try
        {
            var placed = await client.GetOrderByExternalIdAsync(credentials.ApiKey, ExternalId(order.OrderId), cancellationToken);
            return placed is null ? new ExchangeAck(ExchangeAckStatus.Pending) : await OrderAckAsync(credentials.ApiKey, placed, order.Type, cancellationToken);
        }
        catch (ExtendedUnauthorizedException)
        {
            return KeyRefused(order.AccountStream);
        }
    }

    public async ValueTask<ExchangeAck> CloseAsync(ExchangeClose close, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(close);
        try
        {
            return await ClosePositionAsync(close, cancellationToken);
        }
        catch (ExtendedUnauthorizedException)
        {
            return KeyRefused(close.AccountStream);
        }
    }

    private async Task<ExchangeAck> ClosePositionAsync(ExchangeClose close, CancellationToken cancellationToken)
    {
        var (credentials, refusal) = await CredentialsAsync(close.AccountStream, cancellationToken);
        if (credentials is null)
        {
            return refusal!;
        }

        var externalId = CloseExternalId(close.PositionId);
        if (await client.GetOrderByExternalIdAsync(credentials.ApiKey, externalId, cancellationToken) is { } placed)
        {
            logger.LogInformation("The close of position {PositionId} is already on Extended as {ExternalId} ({Status})", close.PositionId, externalId, placed.Status);
            return await CloseAckAsync(credentials.ApiKey, placed, cancellationToken);
        }

        if (close.Quantity <= 0)
        {
            return ExtendedAcks.Rejected("invalid-quantity", "A close needs the position's quantity, above zero.");
        }

        var market = await client.GetMarketAsync(close.Market, cancellationToken);
        if (market is null)
        {
            return ExtendedAcks.Rejected("unknown-market", $"Extended has no market {close.Market}.");
        }

        if (Halted(market) is { } halted)
        {
            return halted;
        }

        var buy = close.Side == PositionSide.Short; // closing a short buys it back
        var request = ExtendedOrderBuilder.Build(
            market, externalId, buy, isMarket: true, reduceOnly: true, close.Quantity, WorstPrice(market, buy), options.MaxFeeRate,
            time.GetUtcNow() + options.MarketOrderLifetime, Nonce(externalId), checked((uint)credentials.Vault), credentials.StarkKey, options.SigningDomain);
        return await PlaceAsync(credentials.ApiKey, request, close.PositionId, p => CloseAckAsync(credentials.ApiKey, p, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// How a live position ended on Extended, if it has. Our closing order is looked up first (its external id is the
    /// position's). Otherwise, while Extended still holds a position on the same side in the market, it is open (Extended
    /// nets a market into one position, which is ours). Once it is gone, the account's fills on the closing side since
    /// it opened say how: LIQUIDATION fills are a liquidation, anything else (DELEVERAGE, or a TRADE placed in Extended's
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

        var apiKey = credentials.ApiKey;
        if (await client.GetOrderByExternalIdAsync(apiKey, CloseExternalId(position.PositionId), cancellationToken) is { } close
            && ExtendedAcks.HasEnded(close) && await ExecutionAsync(apiKey, close, cancellationToken) is { } closed)
        {
            return new ExchangePositionEnd(ExchangeEndKind.ClosedByOurOrder, closed);
        }

        var side = position.Side == PositionSide.Long ? "LONG" : "SHORT";
        var positions = await client.GetPositionsAsync(apiKey, cancellationToken);
        if (positions.Any(p => p.Market == position.Market && p.Side == side && p.Size > 0))
        {
            return null;
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

    private ExchangeAck KeyRefused(string accountStream)
    {
        logger.LogWarning("Extended refused the API key of {Stream}", accountStream);
        var refused = ExtendedErrors.CredentialsInvalid();
        return ExtendedAcks.Rejected(refused.Code, refused.Message);
    }

    /// <summary>The credentials of a live account stream's owner, or the rejection of a stream that has none.</summary>
    private async Task<(ExchangeCredentials? Credentials, ExchangeAck? Refusal)> CredentialsAsync(string accountStream, CancellationToken cancellationToken)
    {
        if (!StreamIds.TryParseAccount(accountStream, out var owner, out var kind) || kind != AccountKind.Live)
        {
            return (null, ExtendedAcks.Rejected("not-a-live-account", $"{accountStream} is not a live account: only live accounts trade on Extended."));
        }

        if (await credentialVault.FindAsync(owner, cancellationToken) is { } credentials)
        {
            return (credentials, null);
        }

        var notLinked = ExtendedErrors.NotLinked();
        return (null, ExtendedAcks.Rejected(notLinked.Code, notLinked.Message));
    }

    /// <summary>Sets the account's leverage in the market to the order's when it differs; a refusal, or null.</summary>
    private async Task<ExchangeAck?> EnsureLeverageAsync(string apiKey, string market, int leverage, CancellationToken cancellationToken)
    {
        if (await client.GetLeverageAsync(apiKey, market, cancellationToken) == leverage)
        {
            return null;
        }

        try
        {
            await client.UpdateLeverageAsync(apiKey, market, leverage, cancellationToken);
            logger.LogInformation("Leverage on Extended's {Market} set to {Leverage}x", market, leverage);
            return null;
        }
        catch (ExtendedApiException e) when (e is not ExtendedUnauthorizedException and not ExtendedRateLimitedException
                                              && e.Status is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError)
        {
            logger.LogWarning("Extended refused leverage {Leverage}x on {Market}: {Code} {Message}", leverage, market, e.Code, e.ExtendedMessage);
            return ExtendedAcks.Rejected("exchange-leverage-refused", $"Extended refused leverage {leverage}x on {market}: {e.ExtendedMessage} ({e.Code}).");
        }
    }

    /// <summary>Places a signed order, then reads back where it is. A refusal that turns out to be our own earlier
    /// placement (a retry after a lost answer meets a duplicate external id) reads that order instead.</summary>
    private async Task<ExchangeAck> PlaceAsync(
        string apiKey, ExtendedOrderRequest request, Guid ourId, Func<ExtendedOrder, Task<ExchangeAck>> ack, CancellationToken cancellationToken)
    {
        try
        {
            await client.PlaceOrderAsync(apiKey, request, cancellationToken);
            logger.LogInformation("{OurId} placed on Extended as {ExternalId}: {Type} {Side} {Qty} {Market} at {Price}{ReduceOnly}",
                ourId, request.Id, request.Type, request.Side, request.Qty, request.Market, request.Price, request.ReduceOnly ? " reduce-only" : "");
        }
        catch (ExtendedApiException e) when (e is not ExtendedUnauthorizedException and not ExtendedRateLimitedException)
        {
            if (await client.GetOrderByExternalIdAsync(apiKey, request.Id, cancellationToken) is { } existing)
            {
                return await ack(existing);
            }

            if (e.Status is < HttpStatusCode.BadRequest or >= HttpStatusCode.InternalServerError)
            {
                throw;
            }

            logger.LogWarning("Extended refused {ExternalId}: {Code} {Message}", request.Id, e.Code, e.ExtendedMessage);
            return ExtendedAcks.Rejected("exchange-rejected", $"Extended refused the order: {e.ExtendedMessage} ({e.Code}).");
        }

        var current = await client.GetOrderByExternalIdAsync(apiKey, request.Id, cancellationToken);
        return current is null ? new ExchangeAck(ExchangeAckStatus.Pending) : await ack(current);
    }

    private async Task<ExchangeAck> OrderAckAsync(string apiKey, ExtendedOrder placed, OrderType type, CancellationToken cancellationToken) =>
        ExtendedAcks.ForOrder(placed, type, await ExecutionAsync(apiKey, placed, cancellationToken));

    private async Task<ExchangeAck> CloseAckAsync(string apiKey, ExtendedOrder placed, CancellationToken cancellationToken) =>
        ExtendedAcks.ForClose(placed, await ExecutionAsync(apiKey, placed, cancellationToken));

    /// <summary>What the order executed so far: average price, filled quantity, fee paid and when; null before a fill.</summary>
    private async Task<ExchangeExecution?> ExecutionAsync(string apiKey, ExtendedOrder placed, CancellationToken cancellationToken)
    {
        if (!ExtendedAcks.HasFill(placed))
        {
            return null;
        }

        var quantity = placed.FilledQty is > 0 ? placed.FilledQty.Value : placed.Qty;
        var price = placed.AveragePrice ?? placed.Price
            ?? throw new ExtendedApiException(HttpStatusCode.OK, "no-price", $"Extended reported order {placed.ExternalId} filled without a price.");
        var fee = placed.PayedFee ?? await FeeFromFillsAsync(apiKey, placed, cancellationToken);
        return new ExchangeExecution(price, quantity, fee, Time(placed.UpdatedTime ?? placed.CreatedTime));
    }

    /// <summary>The fee of an order that reads back without <c>payedFee</c>: the sum of its fills' fees.</summary>
    private async Task<decimal> FeeFromFillsAsync(string apiKey, ExtendedOrder placed, CancellationToken cancellationToken)
    {
        var fills = (await client.GetTradesAsync(apiKey, placed.Market, cancellationToken)).Where(t => t.OrderId == placed.Id).ToList();
        if (fills.Count == 0 || fills.Any(f => f.Fee is null))
        {
            logger.LogWarning("Extended reported no fee for order {ExternalId} and no fills that carry one: recorded as 0", placed.ExternalId);
        }

        return fills.Sum(f => f.Fee ?? 0);
    }

    private static ExchangeAck? Halted(ExtendedMarket market) => !market.Active || market.Status is { } status && status != "ACTIVE"
        ? ExtendedAcks.Rejected("market-halted", $"{market.Name} is not trading on Extended ({market.Status ?? "inactive"}).")
        : null;

    /// <summary>The protective price of a market (IOC) order: the mark moved against the trader, on the price grid.</summary>
    private decimal WorstPrice(ExtendedMarket market, bool buy) => RoundToStep(
        market.MarketStats.MarkPrice * (buy ? 1 + options.MarketSlippage : 1 - options.MarketSlippage), market.TradingConfig.MinPriceChange, up: buy);

    private DateTimeOffset Time(long? unixMilliseconds) =>
        unixMilliseconds is > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds.Value) : time.GetUtcNow();

    private static decimal RoundToStep(decimal value, decimal step, bool up)
    {
        if (step <= 0)
        {
            return value;
        }

        var steps = value / step;
        return (up ? Math.Ceiling(steps) : Math.Floor(steps)) * step;
    }
}
