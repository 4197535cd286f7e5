using System.Collections.Immutable;
using AstraTrade.Domain.Trading;
using FsCheck;
using FsCheck.Fluent;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>Money properties of the account decider over random histories (DOMAIN.md §1 "The ledger must balance").</summary>
public class AccountProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private enum StepKind
    {
        Open,
        Close,
        Liquidate,
        Funding,
        Reset,
        Move,
        Limit,
        Fill,
        Release,
        Protect,
        Trigger,
    }

    private sealed record Step(StepKind Kind, int Market, int Pick, int Leverage, long CollateralCents, int MoveBasisPoints, int Seconds, int RateMillionths);

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Frequency(
            (6, Gen.Constant(StepKind.Open)),
            (3, Gen.Constant(StepKind.Close)),
            (2, Gen.Constant(StepKind.Liquidate)),
            (1, Gen.Constant(StepKind.Funding)),
            (1, Gen.Constant(StepKind.Reset)),
            (4, Gen.Constant(StepKind.Move)),
            (3, Gen.Constant(StepKind.Limit)),
            (6, Gen.Constant(StepKind.Fill)),
            (1, Gen.Constant(StepKind.Release)),
            (2, Gen.Constant(StepKind.Protect)),
            (2, Gen.Constant(StepKind.Trigger)))
        from market in Gen.Choose(0, 3)
        from pick in Gen.Choose(0, 19)
        from leverage in Gen.Choose(1, 100)
        from collateral in Gen.Choose(1, 400_000)
        from move in Gen.Choose(-600, 600)
        from seconds in Gen.Choose(0, 7_200)
        from rate in Gen.Choose(-1_500, 1_500)
        select new Step(kind, market, pick, leverage, collateral, move, seconds, rate);

    private static readonly Arbitrary<Step[]> Histories = Gen.ArrayOf(StepGen).Resize(60).ToArbitrary();

    [Fact]
    public void The_ledger_balances_after_any_history()
    {
        Prop.ForAll(Histories, steps =>
        {
            var (_, events) = Run(steps);
            var state = NewPractice();
            foreach (var e in events)
            {
                state = Account.Evolve(state, e, Rules);
                var paidIn = events.TakeWhile(x => !ReferenceEquals(x, e)).Append(e).ToList();
                var start = 10_000m;
                var payouts = paidIn.OfType<PositionClosed>().Sum(x => x.Payout);
                var reserved = paidIn.OfType<OrderPlaced>().Sum(x => x.Collateral + x.OpenFee);
                var released = paidIn.OfType<OrderReleased>().Sum(x => x.Amount);
                var resets = paidIn.OfType<AccountReset>().Sum(x => x.Adjustment);
                Assert.Equal(start + payouts + released - reserved - resets, state.Balance);
                Assert.True(state.Balance >= 0, $"negative balance {state.Balance}");

                // What is held for working orders is exactly what they reserved; a fill spends exactly its reservation.
                var working = paidIn.OfType<OrderPlaced>()
                    .Where(o => !paidIn.Any(x => x is PositionOpened f && f.OrderId == o.OrderId || x is OrderReleased r && r.OrderId == o.OrderId));
                Assert.Equal(working.Sum(o => o.Collateral + o.OpenFee), state.Reserved);
            }
        }).Check(Runs);
    }

    [Fact]
    public void Every_order_ends_at_most_once_and_a_fill_opens_exactly_what_was_reserved()
    {
        Prop.ForAll(Histories, steps =>
        {
            var (state, events) = Run(steps);
            foreach (var placed in events.OfType<OrderPlaced>())
            {
                var fills = events.OfType<PositionOpened>().Where(f => f.OrderId == placed.OrderId).ToList();
                var releases = events.OfType<OrderReleased>().Where(r => r.OrderId == placed.OrderId).ToList();
                Assert.True(fills.Count + releases.Count <= 1, $"order {placed.OrderId} ended {fills.Count + releases.Count} times");
                foreach (var fill in fills)
                {
                    Assert.Equal(placed.Collateral + placed.OpenFee, fill.Terms.InitialCollateral + fill.Terms.OpenFee);
                    if (placed.LimitPrice is { } limit)
                    {
                        Assert.True(placed.Side == PositionSide.Long ? fill.Terms.EntryPrice <= limit : fill.Terms.EntryPrice >= limit,
                            "a limit order filled beyond its limit");
                    }
                }

                Assert.All(releases, r => Assert.Equal(placed.Collateral + placed.OpenFee, r.Amount));
                Assert.Equal(fills.Count + releases.Count == 0, state.Orders.TryGetValue(placed.OrderId, out var o) && o.Status == OrderStatus.Working);
            }
        }).Check(Runs);
    }

    [Fact]
    public void A_protection_close_happens_only_when_the_mark_crossed_it()
    {
        Prop.ForAll(Histories, steps =>
        {
            var (_, events) = Run(steps);
            foreach (var closed in events.OfType<PositionClosed>().Where(c => c.Reason is CloseReason.StopLoss or CloseReason.TakeProfit))
            {
                var protection = events.OfType<ProtectionSet>().LastOrDefault(p => p.PositionId == closed.PositionId && p.At <= closed.At)?.Protection
                    ?? events.OfType<PositionOpened>().Single(o => o.PositionId == closed.PositionId).Protection;
                Assert.NotNull(protection);
                Assert.Equal(closed.Reason, protection.TriggeredBy(closed.Terms.Side, closed.MarkPrice));
            }
        }).Check(Runs);
    }

    [Fact]
    public void Every_position_ends_with_its_collateral_and_funding_fully_accounted_for()
    {
        Prop.ForAll(Histories, steps =>
        {
            var (_, events) = Run(steps);
            foreach (var opened in events.OfType<PositionOpened>())
            {
                var funding = events.OfType<FundingApplied>().Where(f => f.PositionId == opened.PositionId).Sum(f => f.CollateralChange);
                var collateral = opened.Terms.InitialCollateral + funding;
                switch (events.SingleOrDefault(e => e is PositionClosed c && c.PositionId == opened.PositionId
                                                    || e is PositionLiquidated l && l.PositionId == opened.PositionId))
                {
                    case PositionClosed closed:
                        Assert.Equal(collateral, closed.Collateral);
                        Assert.Equal(Math.Max(0, closed.Collateral + closed.RealizedPnl - closed.CloseFee), closed.Payout);
                        break;
                    case PositionLiquidated liquidated:
                        Assert.Equal(collateral, liquidated.Collateral);
                        Assert.Equal(Math.Max(0, liquidated.Collateral + liquidated.PnlAtLiquidationPrice), liquidated.InsuranceFundAmount);
                        break;
                }
            }
        }).Check(Runs);
    }

    [Fact]
    public void A_position_is_liquidatable_exactly_beyond_its_liquidation_price()
    {
        var cases =
            from market in Gen.Elements(Markets)
            from side in Gen.Elements(PositionSide.Long, PositionSide.Short)
            from leverage in Gen.Choose(1, 100)
            from entryMillis in Gen.Choose(1, 200_000_000)
            from collateralCents in Gen.Choose(1_000, 1_000_000)
            from fundingShift in Gen.Choose(-900, 900) // funding moved collateral by up to ±90 %
            from mantissa in Gen.Choose(1, 9)
            from exponent in Gen.Choose(3, 11)
            from below in Gen.Elements(true, false)
            let offset = (below ? -mantissa : mantissa) * Pow10(-exponent)
            select (market, side, leverage, entry: entryMillis / 1000m, collateral: collateralCents / 100m, fundingShift, offset);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var notional = c.collateral * c.leverage;
            var terms = new PositionTerms(c.market.Symbol, c.side, c.leverage, c.collateral, notional, notional / c.entry, c.entry,
                0m, c.market.MaintenanceMarginRate, c.market.TakerFeeRate, T0);
            var collateral = c.collateral * (1 + (c.fundingShift / 1000m));
            var liquidationPrice = PositionMath.LiquidationPrice(terms, collateral);
            if (liquidationPrice == 0)
            {
                return; // a long that no positive price liquidates
            }

            // Probe prices at relative distances from 1e-3 down to 1e-11 on both sides. Exact equality is the one point
            // where 28-digit rounding may go either way, so the probe never lands on it.
            var price = liquidationPrice * (1 + c.offset);
            if (price <= 0)
            {
                return;
            }

            var beyond = c.side == PositionSide.Long ? price < liquidationPrice : price > liquidationPrice;
            Assert.Equal(beyond, PositionMath.IsLiquidatable(terms, collateral, price));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000));
    }

    private static decimal Pow10(int exponent) => exponent >= 0 ? (decimal)Math.Pow(10, exponent) : 1m / (decimal)Math.Pow(10, -exponent);

    /// <summary>Interprets a random history against the decider, skipping steps it rejects.</summary>
    private static (AccountState State, List<IAccountEvent> Events) Run(Step[] steps)
    {
        var state = NewPractice();
        var events = new List<IAccountEvent>();
        var now = T0;
        var marks = new[] { 95_000m, 3_400m, 180m, 0.45m };
        foreach (var step in steps)
        {
            now = now.AddSeconds(step.Seconds);
            var open = state.OpenPositions.Values.OrderBy(p => p.Terms.OpenedAt).ThenBy(p => p.Id).ToList();
            var target = open.Count == 0 ? null : open[step.Pick % open.Count];
            var orders = state.WorkingOrders.ToList();
            var working = orders.Count == 0 ? null : orders[step.Pick % orders.Count];
            var markOf = (string symbol) => new MarkPrice(marks[Array.FindIndex(Markets, m => m.Symbol == symbol)], now);
            AccountCommand? command = step.Kind switch
            {
                StepKind.Open => Order(
                    Markets[step.Market],
                    step.Pick % 2 == 0 ? PositionSide.Long : PositionSide.Short,
                    Math.Min(step.Leverage, Markets[step.Market].MaxLeverage),
                    step.CollateralCents / 100m,
                    marks[step.Market],
                    now),
                StepKind.Close when target is not null => new ClosePosition(target.Id, markOf(target.Terms.Market), now),
                StepKind.Liquidate when target is not null => new LiquidatePosition(target.Id, markOf(target.Terms.Market), now),
                StepKind.Funding => new ApplyFunding(
                    now,
                    Markets.Select((m, i) => (m.Symbol, Quote: new FundingQuote(step.RateMillionths / 1_000_000m, marks[i])))
                        .ToImmutableDictionary(x => x.Symbol, x => x.Quote),
                    now),
                StepKind.Reset => new ResetAccount(Alice.UserId, Markets.ToImmutableDictionary(m => m.Symbol, m => markOf(m.Symbol)), now),
                StepKind.Limit => Order(
                    Markets[step.Market],
                    step.Pick % 2 == 0 ? PositionSide.Long : PositionSide.Short,
                    Math.Min(step.Leverage, Markets[step.Market].MaxLeverage),
                    step.CollateralCents / 100m,
                    marks[step.Market],
                    now) with { Type = OrderType.Limit, LimitPrice = marks[step.Market] * (1 + (step.MoveBasisPoints / 10_000m)) },
                StepKind.Fill when working is not null => new FillOrder(working.Placed.OrderId, markOf(working.Placed.Market), now),
                StepKind.Release when working is not null => new ReleaseOrder(working.Placed.OrderId, ReleaseReason.Cancelled, now),
                StepKind.Protect when target is not null => new SetProtection(
                    target.Id,
                    new Protection(
                        markOf(target.Terms.Market).Price * (1 - (target.Terms.Side.Sign() * Math.Abs(step.MoveBasisPoints) / 20_000m)),
                        step.RateMillionths % 3 == 0 ? null : markOf(target.Terms.Market).Price * (1 + (target.Terms.Side.Sign() * (1 + Math.Abs(step.RateMillionths)) / 20_000m))),
                    markOf(target.Terms.Market),
                    now),
                StepKind.Trigger when target is not null => new TriggerProtection(target.Id, markOf(target.Terms.Market), now),
                StepKind.Move => null,
                _ => null,
            };

            if (step.Kind == StepKind.Move)
            {
                marks[step.Market] = Math.Max(0.00001m, marks[step.Market] * (1 + (step.MoveBasisPoints / 10_000m)));
            }

            if (command is null)
            {
                continue;
            }

            var decision = Account.Decide(state, command, Rules);
            if (!decision.IsRejected)
            {
                events.AddRange(decision.Events);
                state = Account.Fold(state, decision.Events, Rules);
            }
        }

        return (state, events);
    }
}
