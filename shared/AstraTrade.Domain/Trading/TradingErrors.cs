using System.Globalization;
using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Trading;

/// <summary>Every trading rule a command can break, each with its own stable code (DOMAIN.md §1 risk checks).</summary>
public static class TradingErrors
{
    public static DomainError LeverageOutOfRange(int leverage, int max) =>
        new("leverage-out-of-range", $"Leverage must be a whole number from 1 to {max} for you on this market; {leverage} was asked.");

    public static DomainError InvalidCollateral(decimal collateral) =>
        new("invalid-collateral", $"Collateral must be a positive USD amount with at most 6 decimal places; {collateral} was given.");

    public static DomainError NotionalTooSmall(decimal notional, decimal min) =>
        new("notional-too-small", $"The position size (collateral × leverage) is {notional} USD; this market's minimum is {min} USD.");

    public static DomainError InsufficientBalance(decimal required, decimal balance) =>
        new("insufficient-balance", $"Collateral plus the opening fee is {required} USD but the balance is {balance} USD.");

    public static DomainError TooManyOpenPositions(int max) =>
        new("too-many-open-positions", $"An account may hold at most {max} open positions; close one first.");

    public static DomainError AccountSuspended() =>
        new("account-suspended", "This account is suspended and cannot trade.");

    public static DomainError MarketHalted(string market) =>
        new("market-halted", $"Trading on {market} is halted.");

    public static DomainError StalePrice(string market, TimeSpan age, TimeSpan max) =>
        new("stale-price", $"The last {market} price is {age.TotalSeconds:0.#} s old (limit {max.TotalSeconds:0.#} s); try again in a moment.");

    public static DomainError IdempotencyKeyReused(string key) =>
        new("idempotency-key-reused", $"Idempotency-Key '{key}' was already used for a different order.");

    public static DomainError PositionNotFound(Guid positionId) =>
        new("position-not-found", $"There is no position {positionId} in this account.");

    /// <summary>Why a position is not open in this account: closed a moment ago (so a repeat says so), or never here.</summary>
    public static DomainError PositionNotOpen(AccountState state, Guid positionId) =>
        state.RecentlyClosed.Contains(positionId) ? PositionAlreadyClosed(positionId) : PositionNotFound(positionId);

    public static DomainError PositionAlreadyClosed(Guid positionId) =>
        new("position-already-closed", $"Position {positionId} is already closed.");

    public static DomainError NotLiquidatable(Guid positionId) =>
        new("position-not-liquidatable", $"Position {positionId} is above its maintenance margin at this price.");

    public static DomainError ResetCooldown(DateTimeOffset availableAt) =>
        new("reset-cooldown", $"The practice account can be reset once per 24 hours; next reset available at {availableAt:u}.");

    public static DomainError ResetNotAllowed(AccountKind kind) =>
        new("reset-not-allowed", $"A {kind.ToString().ToLowerInvariant()} account cannot be reset.");

    public static DomainError MissingPrice(string market) =>
        new("stale-price", $"There is no current price for {market}; try again in a moment.");

    public static DomainError SettlementNotAllowed(AccountKind kind) =>
        new("settlement-not-allowed", $"Only a tournament account is settled; this is a {kind.ToString().ToLowerInvariant()} account.");

    public static DomainError AccountAlreadyOpen() =>
        new("account-already-open", "The account is already open with a different owner or starting balance.");

    public static DomainError InvalidStartingBalance(decimal balance) =>
        new("invalid-starting-balance", $"A starting balance must be positive; {balance} was given.");

    public static DomainError InvalidLimitPrice(decimal? price) =>
        new("invalid-limit-price", $"A limit order needs a positive limit price; {price?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} was given.");

    public static DomainError InvalidProtection(PositionSide side, decimal reference) =>
        new("invalid-protection", side == PositionSide.Long
            ? $"For a long, the stop-loss must be below and the take-profit above {reference}."
            : $"For a short, the stop-loss must be above and the take-profit below {reference}.");

    public static DomainError OrderNotFound(Guid orderId) =>
        new("order-not-found", $"There is no order {orderId} in this account.");

    public static DomainError OrderNotWorking(Guid orderId, OrderStatus status, ReleaseReason? reason) =>
        new("order-not-working", status == OrderStatus.Filled
            ? $"Order {orderId} has already filled."
            : $"Order {orderId} has already ended ({reason?.ToString().ToLowerInvariant()}).");

    public static DomainError LimitNotReached(Guid orderId, decimal limit, decimal mark) =>
        new("limit-not-reached", $"Order {orderId}'s limit {limit} has not been reached (mark {mark}).");

    public static DomainError ProtectionNotTriggered(Guid positionId) =>
        new("protection-not-triggered", $"The mark has not crossed position {positionId}'s stop-loss or take-profit.");

    // Live accounts (AccountKind.Live): Extended executes, margins, funds and liquidates; the account records its executions.
    public static DomainError LiveProtectionNotSupported() =>
        new("live-protection-not-supported", "Stop-loss and take-profit are not available for live trading yet; place or keep the position without them.");

    public static DomainError LiveMarketBusy(string market) =>
        new("live-market-busy", $"Your live account already has an open position or a working order on {market}; close it first.");

    public static DomainError LiveFillNeedsExecution(Guid orderId) =>
        new("live-fill-needs-execution", $"Order {orderId} is a live order: it fills only with the exchange's execution (price, quantity and fee).");

    public static DomainError LiveCloseNeedsExecution(Guid positionId) =>
        new("live-close-needs-execution", $"Position {positionId} is a live position: it closes only with the exchange's execution of the closing order.");

    public static DomainError LiveManagedByExchange() =>
        new("live-managed-by-exchange", "The exchange triggers, liquidates and funds live positions itself; AstraTrade only records what it executed.");

    public static DomainError UnexpectedExecution(AccountKind kind) =>
        new("unexpected-execution", $"A {kind.ToString().ToLowerInvariant()} account trades on the simulated exchange, which never reports an exchange execution; this one was refused.");

    public static DomainError InvalidExecution(ExchangeExecution execution) =>
        new("invalid-execution", string.Create(CultureInfo.InvariantCulture,
            $"An exchange execution needs a positive price and quantity and a fee of at least 0; it had price {execution.Price}, quantity {execution.Quantity} and fee {execution.Fee}."));

    public static DomainError PartialCloseExecution(Guid positionId, decimal quantity, decimal executed) =>
        new("invalid-execution", string.Create(CultureInfo.InvariantCulture,
            $"Position {positionId} holds {quantity} and closes in full, but the exchange's execution closed {executed}."));

    public static DomainError CloseExecutedBeforeOpen(Guid positionId, DateTimeOffset openedAt, DateTimeOffset executedAt) =>
        new("invalid-execution", string.Create(CultureInfo.InvariantCulture,
            $"The closing execution of position {positionId} is dated {executedAt:O}, before the position opened ({openedAt:O})."));
}
