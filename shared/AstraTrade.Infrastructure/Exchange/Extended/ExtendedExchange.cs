using System.Net;
using System.Security.Cryptography;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Trading;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Live orders on Extended (ARCHITECTURE.md §6). Each order gets an external id derived from our order id and a nonce
/// derived from it too, so a retried submit finds the order it already placed instead of placing a second one (the
/// port's idempotency). A market order is Extended's MARKET order: IOC at a protective worst price (the mark moved by
/// <see cref="ExtendedOptions.MarketSlippage"/>); a limit order is GTT at its limit. Quantities are the order's
/// notional at that price, rounded down to the market's step so the reserved margin covers them.
/// </summary>
public sealed class ExtendedExchange(
    ExtendedClient client, IExtendedAccounts accounts, IStarkKeyVault keys, ExtendedOptions options, TimeProvider time, ILogger<ExtendedExchange> logger) : IExchange
{
    /// <summary>Our id of an order on Extended: "astra-" and the order id's 32 hex digits.</summary>
    public static string ExternalId(Guid orderId) => "astra-" + orderId.ToString("N");

    /// <summary>The order's nonce (its settlement salt): 31 bits of SHA-256 of the order id, the same on every retry.</summary>
    public static ulong Nonce(Guid orderId) => BitConverter.ToUInt32(SHA256.HashData(orderId.ToByteArray()), 0) & 0x7FFF_FFFF;

    public async ValueTask<ExchangeAck> SubmitAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var account = await accounts.FindAsync(order.AccountStream, cancellationToken);
        if (account is null)
        {
            return Rejected("exchange-account-not-linked", "This account is not linked to an Extended account.");
        }

        var externalId = ExternalId(order.OrderId);
        if (await client.GetOrderByExternalIdAsync(account.ApiKey, externalId, cancellationToken) is { } placed)
        {
            logger.LogInformation("Order {OrderId} is already on Extended as {ExternalId} ({Status})", order.OrderId, externalId, placed.Status);
            return Map(placed, order.Type);
        }

        var market = await client.GetMarketAsync(order.Market, cancellationToken);
        if (market is null)
        {
            return Rejected("unknown-market", $"Extended has no market {order.Market}.");
        }

        if (!market.Active || market.Status is { } status && status != "ACTIVE")
        {
            return Rejected("market-halted", $"{order.Market} is not trading on Extended ({market.Status ?? "inactive"}).");
        }

        var key = await keys.FindAsync(account.UserId, cancellationToken);
        if (key is null)
        {
            return Rejected("stark-key-missing", "No Stark key is stored for this user; link the Extended account again.");
        }

        var buy = order.Side == PositionSide.Long;
        var isMarket = order.Type == OrderType.Market;
        var config = market.TradingConfig;
        var price = isMarket
            ? RoundToStep(market.MarketStats.MarkPrice * (buy ? 1 + options.MarketSlippage : 1 - options.MarketSlippage), config.MinPriceChange, up: buy)
            : RoundToStep(order.LimitPrice ?? throw new ArgumentException("A limit order needs a limit price.", nameof(order)), config.MinPriceChange, up: !buy);
        var referencePrice = isMarket ? market.MarketStats.MarkPrice : price;
        var qty = RoundToStep(order.Notional / referencePrice, config.MinOrderSizeChange, up: false);
        if (qty < config.MinOrderSize || qty <= 0)
        {
            return Rejected("order-too-small", $"{order.Notional} USD is below {order.Market}'s minimum order size of {config.MinOrderSize} on Extended.");
        }

        var expiry = time.GetUtcNow() + (isMarket ? options.MarketOrderLifetime : options.LimitOrderLifetime);
        var request = ExtendedOrderBuilder.Build(
            market, externalId, buy, isMarket, qty, price, options.MaxFeeRate, expiry, Nonce(order.OrderId), account.Vault, key, options.SigningDomain);
        try
        {
            await client.PlaceOrderAsync(account.ApiKey, request, cancellationToken);
            logger.LogInformation("Order {OrderId} placed on Extended as {ExternalId}: {Side} {Qty} {Market} at {Price}", order.OrderId, externalId, request.Side, request.Qty, order.Market, request.Price);
        }
        catch (ExtendedApiException e) when (e is not ExtendedUnauthorizedException and not ExtendedRateLimitedException)
        {
            // A retry after a lost answer meets its own order (a duplicate external id): the order is there.
            if (await client.GetOrderByExternalIdAsync(account.ApiKey, externalId, cancellationToken) is { } existing)
            {
                return Map(existing, order.Type);
            }

            if (e.Status is < HttpStatusCode.BadRequest or >= HttpStatusCode.InternalServerError)
            {
                throw;
            }

            logger.LogWarning("Extended refused order {OrderId}: {Code} {Message}", order.OrderId, e.Code, e.ExtendedMessage);
            return Rejected("exchange-rejected", $"Extended refused the order: {e.ExtendedMessage} ({e.Code}).");
        }

        var current = await client.GetOrderByExternalIdAsync(account.ApiKey, externalId, cancellationToken);
        return current is null ? new ExchangeAck(ExchangeAckStatus.Pending) : Map(current, order.Type);
    }

    public async ValueTask<bool> CancelAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var account = await accounts.FindAsync(order.AccountStream, cancellationToken);
        if (account is null)
        {
            return true; // never linked, so never placed
        }

        var externalId = ExternalId(order.OrderId);
        var placed = await client.GetOrderByExternalIdAsync(account.ApiKey, externalId, cancellationToken);
        if (placed is null || placed.Status is "CANCELLED" or "EXPIRED" or "REJECTED")
        {
            return true;
        }

        if (placed.Status == "FILLED")
        {
            return false;
        }

        try
        {
            await client.CancelByExternalIdAsync(account.ApiKey, externalId, cancellationToken);
        }
        catch (ExtendedApiException e) when (e.Status is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            // It finished between the read and the cancel: what it finished as decides.
        }

        var after = await client.GetOrderByExternalIdAsync(account.ApiKey, externalId, cancellationToken);
        return after is null || after.Status is "CANCELLED" or "EXPIRED" or "REJECTED";
    }

    public async ValueTask<ExchangeAck> StatusAsync(ExchangeOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var account = await accounts.FindAsync(order.AccountStream, cancellationToken);
        if (account is null)
        {
            return Rejected("exchange-account-not-linked", "This account is not linked to an Extended account.");
        }

        var placed = await client.GetOrderByExternalIdAsync(account.ApiKey, ExternalId(order.OrderId), cancellationToken);
        return placed is null ? new ExchangeAck(ExchangeAckStatus.Pending) : Map(placed, order.Type);
    }

    /// <summary>The Extended markets (names, trading rules, settlement ids, mark prices).</summary>
    public Task<IReadOnlyList<ExtendedMarket>> GetMarketsAsync(CancellationToken cancellationToken) => client.GetMarketsAsync(cancellationToken);

    /// <summary>The open positions of a linked account.</summary>
    public async Task<IReadOnlyList<ExtendedPosition>> GetPositionsAsync(string accountStream, CancellationToken cancellationToken) =>
        await client.GetPositionsAsync(await ApiKeyAsync(accountStream, cancellationToken), cancellationToken);

    /// <summary>The fills of a linked account, optionally of one market.</summary>
    public async Task<IReadOnlyList<ExtendedTrade>> GetFillsAsync(string accountStream, string? market, CancellationToken cancellationToken) =>
        await client.GetTradesAsync(await ApiKeyAsync(accountStream, cancellationToken), market, cancellationToken);

    private async Task<string> ApiKeyAsync(string accountStream, CancellationToken cancellationToken) =>
        (await accounts.FindAsync(accountStream, cancellationToken))?.ApiKey
        ?? throw new InvalidOperationException($"The account {accountStream} is not linked to an Extended account.");

    private ExchangeAck Map(ExtendedOrder placed, OrderType type)
    {
        var filled = placed.FilledQty is > 0;
        var fillMark = new MarkPrice(placed.AveragePrice ?? placed.Price, placed.UpdatedTime is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t) : time.GetUtcNow());
        return placed.Status switch
        {
            "FILLED" => new ExchangeAck(ExchangeAckStatus.Filled, fillMark),
            // An IOC order that matched part of its size ends cancelled with that part filled: the position is what filled.
            "CANCELLED" or "EXPIRED" when filled => new ExchangeAck(ExchangeAckStatus.Filled, fillMark),
            "REJECTED" => Rejected(Code(placed.StatusReason), $"Extended rejected the order ({placed.StatusReason ?? "no reason given"})."),
            "CANCELLED" or "EXPIRED" => Rejected(type == OrderType.Market ? "no-liquidity" : "exchange-" + placed.Status.ToLowerInvariant(),
                $"The order ended {placed.Status.ToLowerInvariant()} on Extended without a fill ({placed.StatusReason ?? "no reason given"})."),
            _ => new ExchangeAck(type == OrderType.Limit ? ExchangeAckStatus.Resting : ExchangeAckStatus.Pending),
        };
    }

    private static string Code(string? reason) => reason is null or "NONE" or "UNKNOWN"
        ? "exchange-rejected"
        : reason.ToLowerInvariant().Replace('_', '-');

    private static ExchangeAck Rejected(string code, string message) => new(ExchangeAckStatus.Rejected, null, code, message);

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
