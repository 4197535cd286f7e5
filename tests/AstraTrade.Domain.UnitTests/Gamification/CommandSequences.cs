using System.Collections.Immutable;
using AstraTrade.Domain.Gamification;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Domain.UnitTests.Gamification;

/// <summary>
/// A random life of one user: commands with timestamps moving forward over weeks (across a month and a year end),
/// some feed commands arriving late for an earlier day, and the at-least-once feed's redeliveries on the side.
/// </summary>
internal sealed record CommandSequence(string RulesName, GamificationRules Rules, ImmutableArray<ProgressionCommand> Commands, ImmutableArray<int> RedeliveryDelays)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, GamificationRules Rules)[] RuleSets =
    [
        ("default", GamificationRules.Default),
        ("tight cap", GamificationRules.Default with { DailyTradingXpCap = 150 }),
        ("short hold", GamificationRules.Default with { MinimumHold = TimeSpan.FromSeconds(1), StreakBonusMaxDays = 3, DailyTradingXpCap = 400, XpPerShard = 7 }),
    ];

    public static Arbitrary<CommandSequence> Arbitrary { get; } = Arb.From(Generator());

    /// <summary>
    /// The same commands with each redelivered feed command repeated after its original, as many commands later
    /// as its delay says (a negative delay: not redelivered).
    /// </summary>
    public IReadOnlyList<ProgressionCommand> WithRedeliveries()
    {
        var result = new List<ProgressionCommand>();
        var pending = new List<(int Due, ProgressionCommand Command)>();
        for (var i = 0; i < Commands.Length; i++)
        {
            result.Add(Commands[i]);
            if (IsRedelivered(i))
            {
                pending.Add((i + RedeliveryDelays[i], Commands[i]));
            }

            result.AddRange(pending.Where(p => p.Due <= i).Select(p => p.Command));
            pending.RemoveAll(p => p.Due <= i);
        }

        result.AddRange(pending.Select(p => p.Command));
        return result;
    }

    public override string ToString() =>
        $"rules: {RulesName}{Environment.NewLine}" + string.Join(
            Environment.NewLine,
            Commands.Select((c, i) => IsRedelivered(i) ? $"{c} (redelivered {RedeliveryDelays[i]} later)" : c.ToString()));

    private bool IsRedelivered(int index) => Commands[index] is RecordClose or RecordLiquidation && RedeliveryDelays[index] >= 0;

    private static Gen<CommandSequence> Generator() =>
        from rules in Gen.Elements(RuleSets)
        from steps in Gen.Sized(size => Gen.Choose(0, 2 * size).SelectMany(n => Gen.ListOf(StepGen(), n)))
        from delays in Gen.ListOf(Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, 8))), steps.Count)
        select new CommandSequence(rules.Name, rules.Rules, Build(steps), [.. delays]);

    private static ImmutableArray<ProgressionCommand> Build(IEnumerable<Step> steps)
    {
        var now = Start;
        var versions = new Dictionary<string, long>();
        var commands = ImmutableArray.CreateBuilder<ProgressionCommand>();
        foreach (var step in steps)
        {
            now += step.Gap;
            var at = now - step.LateBy;
            var version = versions[step.Stream] = versions.GetValueOrDefault(step.Stream) + 1;
            var position = $"{step.Stream}/{version}";
            commands.Add(step.Kind switch
            {
                StepKind.Close => new RecordClose(step.Stream, version, position, step.Venue, at - step.Hold, at, step.Notional, step.Pnl),
                StepKind.Liquidation => new RecordLiquidation(step.Stream, version, position, at),
                StepKind.CheckIn => new CheckIn(now),
                _ => new UnlockAchievement(step.AchievementId, "decided elsewhere", now),
            });
        }

        return commands.ToImmutable();
    }

    private static Gen<Step> StepGen() =>
        from gap in Gen.Frequency(
            (1, Gen.Constant(0)),
            (3, Gen.Choose(1, 3 * 3600)),
            (4, Gen.Choose(20 * 3600, 28 * 3600)),
            (1, Gen.Choose(40 * 3600, 80 * 3600)))
        from kind in Gen.Frequency(
            (5, Gen.Constant(StepKind.Close)),
            (1, Gen.Constant(StepKind.Liquidation)),
            (3, Gen.Constant(StepKind.CheckIn)),
            (1, Gen.Constant(StepKind.Unlock)))
        from stream in Gen.Elements("account-1", "account-2", "tournament-7")
        from hold in Gen.Frequency(
            (1, Gen.Constant(TimeSpan.Zero)),
            (1, Gen.Constant(TimeSpan.FromMilliseconds(59_999))),
            (1, Gen.Constant(TimeSpan.FromSeconds(60))),
            (5, Gen.Choose(61, 6 * 3600).Select(s => TimeSpan.FromSeconds(s))))
        from notional in Gen.Frequency((1, Gen.Constant(9.99m)), (1, Gen.Constant(10m)), (5, Gen.Elements(250m, 25_000m)))
        from pnl in Gen.Elements(-40m, 0m, 0.000001m, 75m)
        from venue in Gen.Elements(TradingVenue.Practice, TradingVenue.Tournament, TradingVenue.Live)
        from lateBy in Gen.Frequency((8, Gen.Constant(0)), (2, Gen.Choose(1, 9 * 24)))
        from achievement in Gen.Elements(Achievements.TournamentChampion, Achievements.ConstellationFounder, Achievements.FirstTrade, "NOPE")
        select new Step(TimeSpan.FromSeconds(gap), kind, stream, hold, notional, pnl, venue, TimeSpan.FromHours(lateBy), achievement);

    private enum StepKind
    {
        Close,
        Liquidation,
        CheckIn,
        Unlock,
    }

    private sealed record Step(
        TimeSpan Gap,
        StepKind Kind,
        string Stream,
        TimeSpan Hold,
        decimal Notional,
        decimal Pnl,
        TradingVenue Venue,
        TimeSpan LateBy,
        string AchievementId);
}
