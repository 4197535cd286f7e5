using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.LiveFixture;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>
/// A live position the exchange ended without an order of ours (a liquidation, a deleverage, a close in Extended's own
/// app), recorded when the reconciler finds it: at the exchange's exit price and time, once.
/// </summary>
public class LiveExchangeEndTests
{
    private static readonly ExchangeExecution Entry = Execution(95_000m, 0.0105m, 0.4988m, T0.AddSeconds(1));

    private static (AccountState State, Position Position) OpenLong() =>
        OpenLive(NewLive(), Order(Btc, PositionSide.Long, 10, 100m, 95_000m), Entry);

    [Fact]
    public void A_close_on_the_exchange_is_booked_at_its_exit_with_reason_exchange()
    {
        var (state, position) = OpenLong();
        var exit = Execution(96_000m, 0.0105m, 0.504m, T0.AddMinutes(10));

        var (after, events) = Apply(state, new RecordExchangeEnd(position.Id, exit, Liquidated: false, T0.AddMinutes(11)));

        var closed = Assert.IsType<PositionClosed>(Assert.Single(events));
        Assert.Equal((CloseReason.Exchange, 96_000m, 10.5m, 0.504m, 100m + 10.5m - 0.504m, exit.At),
            (closed.Reason, closed.ExitPrice, closed.RealizedPnl, closed.CloseFee, closed.Payout, closed.At));
        Assert.Empty(after.OpenPositions);
        Assert.Equal(0m, after.Balance);
    }

    [Fact]
    public void A_liquidation_on_the_exchange_returns_nothing_and_sends_nothing_to_our_insurance_fund()
    {
        var (state, position) = OpenLong();
        var exit = Execution(86_000m, 0.0105m, 0m, T0.AddHours(1));

        var (_, events) = Apply(state, new RecordExchangeEnd(position.Id, exit, Liquidated: true, T0.AddHours(1)));

        var liquidated = Assert.IsType<PositionLiquidated>(Assert.Single(events));
        Assert.Equal((86_000m, -94.5m, 0m, exit.At), (liquidated.LiquidationPrice, liquidated.PnlAtLiquidationPrice, liquidated.InsuranceFundAmount, liquidated.At));
    }

    [Fact]
    public void Recording_it_again_changes_nothing_and_says_it_is_closed()
    {
        var (state, position) = OpenLong();
        var end = new RecordExchangeEnd(position.Id, Execution(96_000m, 0.0105m, 0.5m, T0.AddMinutes(10)), false, T0.AddMinutes(11));
        var (after, _) = Apply(state, end);

        Assert.Equal("position-already-closed", Reject(after, end).Code);
    }

    [Fact]
    public void Only_a_live_account_takes_it_and_only_with_a_sensible_exit()
    {
        var (state, position) = OpenLong();

        Assert.Equal("unexpected-execution", Reject(NewPractice(), new RecordExchangeEnd(position.Id, Entry, false, T0)).Code);
        Assert.Equal("invalid-execution", Reject(state, new RecordExchangeEnd(position.Id, Execution(0m, 0.0105m, 0m, T0.AddMinutes(1)), false, T0)).Code);
        Assert.Equal("invalid-execution", Reject(state, new RecordExchangeEnd(position.Id, Execution(96_000m, 0.0105m, 0m, T0), false, T0)).Code); // before the open
        Assert.Equal("position-not-found", Reject(state, new RecordExchangeEnd(Guid.NewGuid(), Entry, false, T0)).Code);
    }
}
