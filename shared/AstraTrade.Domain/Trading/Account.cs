using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Trading;

/// <summary>
/// The account aggregate as a decider (ARCHITECTURE.md §3): <see cref="Decide"/> turns a command into events or a
/// rule it broke, <see cref="Evolve"/> folds an event into state. Both are pure and total.
/// </summary>
/// <remarks>
/// Practice and tournament accounts trade virtual money on the simulated exchange: the decider prices fills and closes
/// from the mark and moves the balance. A live account (<see cref="AccountKind.Live"/>) trades on Extended, which holds
/// the money, fills, charges fees, funds and liquidates: the decider records orders and positions exactly as the
/// exchange executed them (<see cref="ExchangeExecution"/>) and never moves a balance. Extended nets positions per
/// market, so a live account holds at most one position or working order per market, keeping ours 1:1 with its.
/// </remarks>
public static partial class Account
{
    public static Decision<IAccountEvent> Decide(AccountState state, AccountCommand command, TradingRules rules) => command switch
    {
        PlaceOrder c => PlaceOrder(state, c, rules),
        FillOrder c => FillOrder(state, c, rules),
        ReleaseOrder c => ReleaseOrder(state, c),
        SetProtection c => SetProtection(state, c, rules),
        TriggerProtection c => TriggerProtection(state, c, rules),
        ClosePosition c => ClosePosition(state, c, rules),
        LiquidatePosition c => LiquidatePosition(state, c),
        ApplyFunding c => ApplyFunding(state, c, rules),
        ResetAccount c => Reset(state, c, rules),
        OpenAccount c => Open(state, c),
        SettleAccount c => Settle(state, c, rules),
        RecordExchangeEnd c => RecordExchangeEnd(state, c),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown account command."),
    };

    public static AccountState Fold(AccountState state, IEnumerable<IAccountEvent> events, TradingRules rules) =>
        events.Aggregate(state, (s, e) => Evolve(s, e, rules));

    private static Decision<IAccountEvent> PlaceOrder(AccountState state, PlaceOrder c, TradingRules rules)
    {
        // A retry of an accepted order changes nothing, whatever has changed since; the first result stands.
        if (state.RecentOrders.TryGetValue(c.IdempotencyKey, out var firstId))
        {
            return state.Orders[firstId].Placed.RequestFingerprint == c.Fingerprint && firstId == c.OrderId
                ? Decision<IAccountEvent>.Accept()
                : TradingErrors.IdempotencyKeyReused(c.IdempotencyKey);
        }

        var market = c.Market;
        var live = state.Kind == AccountKind.Live;
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

        if (c.Type == OrderType.Limit && c.LimitPrice is not > 0)
        {
            return TradingErrors.InvalidLimitPrice(c.LimitPrice);
        }

        // Protection on a live position would need Extended's own trigger orders; accepting it here and never
        // triggering it would be worse than refusing it.
        if (live && !c.Protection.IsEmpty)
        {
            return TradingErrors.LiveProtectionNotSupported();
        }

        if (FreshMark(c.Mark, market.Symbol, c.Now, rules) is { } priceError)
        {
            return priceError;
        }

        // Protection is checked around the price the position will open near: the limit, or the mark.
        var reference = c.Type == OrderType.Limit ? c.LimitPrice!.Value : c.Mark!.Price;
        if (!c.Protection.IsValidAround(c.Side, reference))
        {
            return TradingErrors.InvalidProtection(c.Side, reference);
        }

        // Extended nets everything on a market into one position; one of ours per market keeps the two 1:1.
        if (live && state.HoldsMarket(market.Symbol))
        {
            return TradingErrors.LiveMarketBusy(market.Symbol);
        }

        // Working orders count: every one of them may fill, and a fill never breaks the limit.
        if (state.OpenPositions.Count + state.Orders.Values.Count(o => o.Status == OrderStatus.Working) >= rules.MaxOpenPositions)
        {
            return TradingErrors.TooManyOpenPositions(rules.MaxOpenPositions);
        }

        var notional = c.Collateral * c.Leverage;
        if (notional < market.MinNotional)
        {
            return TradingErrors.NotionalTooSmall(notional, market.MinNotional);
        }

        // On a live account the fee is an estimate shown to the user, and the margin check is Extended's: it holds
        // the money and refuses what it cannot margin.
        var fee = PositionMath.OpenFee(notional, market.TakerFeeRate);
        if (!live && state.Balance < c.Collateral + fee)
        {
            return TradingErrors.InsufficientBalance(c.Collateral + fee, state.Balance);
        }

        var placed = new OrderPlaced(
            c.OrderId, c.IdempotencyKey, c.Fingerprint, c.Type, market.Symbol, c.Side, c.Leverage, c.Collateral, notional, fee,
            c.Type == OrderType.Limit ? c.LimitPrice : null, c.Protection, market.MaintenanceMarginRate, market.TakerFeeRate, c.Mark!.Price, c.Now);
        return Decision<IAccountEvent>.Accept([.. Opening(state, c.Trader.UserId, c.Now), placed]);
    }

