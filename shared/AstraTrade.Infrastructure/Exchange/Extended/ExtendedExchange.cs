using System.Net;
using System.Security.Cryptography;
using System.Text;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
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
/// <para>An API key Extended refuses (401: its owner revoked it) rejects orders, polls and closes asking for a new
/// link, and a cancel gives the order up here. Linking, balances, positions and reconciliation are in
/// ExtendedExchange.Account.cs.</para>
/// </summary>
public sealed partial class ExtendedExchange(
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

    /// <summary>Places the order, or finds it placed by an earlier attempt.</summary>
    public ValueTask<ExchangeAck> SubmitAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        return WithCredentialsAsync(order.AccountStream, credentials => PlaceOrderAsync(order, credentials, cancellationToken), cancellationToken);
    }

    private async Task<ExchangeAck> PlaceOrderAsync(ExchangeOrder order, ExchangeCredentials credentials, CancellationToken cancellationToken)
    {
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

    public ValueTask<ExchangeAck> StatusAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        return WithCredentialsAsync(
            order.AccountStream,
            async credentials => await client.GetOrderByExternalIdAsync(credentials.ApiKey, ExternalId(order.OrderId), cancellationToken) is { } placed
                ? await OrderAckAsync(credentials.ApiKey, placed, order.Type, cancellationToken)
                : new ExchangeAck(ExchangeAckStatus.Pending),
            cancellationToken);
    }

    public ValueTask<ExchangeAck> CloseAsync(ExchangeClose close, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(close);
        return WithCredentialsAsync(close.AccountStream, credentials => ClosePositionAsync(close, credentials, cancellationToken), cancellationToken);
    }

    private async Task<ExchangeAck> ClosePositionAsync(ExchangeClose close, ExchangeCredentials credentials, CancellationToken cancellationToken)
    {
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
    /// Runs <paramref name="work"/> with the credentials of the live account stream's owner: a stream with none is
    /// rejected, and an API key Extended now refuses (its owner revoked it) is a rejection asking for a new link, since
    /// nothing can be placed or read with it.
    /// </summary>
    private async ValueTask<ExchangeAck> WithCredentialsAsync(string accountStream, Func<ExchangeCredentials, Task<ExchangeAck>> work, CancellationToken cancellationToken)
    {
        var (credentials, refusal) = await CredentialsAsync(accountStream, cancellationToken);
        if (credentials is null)
        {
            return refusal!;
        }

        try
        {
            return await work(credentials);
        }
        catch (ExtendedUnauthorizedException)
        {
            logger.LogWarning("Extended refused the API key of {Stream}", accountStream);
            var refused = ExtendedErrors.CredentialsInvalid();
            return ExtendedAcks.Rejected(refused.Code, refused.Message);
        }
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
