using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Trading;

/// <summary>
/// The account aggregate as a decider (ARCHITECTURE.md §3): <see cref="Decide"/> turns a command into events or a
/// rule it broke, <see cref="Evolve"/> folds an event into state. Both are pure and total.
/// </summary>
public static class Account
{
    public static Decision<IAccountEvent> Decide(AccountState state, AccountCommand command, TradingRules rules) => command switch
    {
        PlaceMarketOrder c => PlaceMarketOrder(state, c, rules),
        ClosePosition c => ClosePosition(state, c, rules),
        LiquidatePosition c => LiquidatePosition(state, c),
        ApplyFunding c => ApplyFunding(state, c, rules),
        ResetAccount c => Reset(state, c, rules),
        OpenAccount c => Open(state, c),
        SettleAccount c => Settle(state, c, rules),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown account command."),
    };

    public static AccountState Fold(AccountState state, IEnumerable<IAccountEvent> events, TradingRules rules) =>
        events.Aggregate(state, (s, e) => Evolve(s, e, rules));

    private static Decision<IAccountEvent> PlaceMarketOrder(AccountState state, PlaceMarketOrder c, TradingRules rules)
    {
        // A retry of an accepted order returns the first result (no new events), whatever has changed since.
        if (state.RecentOrders.TryGetValue(c.IdempotencyKey, out var first))
        {
            return first.RequestFingerprint == c.Fingerprint
                ? Decision<IAccountEvent>.Accept()
                : TradingErrors.IdempotencyKeyReused(c.IdempotencyKey);
        }

        var market = c.Market;
        var maxLeverage = Math.Min(c.Trader.MaxLeverage, market.MaxLeverage);
        if (c.Trader.Suspended)
        {
            return TradingErrors.AccountSuspended();
        }

        if (market.Halted)
        {
            return TradingErrors.MarketHalted(market.Symbol);
        }

        if (c.Leverage < 1 || c.Leverage > maxLeverage)
        {
            return TradingErrors.LeverageOutOfRange(c.Leverage, maxLeverage);
        }

        if (c.Collateral <= 0 || !Money.HasAtMostMoneyDecimals(c.Collateral))
        {
            return TradingErrors.InvalidCollateral(c.Collateral);
        }

        if (FreshMark(c.Mark, market.Symbol, c.Now, rules) is { } priceError)
        {
            return priceError;
        }

        if (state.OpenPositions.Count >= rules.MaxOpenPositions)
        {
            return TradingErrors.TooManyOpenPositions(rules.MaxOpenPositions);
        }

        var notional = c.Collateral * c.Leverage;
        if (notional < market.MinNotional)
        {
            return TradingErrors.NotionalTooSmall(notional, market.MinNotional);
        }

        var fee = PositionMath.OpenFee(notional, market.TakerFeeRate);
        if (state.Balance < c.Collateral + fee)
        {
            return TradingErrors.InsufficientBalance(c.Collateral + fee, state.Balance);
        }

        var mark = c.Mark!.Price;
        var entry = PositionMath.OpenFillPrice(c.Side, mark, rules.Spread);
        var terms = new PositionTerms(
            market.Symbol,
            c.Side,
            c.Leverage,
            c.Collateral,
            notional,
            PositionMath.Quantity(notional, entry),
            entry,
            fee,
            market.MaintenanceMarginRate,
            market.TakerFeeRate,
            c.Now);
        var opened = new PositionOpened(c.PositionId, c.OrderId, c.IdempotencyKey, c.Fingerprint, terms, mark, c.Now);
        return Decision<IAccountEvent>.Accept([.. Opening(state, c.Trader.UserId, c.Now), opened]);
    }

    private static Decision<IAccountEvent> ClosePosition(AccountState state, ClosePosition c, TradingRules rules)
    {
        if (!state.OpenPositions.TryGetValue(c.PositionId, out var position))
        {
            return state.RecentlyClosed.Contains(c.PositionId)
                ? TradingErrors.PositionAlreadyClosed(c.PositionId)
                : TradingErrors.PositionNotFound(c.PositionId);
        }

        if (FreshMark(c.Mark, position.Terms.Market, c.Now, rules) is { } priceError)
        {
            return priceError;
        }

        return Decision<IAccountEvent>.Accept(CloseAtMark(position, c.Mark!.Price, CloseReason.User, c.Now, rules));
    }