    /// <summary>
    /// A limit order fills at its limit, or at the market fill price when that is better (a limit placed beyond the
    /// market fills at once, like a taker). A live order fills as the exchange executed it. A filled order opens the
    /// position with the order's id; filling it again changes nothing.
    /// </summary>
    private static Decision<IAccountEvent> FillOrder(AccountState state, FillOrder c, TradingRules rules)
    {
        if (ExecutionError(state.Kind, c.Execution, () => TradingErrors.LiveFillNeedsExecution(c.OrderId)) is { } routingError)
        {
            return routingError;
        }

        if (!state.Orders.TryGetValue(c.OrderId, out var order))
        {
            return TradingErrors.OrderNotFound(c.OrderId);
        }

        if (order.Status != OrderStatus.Working)
        {
            return order.Status == OrderStatus.Filled ? Decision<IAccountEvent>.Accept() : TradingErrors.OrderNotWorking(c.OrderId, order.Status, order.ReleaseReason);
        }

        var placed = order.Placed;
        if (c.Execution is { } execution)
        {
            return Decision<IAccountEvent>.Accept(LiveFill(placed, execution, c.Mark));
        }

        if (FreshMark(c.Mark, placed.Market, c.Now, rules) is { } priceError)
        {
            return priceError;
        }

        var mark = c.Mark!.Price;
        var marketFill = PositionMath.OpenFillPrice(placed.Side, mark, rules.Spread);
        var entry = marketFill;
        if (placed.LimitPrice is { } limit)
        {
            var crossed = placed.Side == PositionSide.Long ? mark <= limit : mark >= limit;
            if (!crossed)
            {
                return TradingErrors.LimitNotReached(c.OrderId, limit, mark);
            }

            entry = IsBetterOrEqual(placed.Side, marketFill, limit) ? marketFill : limit;
        }

        var terms = new PositionTerms(
            placed.Market,
            placed.Side,
            placed.Leverage,
            placed.Collateral,
            placed.Notional,
            PositionMath.Quantity(placed.Notional, entry),
            entry,
            placed.OpenFee,
            placed.MaintenanceMarginRate,
            placed.TakerFeeRate,
            c.Now);
        var protection = placed.Protection.IsEmpty ? null : placed.Protection;
        return Decision<IAccountEvent>.Accept(
            new PositionOpened(c.OrderId, c.OrderId, placed.IdempotencyKey, placed.RequestFingerprint, terms, mark, c.Now, protection));
    }

    private static Decision<IAccountEvent> ReleaseOrder(AccountState state, ReleaseOrder c)
    {
        if (!state.Orders.TryGetValue(c.OrderId, out var order))
        {
            return TradingErrors.OrderNotFound(c.OrderId);
        }

        return order.Status switch
        {
            OrderStatus.Working => Decision<IAccountEvent>.Accept(new OrderReleased(c.OrderId, order.Reserved, c.Reason, c.Now)),
            OrderStatus.Released => Decision<IAccountEvent>.Accept(),
            _ => TradingErrors.OrderNotWorking(c.OrderId, order.Status, order.ReleaseReason),
        };
    }

