namespace AstraTrade.Testing.Extended;

/// <summary>A market the fake lists: its trading rules and settlement assets (Extended's tradingConfig and l2Config).</summary>
public sealed record FakeExtendedMarket(
    string Name,
    decimal MinOrderSize,
    decimal MinOrderSizeChange,
    decimal MinPriceChange,
    int MaxLeverage,
    string SyntheticId,
    long SyntheticResolution,
    string CollateralId = "0x1",
    long CollateralResolution = 1_000_000)
{
    /// <summary>BTC-USD with Extended's mainnet rules as the docs show them (0.0001 BTC steps, 1 USD ticks, 50x).</summary>
    public static readonly FakeExtendedMarket Btc = new("BTC-USD", 0.0001m, 0.0001m, 1m, 50, "0x4254432d3600000000000000000000", 1_000_000);
}

/// <summary>An order as the fake holds it (what GET /user/orders/external/{id} serves).</summary>
public sealed record FakeExtendedOrder(
    long Id,
    long AccountId,
    string ExternalId,
    string Market,
    string Type,
    string Side,
    string Status,
    string StatusReason,
    decimal Price,
    decimal? AveragePrice,
    decimal Qty,
    decimal FilledQty,
    decimal PayedFee,
    bool ReduceOnly,
    string TimeInForce,
    long CreatedTime,
    long UpdatedTime,
    long ExpiryTime)
{
    public bool IsWorking => Status is "NEW" or "PARTIALLY_FILLED";
}

/// <summary>One fill of an account (TRADE), or the close of its position by the exchange (LIQUIDATION).</summary>
public sealed record FakeExtendedTrade(long Id, long AccountId, long OrderId, string Market, string Side, decimal Price, decimal Qty, decimal Fee, string TradeType, long CreatedTime);

/// <summary>An account's netted position in a market: <paramref name="Size"/> is signed (long above zero).</summary>
public sealed record FakeExtendedPosition(string Market, decimal Size, decimal OpenPrice, decimal RealisedPnl, decimal Leverage, long CreatedTime, long UpdatedTime);

/// <summary>An account's balance as the fake computes it (see <see cref="FakeExtended"/> for the model).</summary>
public sealed record FakeExtendedBalance(
    decimal Balance, decimal Equity, decimal AvailableForTrade, decimal AvailableForWithdrawal, decimal UnrealisedPnl, decimal InitialMargin, decimal MarginRatio);