    private static Decision<IAccountEvent> LiquidatePosition(AccountState state, LiquidatePosition c)
    {
        if (!state.OpenPositions.TryGetValue(c.PositionId, out var position))
        {
            return TradingErrors.PositionNotFound(c.PositionId);
        }

        return position.IsLiquidatableAt(c.Mark.Price)
            ? Decision<IAccountEvent>.Accept(Liquidation(position, c.Mark.Price, c.Now))
            : TradingErrors.NotLiquidatable(c.PositionId);
    }

    private static Decision<IAccountEvent> ApplyFunding(AccountState state, ApplyFunding c, TradingRules rules)
    {
        var events = new List<IAccountEvent>();
        foreach (var position in state.OpenPositions.Values.OrderBy(p => p.Terms.OpenedAt).ThenBy(p => p.Id))
        {
            // Funding is paid by positions open at the funding time, once per funding time.
            var due = position.Terms.OpenedAt <= c.FundingTime && !(position.LastFundingAt >= c.FundingTime);
            if (!due || !c.Quotes.TryGetValue(position.Terms.Market, out var quote))
            {
                continue;
            }

            var rate = Math.Clamp(quote.Rate, -rules.MaxFundingRate, rules.MaxFundingRate);
            var change = PositionMath.FundingCollateralChange(position.Terms.Side, position.Terms.Quantity, quote.MarkPrice, rate);
            events.Add(new FundingApplied(
                position.Id, c.FundingTime, rate, quote.MarkPrice, change, position.Collateral + change, c.Now));
        }

        return Decision<IAccountEvent>.Accept(events);
    }

    private static Decision<IAccountEvent> Reset(AccountState state, ResetAccount c, TradingRules rules)
    {
        if (state.Kind != AccountKind.Practice)
        {
            return TradingErrors.ResetNotAllowed(state.Kind);
        }

        if (state.ResetAvailableAt(rules) is { } availableAt && c.Now < availableAt)
        {
            return TradingErrors.ResetCooldown(availableAt);
        }

        var events = new List<IAccountEvent>(Opening(state, c.OwnerId, c.Now));
        var balance = state.Balance;
        foreach (var position in state.OpenPositions.Values.OrderBy(p => p.Terms.OpenedAt).ThenBy(p => p.Id))
        {
            c.Marks.TryGetValue(position.Terms.Market, out var mark);
            if (FreshMark(mark, position.Terms.Market, c.Now, rules) is { } priceError)
            {
                return priceError;
            }

            var closing = CloseAtMark(position, mark!.Price, CloseReason.Reset, c.Now, rules);
            balance += closing is PositionClosed closed ? closed.Payout : 0m;
            events.Add(closing);
        }

        events.Add(new AccountReset(balance, balance - state.StartingBalance, state.StartingBalance, c.Now));
        return Decision<IAccountEvent>.Accept(events);
    }

    private static Decision<IAccountEvent> Open(AccountState state, OpenAccount c)
    {
        if (state.IsOpened)
        {
            // A retried open changes nothing; a different one is a bug in the caller, not a second account.
            return state.OwnerId == c.OwnerId && state.StartingBalance == c.StartingBalance
                ? Decision<IAccountEvent>.Accept()
                : TradingErrors.AccountAlreadyOpen();
        }

        if (c.StartingBalance <= 0 || decimal.Round(c.StartingBalance, 6) != c.StartingBalance)
        {
            return TradingErrors.InvalidStartingBalance(c.StartingBalance);
        }

        return Decision<IAccountEvent>.Accept(new AccountOpened(state.Kind, c.OwnerId, c.StartingBalance, c.Now));
    }

    private static Decision<IAccountEvent> Settle(AccountState state, SettleAccount c, TradingRules rules)
    {
        if (state.Kind != AccountKind.Tournament)
        {
            return TradingErrors.SettlementNotAllowed(state.Kind);
        }

        var events = new List<IAccountEvent>();
        foreach (var position in state.OpenPositions.Values.OrderBy(p => p.Terms.OpenedAt).ThenBy(p => p.Id))
        {
            c.Marks.TryGetValue(position.Terms.Market, out var mark);
            if (FreshMark(mark, position.Terms.Market, c.Now, rules) is { } priceError)
            {
                return priceError;
            }

            events.Add(CloseAtMark(position, mark!.Price, CloseReason.Settlement, c.Now, rules));
        }

        // Nothing open (or already settled): accepted with no events, so a retried settlement is harmless.
        return Decision<IAccountEvent>.Accept(events);
    }