    private static Decision<IAccountEvent> SetProtection(AccountState state, SetProtection c, TradingRules rules)
    {
        // Refused on live like protection on a live order: nothing would ever trigger it (see TriggerProtection).
        if (state.Kind == AccountKind.Live)
        {
            return TradingErrors.LiveProtectionNotSupported();
        }

        if (!state.OpenPositions.TryGetValue(c.PositionId, out var position))
        {
            return TradingErrors.PositionNotOpen(state, c.PositionId);
        }

        if (FreshMark(c.Mark, position.Terms.Market, c.Now, rules) is { } priceError)
        {
            return priceError;
        }

        return c.Protection.IsValidAround(position.Terms.Side, c.Mark!.Price)
            ? Decision<IAccountEvent>.Accept(new ProtectionSet(c.PositionId, c.Protection, c.Now))
            : TradingErrors.InvalidProtection(position.Terms.Side, c.Mark.Price);
    }

    private static Decision<IAccountEvent> TriggerProtection(AccountState state, TriggerProtection c, TradingRules rules)
    {
        if (state.Kind == AccountKind.Live)
        {
            return TradingErrors.LiveManagedByExchange();
        }

        if (!state.OpenPositions.TryGetValue(c.PositionId, out var position))
        {
            return TradingErrors.PositionNotFound(c.PositionId);
        }

        return position.Protection.TriggeredBy(position.Terms.Side, c.Mark.Price) is { } reason
            ? Decision<IAccountEvent>.Accept(CloseAtMark(position, c.Mark.Price, reason, c.Now, rules))
            : TradingErrors.ProtectionNotTriggered(c.PositionId);
    }

    private static bool IsBetterOrEqual(PositionSide side, decimal price, decimal limit) =>
        side == PositionSide.Long ? price <= limit : price >= limit;

    private static Decision<IAccountEvent> ClosePosition(AccountState state, ClosePosition c, TradingRules rules)
    {
        if (ExecutionError(state.Kind, c.Execution, () => TradingErrors.LiveCloseNeedsExecution(c.PositionId)) is { } routingError)
        {
            return routingError;
        }

        if (!state.OpenPositions.TryGetValue(c.PositionId, out var position))
        {
            return TradingErrors.PositionNotOpen(state, c.PositionId);
        }

        if (c.Execution is { } execution)
        {
            return LiveClose(position, execution, c.Mark);
        }

        if (FreshMark(c.Mark, position.Terms.Market, c.Now, rules) is { } priceError)
        {
            return priceError;
        }

        return Decision<IAccountEvent>.Accept(CloseAtMark(position, c.Mark!.Price, CloseReason.User, c.Now, rules));
    }

