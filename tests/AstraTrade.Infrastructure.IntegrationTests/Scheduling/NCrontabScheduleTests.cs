using AstraTrade.Infrastructure.Scheduling;

namespace AstraTrade.Infrastructure.IntegrationTests.Scheduling;

public sealed class NCrontabScheduleTests
{
    [Theory]
    [InlineData("0 */5 * * * *", "2026-11-02T12:03:17Z", "2026-11-02T12:05:00Z")]
    [InlineData("0 */5 * * * *", "2026-11-02T12:05:00Z", "2026-11-02T12:10:00Z")]
    [InlineData("0 */5 * * * *", "2026-11-02T23:58:00Z", "2026-11-03T00:00:00Z")]
    [InlineData("0 0 * * * *", "2026-11-02T12:00:00Z", "2026-11-02T13:00:00Z")]
    [InlineData("0 0 * * * *", "2026-12-31T23:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("* * * * * *", "2026-11-02T12:00:00.5Z", "2026-11-02T12:00:01Z")]
    [InlineData("*/15 * * * * *", "2026-11-02T12:00:44Z", "2026-11-02T12:00:45Z")]
    [InlineData("5/20 * * * * *", "2026-11-02T12:00:25Z", "2026-11-02T12:00:45Z")]
    [InlineData("0 0 9-17/2 * * *", "2026-11-02T11:00:00Z", "2026-11-02T13:00:00Z")]
    [InlineData("0 0 9-17/2 * * *", "2026-11-02T17:00:00Z", "2026-11-03T09:00:00Z")]
    [InlineData("0 0 7,18 * * *", "2026-11-02T07:00:00Z", "2026-11-02T18:00:00Z")]
    [InlineData("0,30 * * * * *", "2026-11-02T12:00:00Z", "2026-11-02T12:00:30Z")]
    [InlineData("0 30 9 * * 1-5", "2026-11-06T10:00:00Z", "2026-11-09T09:30:00Z")] // Friday after → Monday
    [InlineData("0 30 9 * * 1-5", "2026-11-02T09:29:59Z", "2026-11-02T09:30:00Z")]
    [InlineData("0 30 9 * * MON-FRI", "2026-11-07T00:00:00Z", "2026-11-09T09:30:00Z")] // Saturday → Monday
    [InlineData("0 30 9 * Jan Mon", "2026-01-05T09:30:00Z", "2026-01-12T09:30:00Z")]
    [InlineData("0 30 9 * jan mon", "2026-01-26T10:00:00Z", "2027-01-04T09:30:00Z")]
    [InlineData("0 0 12 * JULY,dec SUNDAY", "2026-06-30T00:00:00Z", "2026-07-05T12:00:00Z")]
    [InlineData("0 0 0 * * 0", "2026-11-02T00:00:00Z", "2026-11-08T00:00:00Z")] // 0 is Sunday
    [InlineData("0 0 0 * * 6", "2026-11-02T00:00:00Z", "2026-11-07T00:00:00Z")] // 6 is Saturday
    [InlineData("0 0 0 31 * *", "2026-04-01T00:00:00Z", "2026-05-31T00:00:00Z")] // April has 30 days
    [InlineData("0 0 0 31 * *", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z")]
    [InlineData("0 0 0 30,31 * *", "2026-02-01T00:00:00Z", "2026-03-30T00:00:00Z")]
    [InlineData("59 59 23 28-31 2 *", "2026-02-28T23:59:59Z", "2027-02-28T23:59:59Z")]
    [InlineData("0 0 0 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z")] // leap day
    [InlineData("0 0 0 29 FEB *", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z")] // 2100 is not a leap year
    [InlineData("0 0 0 29 2 SUN", "2026-01-01T00:00:00Z", "2032-02-29T00:00:00Z")] // day AND day-of-week
    [InlineData("0 0 0 13 * FRI", "2026-03-14T00:00:00Z", "2026-11-13T00:00:00Z")] // Friday the 13th only
    [InlineData("0 0 0 1 1 *", "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("0 0 0 1 */3 *", "2026-11-02T00:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("30 15 10 2 11 *", "2026-11-02T10:15:29Z", "2026-11-02T10:15:30Z")]
    [InlineData("30 15 10 2 11 *", "2026-11-02T10:15:30Z", "2027-11-02T10:15:30Z")]
    public void Next_occurrence_is_the_first_match_strictly_after(string expression, string after, string expected)
    {
        var schedule = NCrontabSchedule.Parse(expression);

        var next = schedule.GetNextOccurrence(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
        Assert.Equal(TimeSpan.Zero, next!.Value.Offset);
    }

    [Fact]
    public void An_instant_with_an_offset_is_read_as_the_same_moment_in_UTC()
    {
        var next = NCrontabSchedule.Parse("0 0 * * * *").GetNextOccurrence(new DateTimeOffset(2026, 11, 2, 14, 0, 0, TimeSpan.FromHours(2)));

        Assert.Equal(new DateTimeOffset(2026, 11, 2, 13, 0, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("0 0 0 30 2 *")]
    [InlineData("0 0 0 31 4,6,9,11 *")]
    [InlineData("0 0 0 30-31 FEB *")]
    public void A_schedule_that_can_never_fire_has_no_next_occurrence(string expression) =>
        Assert.Null(NCrontabSchedule.Parse(expression).GetNextOccurrence(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));

    [Fact]
    public void There_is_no_occurrence_after_the_last_representable_second() =>
        Assert.Null(NCrontabSchedule.Parse("* * * * * *").GetNextOccurrence(DateTimeOffset.MaxValue));

    [Fact]
    public void Successive_occurrences_of_every_five_minutes_are_five_minutes_apart()
    {
        var schedule = NCrontabSchedule.Parse("0 */5 * * * *");
        var at = new DateTimeOffset(2026, 11, 2, 23, 41, 7, TimeSpan.Zero);
        var occurrences = new List<DateTimeOffset>();
        for (var i = 0; i < 6; i++)
        {
            at = schedule.GetNextOccurrence(at)!.Value;
            occurrences.Add(at);
        }

        Assert.Equal(
            ["23:45", "23:50", "23:55", "00:00", "00:05", "00:10"],
            occurrences.Select(o => o.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("0 30 9 * * 1-5", "2026-11-06T09:30:00Z", true)]
    [InlineData("0 30 9 * * 1-5", "2026-11-07T09:30:00Z", false)]
    [InlineData("0 30 9 * * 1-5", "2026-11-06T09:30:01Z", false)]
    [InlineData("0 0 0 13 * FRI", "2026-11-13T00:00:00Z", true)]
    [InlineData("0 0 0 13 * FRI", "2026-11-20T00:00:00Z", false)] // a Friday, but not the 13th
    public void Matches_requires_every_field_including_both_day_fields(string expression, string instant, bool matches) =>
        Assert.Equal(matches, NCrontabSchedule.Parse(expression).Matches(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Extra_whitespace_between_fields_is_allowed() =>
        Assert.Equal(
            new DateTimeOffset(2026, 11, 2, 13, 0, 0, TimeSpan.Zero),
            NCrontabSchedule.Parse("  0\t0  * * *   * ").GetNextOccurrence(new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero)));
}
