using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Trading;

/// <summary>An order as the trader asked for it, bound to its account: the input of its trade lifecycle.</summary>
/// <param name="AccountStream">The account's stream (practice or a tournament entry's), resolved when it was placed.</param>
/// <param name="Account">The account selector as the trader wrote it (practice or tournament:{id}).</param>
public sealed record OrderTicket(
    Guid OrderId,
    Guid UserId,
    string AccountStream,
    string Account,
    string Market,
    PositionSide Side,
    int Leverage,
    decimal Collateral,
    OrderType Type,
    decimal? LimitPrice,
    decimal? StopLoss,
    decimal? TakeProfit,
    string IdempotencyKey,
    DateTimeOffset PlacedAt)
{
    /// <summary>A limit order left unfilled this long is released (DOMAIN.md §1).</summary>
    public static readonly TimeSpan LimitOrderLifetime = TimeSpan.FromHours(24);

    public Protection Protection => new(StopLoss, TakeProfit);

    /// <summary>A live order: real money on Extended, whose fills are polled rather than pushed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsLive => Eventing.StreamIds.IsLiveAccount(AccountStream);

    public DateTimeOffset? ExpiresAt => Type == OrderType.Limit ? PlacedAt + LimitOrderLifetime : null;

    /// <summary>What the exchange is told (the notional follows from collateral × leverage).</summary>
    public Ports.ExchangeOrder ToExchangeOrder() => new(OrderId, AccountStream, Market, Side, Type, LimitPrice, Collateral * Leverage, Leverage);
}