    private static Decision<IAccountEvent> LiquidatePosition(AccountState state, LiquidatePosition c)
    {
        if (state.Kind == AccountKind.Live)
        {
            return TradingErrors.LiveManagedByExchange();
        }

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
        // Extended funds live positions itself; the hourly run passes them by without an error, as it does a position
        // opened after the funding time.
        if (state.Kind == AccountKind.Live)
        {
            return Decision<IAccountEvent>.Accept();
        }

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
        foreach (var released in Releases(state, ReleaseReason.Reset, c.Now))
        {
            balance += released.Amount;
            events.Add(released);
        }

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

        var events = new List<IAccountEvent>(Releases(state, ReleaseReason.Settlement, c.Now));
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

    private static IEnumerable<OrderReleased> Releases(AccountState state, ReleaseReason reason, DateTimeOffset now) =>
        state.WorkingOrders.Select(o => new OrderReleased(o.Placed.OrderId, o.Reserved, reason, now));

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

    public static AccountState Evolve(AccountState state, IAccountEvent @event, TradingRules rules)
    {
        var next = Record(state, @event, rules);

        // Extended holds a live account's money: the amounts its events name (reservations, fees, payouts) are facts
        // about the exchange's ledger, never movements of a balance here, which stays zero.
        return next.Kind == AccountKind.Live ? next with { Balance = 0m } : next;
    }

    private static AccountState Record(AccountState state, IAccountEvent @event, TradingRules rules) => @event switch
    {
        AccountOpened e => state with
        {
            IsOpened = true,
            Kind = e.Kind,
            OwnerId = e.OwnerId,
            Balance = e.StartingBalance,
            StartingBalance = e.StartingBalance,
        },
        OrderPlaced e => Remember(state, new OrderRecord(e, OrderStatus.Working), rules) with
        {
            Balance = state.Balance - e.Collateral - e.OpenFee,
        },
        OrderReleased e => state with
        {
            Balance = state.Balance + e.Amount,
            Orders = state.Orders.SetItem(e.OrderId, state.Orders[e.OrderId] with { Status = OrderStatus.Released, ReleaseReason = e.Reason }),
        },
        PositionOpened e => Filled(state, e, rules) with
        {
            OpenPositions = state.OpenPositions.Add(
                e.PositionId, new Position(e.PositionId, e.OrderId, e.Terms, e.Terms.InitialCollateral, null, e.Protection ?? Protection.None)),
        },
        ProtectionSet e => state with
        {
            OpenPositions = state.OpenPositions.SetItem(e.PositionId, state.OpenPositions[e.PositionId] with { Protection = e.Protection }),
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

    /// <summary>A fill pays from the order's reservation; a position recorded before orders reserved (no
    /// <see cref="OrderPlaced"/>) paid collateral and fee from the balance when it opened.</summary>
    private static AccountState Filled(AccountState state, PositionOpened e, TradingRules rules)
    {
        if (state.Orders.TryGetValue(e.OrderId, out var order) && order.Status == OrderStatus.Working)
        {
            return state with { Orders = state.Orders.SetItem(e.OrderId, order with { Status = OrderStatus.Filled }) };
        }

        var placed = new OrderPlaced(
            e.OrderId, e.IdempotencyKey, e.RequestFingerprint, OrderType.Market, e.Terms.Market, e.Terms.Side, e.Terms.Leverage,
            e.Terms.InitialCollateral, e.Terms.Notional, e.Terms.OpenFee, null, e.Protection ?? Protection.None,
            e.Terms.MaintenanceMarginRate, e.Terms.TakerFeeRate, e.MarkPrice, e.At);
        return Remember(state, new OrderRecord(placed, OrderStatus.Filled), rules) with
        {
            Balance = state.Balance - e.Terms.InitialCollateral - e.Terms.OpenFee,
        };
    }

    // Idempotency keys (and the orders they name) are kept for a window and up to a capacity; the oldest go first,
    // except orders still working, which are kept until they end.
    private static AccountState Remember(AccountState state, OrderRecord order, TradingRules rules)
    {
        var placed = order.Placed;
        var orders = state.Orders.SetItem(placed.OrderId, order);
        var byKey = state.RecentOrders.SetItem(placed.IdempotencyKey, placed.OrderId);
        var keys = state.RecentOrderKeys.Enqueue(placed.IdempotencyKey);
        while (!keys.IsEmpty && (byKey.Count > rules.IdempotencyCapacity || orders[byKey[keys.Peek()]].Placed.At < placed.At - rules.IdempotencyWindow))
        {
            var oldest = byKey[keys.Peek()];
            if (orders[oldest].Status == OrderStatus.Working)
            {
                break;
            }

            orders = orders.Remove(oldest);
            byKey = byKey.Remove(keys.Peek());
            keys = keys.Dequeue();
        }

        return state with { Orders = orders, RecentOrders = byKey, RecentOrderKeys = keys };
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
