using System.Collections.Immutable;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Trading;
using FsCheck;
using FsCheck.Fluent;
using static AstraTrade.Domain.UnitTests.Trading.LiveFixture;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>Properties of a live account over random histories of orders, the exchange's executions and releases.</summary>
public class LiveAccountProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);

    private enum StepKind
    {
        Place,
        Limit,
        Fill,
        Release,
        Close,
        PartialClose,
        Move,
        ExchangeManaged,
    }

    private sealed record Step(
        StepKind Kind, int Market, int Pick, int Leverage, long CollateralCents, int MoveBasisPoints, int Seconds, int QuantityMillionths, int FeeMicros);

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Frequency(
            (5, Gen.Constant(StepKind.Place)),
            (3, Gen.Constant(StepKind.Limit)),
            (6, Gen.Constant(StepKind.Fill)),
            (2, Gen.Constant(StepKind.Release)),
            (4, Gen.Constant(StepKind.Close)),
            (1, Gen.Constant(StepKind.PartialClose)),
            (4, Gen.Constant(StepKind.Move)),
            (2, Gen.Constant(StepKind.ExchangeManaged)))
        from market in Gen.Choose(0, 3)
        from pick in Gen.Choose(0, 19)
        from leverage in Gen.Choose(1, 100)
        from collateral in Gen.Choose(1, 4_000_000)
        from move in Gen.Choose(-2_000, 2_000)
        from seconds in Gen.Choose(0, 3_600)
        from quantity in Gen.Choose(1, 3_000_000)
        from fee in Gen.Choose(0, 50_000_000)
        select new Step(kind, market, pick, leverage, collateral, move, seconds, quantity, fee);

    private static readonly Gen<Step[]> HistoryGen = Gen.ArrayOf(StepGen).Resize(60);

    private static readonly Arbitrary<Step[]> Histories = HistoryGen.ToArbitrary();

    [Fact]
    public void The_generated_histories_reach_every_outcome_so_the_properties_are_not_vacuous()
    {
        var runs = HistoryGen.Sample(60, 200).Select(Run).ToList();
        var events = runs.SelectMany(r => r.Events).ToList();
        var closes = events.OfType<PositionClosed>().ToList();

        Assert.NotEmpty(events.OfType<OrderReleased>());
        Assert.Contains(closes, c => c.Payout > 0 && c.RealizedPnl > 0);
        Assert.Contains(closes, c => c.RealizedPnl < 0);
        Assert.Contains(closes, c => c.Payout == 0);
        Assert.Contains(runs.SelectMany(r => r.Repeats), r => r.Command is FillOrder);
        Assert.Contains(runs.SelectMany(r => r.Repeats), r => r.Command is ClosePosition);

        // Markets are reused after a close, and a busy market is really asked for again while it is busy.
        Assert.Contains(runs, r => r.Events.OfType<PositionOpened>().GroupBy(o => o.Terms.Market).Any(g => g.Count() > 1));
        Assert.Contains(runs, r => r.Refusals.Contains("live-market-busy"));
    }

    [Fact]
    public void The_balance_is_zero_after_every_event()
    {
        Prop.ForAll(Histories, steps =>
        {
            var state = NewLive();
            foreach (var e in Run(steps).Events)
            {
                state = Account.Evolve(state, e, Rules);
                Assert.Equal(0m, state.Balance);
            }
        }).Check(Runs);
    }

    [Fact]
    public void Each_market_holds_at_most_one_open_position_or_working_order()
    {
        Prop.ForAll(Histories, steps =>
        {
            var state = NewLive();
            foreach (var e in Run(steps).Events)
            {
                state = Account.Evolve(state, e, Rules);
                var perMarket = state.OpenPositions.Values.Select(p => p.Terms.Market)
                    .Concat(state.WorkingOrders.Select(o => o.Placed.Market))
                    .GroupBy(m => m)
                    .Max(g => (int?)g.Count()) ?? 0;
                Assert.True(perMarket <= 1, $"{perMarket} positions or orders on one market");
            }
        }).Check(Runs);
    }

    [Fact]
    public void Positions_open_and_close_exactly_as_the_exchange_executed_them()
    {
        Prop.ForAll(Histories, steps =>
        {
            var history = Run(steps);
            foreach (var opened in history.Events.OfType<PositionOpened>())
            {
                var placed = history.Events.OfType<OrderPlaced>().Single(o => o.OrderId == opened.OrderId);
                var fill = history.Fills[opened.OrderId];
                Assert.Equal(
                    (placed.Collateral, fill.Price, fill.Quantity, fill.Quantity * fill.Price, fill.Fee, fill.At),
                    (opened.Terms.InitialCollateral, opened.Terms.EntryPrice, opened.Terms.Quantity, opened.Terms.Notional, opened.Terms.OpenFee, opened.Terms.OpenedAt));
            }

            foreach (var closed in history.Events.OfType<PositionClosed>())
            {
                var terms = history.Events.OfType<PositionOpened>().Single(o => o.PositionId == closed.PositionId).Terms;
                var close = history.Closes[closed.PositionId];
                var exactPnl = terms.Side.Sign() * terms.Quantity * (close.Price - terms.EntryPrice);
                Assert.Equal((close.Price, close.Fee, terms.InitialCollateral, CloseReason.User), (closed.ExitPrice, closed.CloseFee, closed.Collateral, closed.Reason));

                // Booked like every close: the exact PnL, rounded down to the micro-dollar.
                Assert.Equal(Money.Credit(exactPnl), closed.RealizedPnl);
                Assert.InRange(exactPnl - closed.RealizedPnl, 0m, 0.000001m);
                Assert.Equal(Math.Max(0m, terms.InitialCollateral + closed.RealizedPnl - close.Fee), closed.Payout);
            }

            // The exchange liquidates and funds; nothing of the kind is ever recorded here.
            Assert.All(history.Events, e => Assert.True(
                e is AccountOpened or OrderPlaced or OrderReleased or PositionOpened or PositionClosed, $"unexpected {e.GetType().Name}"));
        }).Check(Runs);
    }

    [Fact]
    public void Repeating_a_fill_or_a_close_adds_no_events()
    {
        Prop.ForAll(Histories, steps =>
        {
            foreach (var (command, repeat) in Run(steps).Repeats)
            {
                Assert.Empty(repeat.Events);
                if (command is FillOrder)
                {
                    Assert.False(repeat.IsRejected, repeat.Error?.ToString());
                }
                else
                {
                    Assert.Equal("position-already-closed", repeat.Error?.Code);
                }
            }
        }).Check(Runs);
    }

    private sealed record History(
        List<IAccountEvent> Events,
        Dictionary<Guid, ExchangeExecution> Fills,
        Dictionary<Guid, ExchangeExecution> Closes,
        List<(AccountCommand Command, Decision<IAccountEvent> Repeat)> Repeats,
        List<string> Refusals);

    /// <summary>Interprets a random history against the decider, skipping steps it rejects. Every accepted fill and
    /// close is decided a second time on the state it produced, as a redelivered command would be.</summary>
    private static History Run(Step[] steps)
    {
        var state = NewLive();
        var history = new History([], [], [], [], []);
        var now = T0;
        var marks = new[] { 95_000m, 3_400m, 180m, 0.45m };
        foreach (var step in steps)
        {
            now = now.AddSeconds(step.Seconds);
            var open = state.OpenPositions.Values.OrderBy(p => p.Terms.OpenedAt).ThenBy(p => p.Id).ToList();
            var target = open.Count == 0 ? null : open[step.Pick % open.Count];
            var orders = state.WorkingOrders.ToList();
            var working = orders.Count == 0 ? null : orders[step.Pick % orders.Count];
            var moved = (decimal mark) => mark * (1 + (step.MoveBasisPoints / 10_000m));
            var fee = step.FeeMicros / 1_000_000m;
            var order = Order(
                Markets[step.Market],
                step.Pick % 2 == 0 ? PositionSide.Long : PositionSide.Short,
                Math.Min(step.Leverage, Markets[step.Market].MaxLeverage),
                step.CollateralCents / 100m,
                marks[step.Market],
                now);
            AccountCommand? command = step.Kind switch
            {
                StepKind.Place => order,
                StepKind.Limit => order with { Type = OrderType.Limit, LimitPrice = moved(marks[step.Market]) },
                StepKind.Fill when working is not null => LiveFill(
                    working.Placed.OrderId,
                    Execution(moved(MarkOf(working.Placed.Market)), step.QuantityMillionths / 1_000_000m, fee, now),
                    new MarkPrice(MarkOf(working.Placed.Market), now)),
                StepKind.Release when working is not null => new ReleaseOrder(working.Placed.OrderId, ReleaseReason.Cancelled, now),
                StepKind.Close when target is not null => LiveClose(target.Id, Execution(moved(MarkOf(target.Terms.Market)), target.Terms.Quantity, fee, now)),
                StepKind.PartialClose when target is not null => LiveClose(
                    target.Id, Execution(MarkOf(target.Terms.Market), target.Terms.Quantity * (step.Pick % 2 == 0 ? 0.5m : 1.5m), fee, now)),
                StepKind.ExchangeManaged when target is not null => (step.Pick % 3) switch
                {
                    0 => new LiquidatePosition(target.Id, new MarkPrice(target.LiquidationPrice * (1 - (target.Terms.Side.Sign() * 0.01m)), now), now),
                    1 => new TriggerProtection(target.Id, new MarkPrice(MarkOf(target.Terms.Market), now), now),
                    _ => new ApplyFunding(
                        now,
                        Markets.Select((m, i) => (m.Symbol, Quote: new FundingQuote(0.0005m, marks[i]))).ToImmutableDictionary(x => x.Symbol, x => x.Quote),
                        now),
                },
                _ => null,
            };

            if (step.Kind == StepKind.Move)
            {
                marks[step.Market] = Math.Max(0.00001m, moved(marks[step.Market]));
            }

            if (command is null)
            {
                continue;
            }

            var decision = Account.Decide(state, command, Rules);
            if (decision.IsRejected)
            {
                history.Refusals.Add(decision.Error!.Code);
                continue;
            }

            history.Events.AddRange(decision.Events);
            state = Account.Fold(state, decision.Events, Rules);
            switch (command)
            {
                case FillOrder { Execution: { } fill } f when decision.Events.Count > 0:
                    history.Fills[f.OrderId] = fill;
                    history.Repeats.Add((command, Account.Decide(state, command, Rules)));
                    break;
                case ClosePosition { Execution: { } close } c when decision.Events.Count > 0:
                    history.Closes[c.PositionId] = close;
                    history.Repeats.Add((command, Account.Decide(state, command, Rules)));
                    break;
            }
        }

        return history;

        decimal MarkOf(string symbol) => marks[Array.FindIndex(Markets, m => m.Symbol == symbol)];
    }
}
