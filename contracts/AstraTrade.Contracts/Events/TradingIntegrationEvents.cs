namespace AstraTrade.Contracts.Events;

/// <summary>
/// A position ended: closed by its owner, a stop-loss, a take-profit, a practice reset or a tournament's settlement,
/// or liquidated. CloudEvents type <see cref="IntegrationEventTypes.PositionClosed"/>; subject <c>users/{userId:N}</c>.
/// Amounts are USD of the account (virtual money); the names and meanings are those of the HTTP API's positions.
/// </summary>
/// <param name="Account"><c>practice</c>, <c>live</c> or <c>tournament:{id}</c>, as the trading API's <c>account</c> parameter.</param>
/// <param name="Side"><c>long</c> or <c>short</c>.</param>
/// <param name="Collateral">The collateral when it ended (the opening collateral moved by funding).</param>
/// <param name="ExitPrice">The close price; for a liquidation, the liquidation price.</param>
/// <param name="RealizedPnl">The PnL at the exit price, fees not included (for a liquidation, the PnL at the
/// liquidation price).</param>
/// <param name="Payout">What went back to the balance (0 for a liquidation).</param>
/// <param name="CloseReason"><c>user</c>, <c>stop-loss</c>, <c>take-profit</c>, <c>reset</c>, <c>settlement</c> or
/// <c>liquidation</c>.</param>
public sealed record PositionClosedV1(
    Guid UserId,
    string Account,
    Guid PositionId,
    string Market,
    string Side,
    int Leverage,
    decimal Collateral,
    decimal Notional,
    decimal EntryPrice,
    decimal ExitPrice,
    decimal RealizedPnl,
    decimal CloseFee,
    decimal Payout,
    string CloseReason,
    DateTimeOffset OpenedAt,
    DateTimeOffset ClosedAt);
