using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class DailyCapTests
{
    [Fact]
    public void Default_cap_is_2000_trading_xp_per_utc_day()
    {
        var scenario = new Scenario();

        // 125 per profitable live close, 10 of streak bonus with the first: 15 closes make 1,885.
        var awards = Enumerable.Range(0, 17)
            .SelectMany(i => scenario.Close(At.Day(1).AddMinutes(i), pnl: 1m, venue: TradingVenue.Live).Xp(XpReason.QualifyingClose))
            .Select(a => (a.Amount, a.CutByCap))
            .ToList();

        Assert.All(awards.Take(15), a => Assert.Equal((125L, 0L), a));
        Assert.Equal((115L, 10L), awards[15]);
        Assert.Equal((0L, 125L), awards[16]);
        Assert.Equal(2_000, scenario.State.TradingXpByDay[At.DateOf(1)]);
    }

    [Fact]
    public void Cap_reached_exactly_grants_in_full_and_then_nothing()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 160 });
        scenario.Close(At.Day(1));
        scenario.Close(At.Day(1));

        var reaching = scenario.Close(At.Day(1));
        var beyond = scenario.Close(At.Day(1));

        Assert.Equal((50L, 0L), reaching.Award(XpReason.QualifyingClose));
        Assert.Equal((0L, 50L), beyond.Award(XpReason.QualifyingClose));
        Assert.Equal(160, scenario.State.TradingXpByDay[At.DateOf(1)]);
    }

    [Fact]
    public void Partly_used_cap_grants_the_remainder_and_records_the_cut()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 150 });
        scenario.Close(At.Day(1));
        scenario.Close(At.Day(1));

        var events = scenario.Close(At.Day(1));

        Assert.Equal((40L, 10L), events.Award(XpReason.QualifyingClose));
    }

    [Fact]
    public void Streak_bonus_is_capped_like_the_close_that_earned_it()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 55 });

        var events = scenario.Close(At.Day(1));

        Assert.Equal((50L, 0L), events.Award(XpReason.QualifyingClose));
        Assert.Equal((5L, 5L), events.Award(XpReason.StreakBonus));
    }

    [Fact]
    public void Cap_starts_afresh_at_midnight_utc()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 60 });
        scenario.Close(At.Utc(2026, 3, 1, 23, 0, 0));
        Assert.Equal((0L, 50L), scenario.Close(At.Utc(2026, 3, 1, 23, 59, 59)).Award(XpReason.QualifyingClose));

        var events = scenario.Close(At.Utc(2026, 3, 2, 0, 0, 0));

        Assert.Equal((50L, 0L), events.Award(XpReason.QualifyingClose));
    }

    [Fact]
    public void Achievement_xp_is_not_capped()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 0 });

        var events = scenario.Close(At.Day(1));

        Assert.Equal((0L, 50L), events.Award(XpReason.QualifyingClose));
        Assert.Equal((100L, 0L), events.Award(XpReason.Achievement));
        Assert.Equal(100, scenario.State.Xp);
    }

    [Fact]
    public void Late_delivery_earns_xp_under_its_own_days_cap()
    {
        var scenario = new Scenario(GamificationRules.Default with { DailyTradingXpCap = 100 });
        scenario.Close(At.Day(1));
        scenario.Close(At.Day(2));
        scenario.Close(At.Day(2));

        var late = scenario.Close(At.Day(1, hour: 18));
        var lateAgain = scenario.Close(At.Day(1, hour: 19));

        Assert.Equal((40L, 10L), late.Award(XpReason.QualifyingClose));
        Assert.Equal((0L, 50L), lateAgain.Award(XpReason.QualifyingClose));
        Assert.Equal((100L, 100L), (scenario.State.TradingXpByDay[At.DateOf(1)], scenario.State.TradingXpByDay[At.DateOf(2)]));
    }

    [Fact]
    public void State_keeps_trading_xp_for_the_last_7_days_only()
    {
        var scenario = new Scenario();

        foreach (var day in Enumerable.Range(1, 10))
        {
            scenario.Liquidate(At.Day(day));
        }

        Assert.Equal(Enumerable.Range(4, 7).Select(At.DateOf), scenario.State.TradingXpByDay.Keys);
    }

    [Fact]
    public void Late_delivery_within_the_kept_days_earns_xp_and_older_still_counts_but_earns_none()
    {
        var scenario = new Scenario();
        scenario.Close(At.Day(10));

        var oldestKept = scenario.Close(At.Day(10 - ProgressionState.TradingXpDaysKept + 1));
        var tooOld = scenario.Close(At.Day(10 - ProgressionState.TradingXpDaysKept));

        Assert.Equal((50L, 0L), oldestKept.Award(XpReason.QualifyingClose));
        Assert.Equal((0L, 50L), tooOld.Award(XpReason.QualifyingClose));
        Assert.Equal(3, scenario.State.QualifyingCloses);
    }

}
