using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.Infrastructure.Exchange.Extended;

// The shapes of Extended's REST API (api.docs.extended.exchange): camelCase JSON, decimals as strings, every answer
// wrapped as {"status": "OK", "data": …} or {"status": "ERROR", "error": {"code", "message"}}.

public sealed record ExtendedEnvelope<T>(string? Status, T? Data, ExtendedErrorBody? Error);

public sealed record ExtendedErrorBody(JsonElement Code, string? Message)
{
    public string CodeText => Code.ValueKind switch
    {
        JsonValueKind.Number => Code.GetRawText(),
        JsonValueKind.String => Code.GetString() ?? "",
        _ => "",
    };
}

public sealed record ExtendedMarket(string Name, bool Active, string? Status, ExtendedMarketStats MarketStats, ExtendedTradingConfig TradingConfig, ExtendedL2Config L2Config);

public sealed record ExtendedMarketStats(decimal MarkPrice, decimal? IndexPrice, decimal? LastPrice);

public sealed record ExtendedTradingConfig(decimal MinOrderSize, decimal MinOrderSizeChange, decimal MinPriceChange, decimal? MaxLeverage);

public sealed record ExtendedL2Config(string? Type, string CollateralId, long CollateralResolution, string SyntheticId, long SyntheticResolution);

/// <summary>POST /user/order. <c>id</c> is the client's (external) id of the order.</summary>
public sealed record ExtendedOrderRequest(
    string Id,
    string Market,
    string Type,
    string Side,
    string Qty,
    string Price,
    string TimeInForce,
    long ExpiryEpochMillis,
    string Fee,
    string Nonce,
    bool PostOnly,
    bool ReduceOnly,
    string SelfTradeProtectionLevel,
    ExtendedSettlement Settlement);

public sealed record ExtendedSettlement(ExtendedSignature Signature, string StarkKey, string CollateralPosition);

public sealed record ExtendedSignature(string R, string S);

public sealed record ExtendedPlacedOrder(long Id, string ExternalId);

/// <summary>An order as Extended reports it (the SDK's OpenOrderModel). <c>price</c> is null on TP/SL orders;
/// <c>payedFee</c> is what its fills have cost so far, in collateral.</summary>
public sealed record ExtendedOrder(
    long Id,
    string ExternalId,
    string Market,
    string Type,
    string Side,
    string Status,
    string? StatusReason,
    decimal? Price,
    decimal? AveragePrice,
    decimal Qty,
    decimal? FilledQty,
    decimal? PayedFee,
    bool ReduceOnly,
    long CreatedTime,
    long? UpdatedTime);

/// <summary>GET /user/account/info (the SDK's AccountModel). The SDK reads the id as <c>accountId</c> or <c>id</c>;
/// <c>l2Key</c> is the account's Stark public key, <c>l2Vault</c> its position (vault) id on the contract.</summary>
public sealed record ExtendedAccountInfo(long? Id, long? AccountId, string? Description, int? AccountIndex, string Status, string L2Key, long L2Vault)
{
    public long Number => AccountId ?? Id ?? 0;
}

/// <summary>GET /user/balance (the SDK's BalanceModel), in the collateral asset.</summary>
public sealed record ExtendedBalance(
    string? CollateralName,
    decimal Balance,
    decimal Equity,
    decimal AvailableForTrade,
    decimal AvailableForWithdrawal,
    decimal UnrealisedPnl,
    decimal InitialMargin,
    decimal MarginRatio,
    long UpdatedTime);

/// <summary>GET and PATCH /user/leverage: an account's leverage in one market (the SDK's AccountLeverage).</summary>
public sealed record ExtendedLeverage(string Market, decimal Leverage);

/// <summary>An open position (the SDK's PositionModel). Extended nets positions: one per market and account.</summary>
public sealed record ExtendedPosition(
    string Market, string Side, decimal Size, decimal OpenPrice, decimal MarkPrice, decimal? Leverage, decimal? UnrealisedPnl, decimal? RealisedPnl,
    decimal? LiquidationPrice);

/// <summary>A fill of the account (the SDK's AccountTradeModel); <c>tradeType</c> tells a trade from a liquidation or
/// a deleverage.</summary>
public sealed record ExtendedTrade(long Id, long OrderId, string Market, string Side, decimal Price, decimal Qty, decimal? Fee, bool? IsTaker, string? TradeType, long CreatedTime);

internal static class ExtendedJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