    /// <summary>
    /// Closing at a mark where the position is already under maintenance margin is a liquidation: the liquidation
    /// engine reacts to ticks asynchronously, and closing first must not beat it to a better outcome.
    /// </summary>
    private static IAccountEvent CloseAtMark(Position position, decimal mark, CloseReason reason, DateTimeOffset now, TradingRules rules)
    {
        if (position.IsLiquidatableAt(mark))
        {
            return Liquidation(position, mark, now);
        }

        var terms = position.Terms;
        var exit = PositionMath.CloseFillPrice(terms.Side, mark, rules.Spread);
        var pnl = PositionMath.RealizedPnl(terms.Side, terms.Quantity, terms.EntryPrice, exit);
        var fee = PositionMath.CloseFee(terms.Quantity, exit, terms.TakerFeeRate);
        var payout = Math.Max(0m, position.Collateral + pnl - fee);
        return new PositionClosed(position.Id, terms, position.Collateral, mark, exit, pnl, fee, payout, reason, now);
    }

    private static PositionLiquidated Liquidation(Position position, decimal mark, DateTimeOffset now)
    {
        var terms = position.Terms;
        var liquidationPrice = position.LiquidationPrice;
        var pnl = PositionMath.RealizedPnl(terms.Side, terms.Quantity, terms.EntryPrice, liquidationPrice);
        var insurance = Math.Max(0m, position.Collateral + pnl);
        return new PositionLiquidated(position.Id, terms, position.Collateral, mark, liquidationPrice, pnl, insurance, now);
    }

    private static IEnumerable<IAccountEvent> Opening(AccountState state, string ownerId, DateTimeOffset now) =>
        state.IsOpened ? [] : [new AccountOpened(state.Kind, ownerId, state.StartingBalance, now)];

    private static DomainError? FreshMark(MarkPrice? mark, string market, DateTimeOffset now, TradingRules rules)
    {
        if (mark is null || mark.Price <= 0)
        {
            return TradingErrors.MissingPrice(market);
        }

        var age = mark.AgeAt(now);
        return age > rules.MaxMarkPriceAge ? TradingErrors.StalePrice(market, age, rules.MaxMarkPriceAge) : null;
    }

    public static AccountState Evolve(AccountState state, IAccountEvent @event, TradingRules rules) => @event switch
    {
        AccountOpened e => state with
        {
            IsOpened = true,
            Kind = e.Kind,
            OwnerId = e.OwnerId,
            Balance = e.StartingBalance,
            StartingBalance = e.StartingBalance,
        },
        PositionOpened e => Remember(state, e, rules) with
        {
            Balance = state.Balance - e.Terms.InitialCollateral - e.Terms.OpenFee,
            OpenPositions = state.OpenPositions.Add(
                e.PositionId, new Position(e.PositionId, e.OrderId, e.Terms, e.Terms.InitialCollateral, null)),
        },
        PositionClosed e => Forget(state, e.PositionId, rules) with { Balance = state.Balance + e.Payout },
        PositionLiquidated e => Forget(state, e.PositionId, rules),
        FundingApplied e => state with
        {
            OpenPositions = state.OpenPositions.SetItem(
                e.PositionId, state.OpenPositions[e.PositionId] with { Collateral = e.CollateralAfter, LastFundingAt = e.FundingTime }),
        },
        AccountReset e => state with { Balance = e.StartingBalance, LastResetAt = e.At },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown account event."),
    };

    // Idempotency keys are kept for a window and up to a capacity; the oldest go first.
    private static AccountState Remember(AccountState state, PositionOpened e, TradingRules rules)
    {
        var orders = state.RecentOrders.SetItem(e.IdempotencyKey, e);
        var keys = state.RecentOrderKeys.Enqueue(e.IdempotencyKey);
        while (!keys.IsEmpty
               && (orders.Count > rules.IdempotencyCapacity || orders[keys.Peek()].At < e.At - rules.IdempotencyWindow))
        {
            orders = orders.Remove(keys.Peek());
            keys = keys.Dequeue();
        }

        return state with { RecentOrders = orders, RecentOrderKeys = keys };
    }

    private static AccountState Forget(AccountState state, Guid positionId, TradingRules rules)
    {
        var closed = state.RecentlyClosed.Add(positionId);
        var order = state.RecentlyClosedOrder.Enqueue(positionId);
        while (closed.Count > rules.RecentlyClosedCapacity)
        {
            closed = closed.Remove(order.Peek());
            order = order.Dequeue();
        }

        return state with { OpenPositions = state.OpenPositions.Remove(positionId), RecentlyClosed = closed, RecentlyClosedOrder = order };
    }
}
