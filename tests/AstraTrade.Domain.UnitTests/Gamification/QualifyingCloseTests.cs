using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class QualifyingCloseTests
{
    [Theory]
    [InlineData(TradingVenue.Practice, -3.5, 50)]
    [InlineData(TradingVenue.Tournament, -3.5, 50)]
    [InlineData(TradingVenue.Live, -3.5, 100)]
    [InlineData(TradingVenue.Practice, 0.000001, 75)]
    [InlineData(TradingVenue.Tournament, 12, 75)]
    [InlineData(TradingVenue.Live, 0.000001, 125)]
    public void Close_earns_50_with_virtual_money_100_live_and_25_more_when_profitable(TradingVenue venue, double pnl, long xp)
    {
        var events = new Scenario().Close(At.Day(1), (decimal)pnl, venue);

        Assert.Equal((xp, 0L), events.Award(XpReason.QualifyingClose));
    }

    [Fact]
    public void Close_with_zero_pnl_is_not_profitable()
    {
        var scenario = new Scenario();

        var events = scenario.Close(At.Day(1), pnl: 0m);

        Assert.Equal(50, events.Granted(XpReason.QualifyingClose));
        Assert.False(Assert.Single(events.OfType<QualifyingCloseRecorded>()).Profitable);
        Assert.Equal((1, 0), (scenario.State.QualifyingCloses, scenario.State.ProfitableCloses));
    }

    [Fact]
    public void Qualifying_close_is_recorded_with_its_feed_identity()
    {
        var scenario = new Scenario();
        var close = scenario.NextClose(At.Day(1), pnl: 4m, venue: TradingVenue.Live);

        var events = scenario.Execute(close);

        Assert.Equal(
            new QualifyingCloseRecorded(close.SourceStream, close.SourceVersion, close.PositionId, TradingVenue.Live, true, close.ClosedAt),
            events[0]);
        Assert.Equal((1, 1), (scenario.State.QualifyingCloses, scenario.State.ProfitableCloses));
    }

    [Fact]
    public void Close_held_exactly_60_seconds_qualifies()
    {
        var events = new Scenario().Close(At.Day(1), hold: TimeSpan.FromSeconds(60));

        Assert.Single(events.OfType<QualifyingCloseRecorded>());
    }

    [Fact]
    public void Close_held_59_999_seconds_yields_no_events()
    {
        var scenario = new Scenario();

        var events = scenario.Close(At.Day(1), hold: TimeSpan.FromMilliseconds(59_999));

        Assert.Empty(events);
        Assert.Same(ProgressionState.Initial, scenario.State);
    }

    [Fact]
    public void Close_of_exactly_10_dollars_notional_qualifies()
    {
        var events = new Scenario().Close(At.Day(1), notional: 10m);

        Assert.Single(events.OfType<QualifyingCloseRecorded>());
    }

    [Fact]
    public void Close_just_under_10_dollars_notional_yields_no_events()
    {
        var events = new Scenario().Close(At.Day(1), notional: 9.999999m);

        Assert.Empty(events);
    }

    [Fact]
    public void Close_that_ends_before_it_opens_does_not_qualify()
    {
        var events = new Scenario().Close(At.Day(1), hold: TimeSpan.FromMinutes(-5));

        Assert.Empty(events);
    }

    [Fact]
    public void Minimum_hold_and_notional_come_from_the_rules()
    {
        var rules = GamificationRules.Default with { MinimumHold = TimeSpan.FromSeconds(5), MinimumNotional = 1m };
        var scenario = new Scenario(rules);

        Assert.Empty(scenario.Close(At.Day(1), hold: TimeSpan.FromMilliseconds(4_999), notional: 1m));
        Assert.Empty(scenario.Close(At.Day(1), hold: TimeSpan.FromSeconds(5), notional: 0.99m));
        Assert.NotEmpty(scenario.Close(At.Day(1), hold: TimeSpan.FromSeconds(5), notional: 1m));
    }

    [Fact]
    public void Close_xp_belongs_to_the_utc_day_of_its_close_time()
    {
        var closedAt = new DateTimeOffset(2026, 3, 3, 1, 30, 0, TimeSpan.FromHours(2));

        var events = new Scenario().Close(closedAt);

        Assert.Equal(new DateOnly(2026, 3, 2), Assert.Single(events.Xp(XpReason.QualifyingClose)).Day);
    }

    [Fact]
    public void Close_from_an_unknown_venue_is_rejected()
    {
        var scenario = new Scenario();

        var decision = scenario.Try(scenario.NextClose(At.Day(1), venue: default));

        Assert.Equal("invalid-venue", decision.Error?.Code);
    }

    [Theory]
    [InlineData("", "position-1", "invalid-source")]
    [InlineData(" ", "position-1", "invalid-source")]
    [InlineData("account-1", "", "invalid-position")]
    public void Feed_commands_without_their_identity_are_rejected(string stream, string position, string code)
    {
        var close = new RecordClose(stream, 1, position, TradingVenue.Practice, At.Day(1).AddHours(-1), At.Day(1), 100m, 0m);
        var liquidation = new RecordLiquidation(stream, 1, position, At.Day(1));

        Assert.Equal(code, Progression.Decide(ProgressionState.Initial, close, GamificationRules.Default).Error?.Code);
        Assert.Equal(code, Progression.Decide(ProgressionState.Initial, liquidation, GamificationRules.Default).Error?.Code);
    }
}
