namespace AstraTrade.Contracts.Http;

/// <param name="FundingRate">Current hourly funding rate (0.0001 = 0.01 %/h); longs pay shorts when positive.</param>
/// <param name="Change24h">Mark price minus the price 24 hours ago.</param>
/// <param name="ChangeRatio24h">Change24h divided by the price 24 hours ago (0.01 = +1 %).</param>
public sealed record MarketResponse(
    string Symbol,
    decimal MarkPrice,
    DateTimeOffset PriceTime,
    decimal High24h,
    decimal Low24h,
    decimal Change24h,
    decimal ChangeRatio24h,
    decimal FundingRate,
    int MaxLeverage,
    decimal MaintenanceMarginRate,
    decimal TakerFeeRate,
    decimal MinNotional,
    bool Halted);

public sealed record CandleResponse(DateTimeOffset OpenTime, decimal Open, decimal High, decimal Low, decimal Close);

public sealed record CandlesResponse(string Symbol, string Interval, IReadOnlyList<CandleResponse> Candles);
