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

public sealed record ExtendedOrder(
    long Id,
    string ExternalId,
    string Market,
    string Type,
    string Side,
    string Status,
    string? StatusReason,
    decimal Price,
    decimal? AveragePrice,
    decimal Qty,
    decimal? FilledQty,
    long CreatedTime,
    long? UpdatedTime);

public sealed record ExtendedPosition(string Market, string Side, decimal Size, decimal OpenPrice, decimal MarkPrice, decimal? Leverage, decimal? UnrealisedPnl, decimal? LiquidationPrice);

public sealed record ExtendedTrade(long Id, long OrderId, string Market, string Side, decimal Price, decimal Qty, decimal? Fee, bool? IsTaker, long CreatedTime);

internal static class ExtendedJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
