using System.Collections.Immutable;
using AstraTrade.Domain.Trading;
using static AstraTrade.Domain.UnitTests.Trading.TradingFixture;

namespace AstraTrade.Domain.UnitTests.Trading;

/// <summary>Tournament accounts: opened with the balance their tournament fixed, settled at mark when it ends.</summary>
public class TournamentAccountTests
{
    private static AccountState NewTournament() => AccountState.Unopened(AccountKind.Tournament, Rules);

    [Fact]
    public void An_account_opens_with_the_given_balance_once_and_a_retry_changes_nothing()
    {
        var (opened, events) = Apply(NewTournament(), new OpenAccount(Alice.UserId, 250_000m, T0));

        Assert.Equal(new AccountOpened(AccountKind.Tournament, Alice.UserId, 250_000m, T0), Assert.Single(events));
        Assert.Equal((250_000m, 250_000m), (opened.Balance, opened.StartingBalance));
        Assert.Empty(Apply(opened, new OpenAccount(Alice.UserId, 250_000m, T0.AddMinutes(1))).Events);
        Assert.Equal("account-already-open", Reject(opened, new OpenAccount(Alice.UserId, 100_000m, T0)).Code);
        Assert.Equal("account-already-open", Reject(opened, new OpenAccount("someone-else", 250_000m, T0)).Code);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("0.0000001")]
    public void A_starting_balance_must_be_positive_whole_micro_dollars(string balance) =>
        Assert.Equal("invalid-starting-balance", Reject(NewTournament(), new OpenAccount(Alice.UserId, decimal.Parse(balance, System.Globalization.CultureInfo.InvariantCulture), T0)).Code);

    [Fact]
    public void Settlement_closes_every_open_position_at_mark_and_the_balance_is_the_final_equity()
    {
        var (state, _) = Apply(NewTournament(), new OpenAccount(Alice.UserId, 100_000m, T0));
        (state, _) = Open(state, Btc, PositionSide.Long, 10, 1_000m, 95_000m);
        (state, _) = Open(state, Eth, PositionSide.Short, 5, 500m, 3_400m);

        var at = T0.AddHours(1);
        var (after, events) = Apply(state, Settle(at, ("BTC-USD", 96_000m), ("ETH-USD", 3_300m)));

        var closes = events.Cast<PositionClosed>().ToList();
        Assert.Equal(2, closes.Count);
        Assert.All(closes, c => Assert.Equal((CloseReason.Settlement, at), (c.Reason, c.At)));
        Assert.Equal(state.Balance + closes.Sum(c => c.Payout), after.Balance);
        Assert.Empty(after.OpenPositions);
        Assert.Empty(Apply(after, Settle(at.AddMinutes(1))).Events);
    }

    [Fact]
    public void Settlement_needs_fresh_prices_and_a_tournament_account()
    {
        var (state, _) = Apply(NewTournament(), new OpenAccount(Alice.UserId, 100_000m, T0));
        (state, _) = Open(state, Btc, PositionSide.Long, 10, 1_000m, 95_000m);

        Assert.Equal("stale-price", Reject(state, Settle(T0.AddHours(1))).Code);
        Assert.Equal("settlement-not-allowed", Reject(NewPractice(), Settle(T0)).Code);
    }

    [Fact]
    public void A_position_under_maintenance_margin_at_settlement_is_liquidated_not_closed()
    {
        var (state, _) = Apply(NewTournament(), new OpenAccount(Alice.UserId, 100_000m, T0));
        (state, var position) = Open(state, Btc, PositionSide.Long, 100, 1_000m, 95_000m);

        var (_, events) = Apply(state, Settle(T0, ("BTC-USD", position.LiquidationPrice - 100m)));

        Assert.IsType<PositionLiquidated>(Assert.Single(events));
    }

    private static SettleAccount Settle(DateTimeOffset at, params (string Market, decimal Mark)[] marks) =>
        new(marks.ToImmutableDictionary(m => m.Market, m => new MarkPrice(m.Mark, at)), at);
}
