using AstraTrade.Domain.Gamification;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Domain.UnitTests.Gamification;

/// <summary>Tournament prizes, refunds and entry fees in the progression: Stellar Shards conserved, XP uncapped, each
/// payout applied once per source event, each fee paid once and returned at most once.</summary>
public class TournamentPayoutTests
{
    private const string Cup = "custom-cup";
    private const string Source = "tournament-custom-cup";

    [Fact]
    public void A_prize_credits_shards_and_awards_tournament_xp_outside_the_daily_cap()
    {
        var rules = GamificationRules.Default with { DailyTradingXpCap = 0 };
        var scenario = new Scenario(rules);

        var events = scenario.Execute(new RecordTournamentPayout(Source, 7, Cup, 1_000, 500, At.Day(1)));

        Assert.Equal((1_000L, 0L), events.Award(XpReason.Tournament));
        Assert.Equal((1_000L, 500L), (scenario.State.Xp, scenario.State.Shards));
        Assert.Empty(scenario.Execute(new RecordTournamentPayout(Source, 7, Cup, 1_000, 500, At.Day(1))));
        Assert.Equal(0, scenario.State.Streak); // a prize is not trading activity
    }

    [Fact]
    public void A_payout_cannot_take_anything_away()
    {
        var scenario = new Scenario();

        Assert.Equal("invalid-payout", scenario.Try(new RecordTournamentPayout(Source, 1, Cup, -1, 0, At.Day(1))).Error!.Code);
        Assert.Equal("invalid-payout", scenario.Try(new RecordTournamentPayout(Source, 1, Cup, 0, -1, At.Day(1))).Error!.Code);
    }

    [Fact]
    public void An_entry_fee_needs_the_shards_is_paid_once_and_returned_once()
    {
        var scenario = new Scenario();
        Assert.Equal("insufficient-shards", scenario.Try(new PayEntryFee(Cup, 10, At.Day(1))).Error!.Code);

        scenario.Execute(new RecordTournamentPayout(Source, 1, Cup, 0, 25, At.Day(1)));
        Assert.Single(scenario.Execute(new PayEntryFee(Cup, 10, At.Day(1))));
        Assert.Empty(scenario.Execute(new PayEntryFee(Cup, 10, At.Day(1))));
        Assert.Equal(15, scenario.State.Shards);

        Assert.Single(scenario.Execute(new ReturnEntryFee(Cup, At.Day(1))));
        Assert.Empty(scenario.Execute(new ReturnEntryFee(Cup, At.Day(1))));
        Assert.Equal(25, scenario.State.Shards);

        // A new attempt after a refused one pays again.
        Assert.Single(scenario.Execute(new PayEntryFee(Cup, 10, At.Day(1))));
        Assert.Equal(15, scenario.State.Shards);
        Assert.Empty(new Scenario().Execute(new ReturnEntryFee(Cup, At.Day(1))));
    }

    [Fact]
    public void Shards_are_conserved_never_negative_and_every_payout_applies_once() =>
        Prop.ForAll(Commands().ToArbitrary(), commands =>
        {
            var scenario = new Scenario();
            var applied = new HashSet<long>();
            foreach (var command in commands)
            {
                var decision = scenario.Try(command);
                if (decision.IsRejected)
                {
                    continue;
                }

                if (command is RecordTournamentPayout payout && decision.Events.Count > 0 && !applied.Add(payout.SourceVersion))
                {
                    return false; // applied twice
                }

                if (scenario.State.Shards < 0)
                {
                    return false;
                }
            }

            var events = scenario.History;
            var expected = events.OfType<TournamentPayoutRecorded>().Sum(e => e.Shards)
                + events.OfType<AchievementUnlocked>().Sum(e => e.Shards)
                - events.OfType<EntryFeePaid>().Sum(e => e.Amount)
                + events.OfType<EntryFeeReturned>().Sum(e => e.Amount);
            var returnedTwice = events.OfType<EntryFeeReturned>().Count() > events.OfType<EntryFeePaid>().Count();
            return scenario.State.Shards == expected && !returnedTwice
                && scenario.State.Xp == events.OfType<XpAwarded>().Sum(e => e.Amount);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

    // Payouts from one tournament stream in version order, with redeliveries of earlier versions; fees and returns for
    // two tournaments in between.
    private static Gen<ProgressionCommand[]> Commands()
    {
        var payout =
            from version in Gen.Choose(1, 20)
            from xp in Gen.Choose(0, 300)
            from shards in Gen.Choose(0, 50)
            select (ProgressionCommand)new RecordTournamentPayout(Source, version, Cup, xp, shards, At.Day(1));
        var pay =
            from id in Gen.Elements(Cup, "custom-other")
            from amount in Gen.Choose(1, 40)
            select (ProgressionCommand)new PayEntryFee(id, amount, At.Day(1));
        var giveBack = from id in Gen.Elements(Cup, "custom-other") select (ProgressionCommand)new ReturnEntryFee(id, At.Day(1));
        return Gen.ListOf(Gen.OneOf(payout, pay, giveBack)).Select(list => list.ToArray());
    }
}
