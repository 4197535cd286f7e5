using System.Globalization;
using AstraTrade.Infrastructure.Scheduling;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Infrastructure.IntegrationTests.Scheduling;

/// <summary>
/// GetNextOccurrence against a second-by-second scan, on random expressions and random instants. The expected
/// value sets are expanded here from the generated structure, independently of the parser.
/// </summary>
public sealed class NCrontabPropertyTests
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(2);

    private static readonly string[] MonthNames = ["JAN", "feb", "Mar", "APR", "may", "JUN", "jul", "AUG", "SEP", "oct", "NOV", "Dec"];
    private static readonly string[] DayNames = ["sun", "MON", "Tue", "WED", "thu", "FRI", "Sat"];

    [Fact]
    public void Latest_occurrence_is_a_match_at_or_before_the_instant_with_no_match_between()
    {
        var cases =
            from expression in ExpressionGen()
            from at in InstantGen()
            select (expression, at);

        Prop.ForAll(
                cases.ToArbitrary(),
                c =>
                {
                    var (expression, at) = c;
                    var schedule = NCrontabSchedule.Parse(expression.Text);
                    var within = TimeSpan.FromDays(3);
                    var latest = schedule.GetLatestOccurrence(at, within);
                    var firstInWindow = schedule.GetNextOccurrence(at - within - TimeSpan.FromTicks(1));
                    return latest is { } l
                        ? l <= at && l >= at - within && schedule.Matches(l) && l.Ticks % TimeSpan.TicksPerSecond == 0
                            && (schedule.GetNextOccurrence(l) is not { } after || after > at)
                        : firstInWindow is null || firstInWindow > at;
                })
            .QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Next_occurrence_equals_the_first_match_of_a_brute_force_scan()
    {
        var cases =
            from expression in ExpressionGen()
            from after in InstantGen()
            select (expression, after);

        Prop.ForAll(
                cases.ToArbitrary(),
                c =>
                {
                    var (expression, after) = c;
                    var schedule = NCrontabSchedule.Parse(expression.Text);
                    var expected = BruteForceNext(expression, after, Window);
                    var actual = schedule.GetNextOccurrence(after);
                    return expected is { } e
                        ? actual == e
                        : actual is null || actual > after + Window;
                })
            .QuickCheckThrowOnFailure();
    }

    private sealed record Field(string Text, bool[] Allowed);

    private sealed record Expression(Field[] Fields)
    {
        public string Text => string.Join(' ', Fields.Select(f => f.Text));

        public override string ToString() => Text;
    }

    private static Gen<Expression> ExpressionGen() =>
        from second in FieldGen(0, 59, [], wildcardWeight: 2)
        from minute in FieldGen(0, 59, [], wildcardWeight: 2)
        from hour in FieldGen(0, 23, [], wildcardWeight: 3)
        from day in FieldGen(1, 31, [], wildcardWeight: 8)
        from month in FieldGen(1, 12, MonthNames, wildcardWeight: 8)
        from dayOfWeek in FieldGen(0, 6, DayNames, wildcardWeight: 6)
        select new Expression([second, minute, hour, day, month, dayOfWeek]);

    // Mostly-wildcard day and month fields keep most schedules firing inside the scan window.
    private static Gen<Field> FieldGen(int min, int max, string[] names, int wildcardWeight)
    {
        Gen<string> Value(int v) =>
            names.Length > 0 ? Gen.Elements(v.ToString(CultureInfo.InvariantCulture), names[v - min]) : Gen.Constant(v.ToString(CultureInfo.InvariantCulture));

        var values = Gen.Choose(min, max);
        var step = Gen.Choose(1, Math.Max(2, (max - min) / 2));
        var ordered = from a in values from b in values select (Low: Math.Min(a, b), High: Math.Max(a, b));

        var item = Gen.Frequency(
            (3, from v in values from text in Value(v) select (text, Expand(min, max, v, v, 1))),
            (3, from r in ordered from lo in Value(r.Low) from hi in Value(r.High) select ($"{lo}-{hi}", Expand(min, max, r.Low, r.High, 1))),
            (2, from s in step select ($"*/{s}", Expand(min, max, min, max, s))),
            (2, from r in ordered from s in step select ($"{r.Low}-{r.High}/{s}", Expand(min, max, r.Low, r.High, s))),
            (1, from v in values from s in step select ($"{v}/{s}", Expand(min, max, v, max, s))));

        var list =
            from count in Gen.Choose(1, 3)
            from items in Gen.ArrayOf(item, count)
            select new Field(
                string.Join(',', items.Select(i => i.Item1)),
                items.Select(i => i.Item2).Aggregate((a, b) => a.Zip(b, (x, y) => x || y).ToArray()));

        return Gen.Frequency(
            (wildcardWeight, Gen.Constant(new Field("*", Expand(min, max, min, max, 1)))),
            (4, list));
    }

    private static bool[] Expand(int min, int max, int from, int to, int step)
    {
        var allowed = new bool[max + 1];
        for (var v = from; v <= to; v += step)
        {
            allowed[v] = true;
        }

        return allowed;
    }

    // Uniform over 2024-2031, or just before a month end (month lengths, leap days, year ends).
    private static Gen<DateTimeOffset> InstantGen()
    {
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var anywhere =
            from seconds in Gen.Choose(0, (int)TimeSpan.FromDays(8 * 365).TotalSeconds)
            from millis in Gen.Elements(0, 0, 500)
            select start.AddSeconds(seconds).AddMilliseconds(millis);
        var nearMonthEnd =
            from month in Gen.Choose(0, 8 * 12)
            from secondsBefore in Gen.Choose(1, (int)TimeSpan.FromDays(2).TotalSeconds)
            select start.AddMonths(month + 1).AddSeconds(-secondsBefore);
        return Gen.Frequency((1, anywhere), (1, nearMonthEnd));
    }

    private static DateTimeOffset? BruteForceNext(Expression expression, DateTimeOffset after, TimeSpan window)
    {
        var f = expression.Fields;
        var first = after.AddTicks(-(after.Ticks % TimeSpan.TicksPerSecond)).AddSeconds(1);
        var end = after + window;
        for (var day = first.UtcDateTime.Date; day <= end.UtcDateTime; day = day.AddDays(1))
        {
            if (!f[3].Allowed[day.Day] || !f[4].Allowed[day.Month] || !f[5].Allowed[(int)day.DayOfWeek])
            {
                continue;
            }

            for (var s = 0; s < 86_400; s++)
            {
                var t = new DateTimeOffset(day, TimeSpan.Zero).AddSeconds(s);
                if (t >= first && t <= end && f[0].Allowed[s % 60] && f[1].Allowed[s / 60 % 60] && f[2].Allowed[s / 3600])
                {
                    return t;
                }
            }
        }

        return null;
    }
}
