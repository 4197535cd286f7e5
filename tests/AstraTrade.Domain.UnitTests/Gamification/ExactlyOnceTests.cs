using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class ExactlyOnceTests
{
    [Fact]
    public void Redelivered_close_yields_no_events()
    {
        var scenario = new Scenario();
        var close = scenario.NextClose(At.Day(1));
        scenario.Execute(close);
        var before = scenario.State;

        Assert.Empty(scenario.Execute(close));
        Assert.Empty(scenario.Execute(close with { ClosedAt = At.Day(2), RealizedPnl = 99m }));
        Assert.Same(before, scenario.State);
    }

    [Fact]
    public void Redelivered_liquidation_yields_no_events()
    {
        var scenario = new Scenario();
        var liquidation = new RecordLiquidation("position-7", 3, "position-7", At.Day(1));
        scenario.Execute(liquidation);

        Assert.Empty(scenario.Execute(liquidation));
        Assert.Equal((10L, 1), (scenario.State.Xp, scenario.State.Liquidations));
    }

    [Fact]
    public void Anything_at_or_below_the_highest_applied_version_of_a_stream_is_a_redelivery()
    {
        var scenario = new Scenario();
        scenario.Execute(Close("account-1", 5));

        Assert.Empty(scenario.Execute(Close("account-1", 4)));
        Assert.Empty(scenario.Execute(new RecordLiquidation("account-1", 5, "position-5", At.Day(1))));
        Assert.NotEmpty(scenario.Execute(Close("account-1", 6)));
        Assert.Equal(6, scenario.State.AppliedSourceVersions["account-1"]);
    }

    [Fact]
    public void Versions_are_tracked_per_source_stream()
    {
        var scenario = new Scenario();
        scenario.Execute(Close("account-1", 5));

        Assert.NotEmpty(scenario.Execute(Close("account-2", 5)));
        Assert.Equal(2, scenario.State.QualifyingCloses);
    }

    [Fact]
    public void Non_qualifying_close_leaves_no_trace_and_neither_does_its_redelivery()
    {
        var scenario = new Scenario();
        var close = Close("account-1", 1) with { Notional = 5m };

        Assert.Empty(scenario.Execute(close));
        Assert.Empty(scenario.Execute(close));
        Assert.Same(ProgressionState.Initial, scenario.State);
    }

    [Fact]
    public void Deduplication_survives_rebuilding_the_state_from_its_events()
    {
        var scenario = new Scenario();
        var close = Close("account-1", 1);
        var liquidation = new RecordLiquidation("position-9", 1, "position-9", At.Day(1));
        scenario.Execute(close);
        scenario.Execute(liquidation);

        var rebuilt = Progression.Fold(ProgressionState.Initial, scenario.History);

        Assert.Empty(Progression.Decide(rebuilt, close, scenario.Rules).Events);
        Assert.Empty(Progression.Decide(rebuilt, liquidation, scenario.Rules).Events);
    }

    private static RecordClose Close(string stream, long version) =>
        new(stream, version, $"position-{version}", TradingVenue.Practice, At.Day(1).AddMinutes(-5), At.Day(1), 100m, 0m);
}
