using System.Diagnostics.CodeAnalysis;

namespace AstraTrade.Infrastructure.Scheduling;

/// <summary>
/// A six-field NCRONTAB schedule, <c>{second} {minute} {hour} {day} {month} {day-of-week}</c>, read the way
/// Azure Functions timer triggers read it. Times are UTC (Azure's default when WEBSITE_TIME_ZONE is unset).
/// </summary>
/// <remarks>
/// Sources checked (2026-11): the Azure Functions timer trigger documentation (learn.microsoft.com,
/// azure-functions/functions-bindings-timer, "NCRONTAB expressions") gives the six-field format and says the
/// NCronTab library interprets it; Azure/azure-webjobs-sdk-extensions <c>CronSchedule.TryCreate</c> parses with
/// NCrontab's <c>IncludingSeconds = true</c>, so exactly six fields; atifaziz/NCrontab <c>CrontabFieldImpl</c>
/// gives the ranges (second 0-59, minute 0-59, hour 0-23, day 1-31, month 1-12, day-of-week 0-6, Sunday = 0)
/// and the month/day names, and <c>CrontabSchedule.TryGetNextOccurrence</c> picks a date from the day and month
/// fields and then requires the day-of-week field to match as well. So, unlike Vixie cron (which fires when
/// either day field matches), a day and a day-of-week both restricted must BOTH match: <c>0 0 0 13 * FRI</c>
/// fires only on Friday the 13th.
/// Supported: <c>*</c>, numbers, ranges <c>a-b</c>, steps <c>*/n</c>, <c>a-b/n</c> and <c>a/n</c> (= a to the
/// field's maximum), lists, and JAN–DEC / SUN–SAT (or full names) in any case. Not supported, as in NCrontab:
/// <c>?</c>, <c>L</c>, <c>W</c>, <c>#</c>, five-field expressions. Where NCrontab is lenient in ways that
/// surprise (a backwards range it silently swaps, a step of 0 it treats as 1, any prefix of a name) we reject,
/// so every expression accepted here means the same as in Azure.
/// </remarks>
public sealed class NCrontabSchedule
{
    private readonly CronField _seconds;
    private readonly CronField _minutes;
    private readonly CronField _hours;
    private readonly CronField _days;
    private readonly CronField _months;
    private readonly CronField _daysOfWeek;
    private readonly bool _canFire;

    private NCrontabSchedule(string expression, CronField[] fields)
    {
        Expression = expression;
        (_seconds, _minutes, _hours, _days, _months, _daysOfWeek) = (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
        _canFire = AnyMonthHasAllowedDay();
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>Parses a six-field expression.</summary>
    /// <exception cref="FormatException">The expression is invalid; the message names the field and why.</exception>
    public static NCrontabSchedule Parse(string expression) =>
        TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);

    /// <summary>Parses a six-field expression, or explains (naming the field) why it is not one.</summary>
    public static bool TryParse(
        string expression,
        [NotNullWhen(true)] out NCrontabSchedule? schedule,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(expression);
        schedule = null;
        var parts = expression.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != CronFieldKind.All.Count)
        {
            error = $"'{expression}' is not a valid NCRONTAB expression: it has {parts.Length} field(s) but needs 6, "
                + "{second} {minute} {hour} {day} {month} {day-of-week}"
                + (parts.Length == 5 ? " (a five-field cron expression lacks the leading seconds field; e.g. prefix it with '0 ')" : string.Empty)
                + ".";
            return false;
        }

        var fields = new CronField[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!CronField.TryParse(CronFieldKind.All[i], parts[i], out fields[i], out var fieldError))
            {
                error = $"'{expression}' is not a valid NCRONTAB expression: {fieldError}.";
                return false;
            }
        }

        schedule = new NCrontabSchedule(expression, fields);
        error = null;
        return true;
    }

    /// <summary>
    /// The first whole second strictly after <paramref name="after"/> that the schedule matches, in UTC; null
    /// when there is none (a schedule that can never fire, such as <c>0 0 0 30 FEB *</c>, or none before year 10000).
    /// </summary>
    public DateTimeOffset? GetNextOccurrence(DateTimeOffset after)
    {
        if (!_canFire)
        {
            return null;
        }

        var utc = after.UtcDateTime;
        var truncated = utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond));
        if (truncated >= DateTime.MaxValue.AddSeconds(-1))
        {
            return null;
        }

        var start = truncated.AddSeconds(1);
        var startTime = (start.Hour, start.Minute, start.Second);
        (int Hour, int Minute, int Second)? firstTime = (_hours.First, _minutes.First, _seconds.First);

        // Skip by field: whole months and days that cannot match are passed over without looking at their times.
        for (var year = start.Year; year <= DateTime.MaxValue.Year; year++)
        {
            var fromMonth = year == start.Year ? start.Month : 1;
            for (var month = _months.Next(fromMonth); month != -1; month = _months.Next(month + 1))
            {
                var inStartMonth = year == start.Year && month == start.Month;
                var daysInMonth = DateTime.DaysInMonth(year, month);
                for (var day = _days.Next(inStartMonth ? start.Day : 1); day != -1 && day <= daysInMonth; day = _days.Next(day + 1))
                {
                    var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Utc);
                    if (!_daysOfWeek.Contains((int)date.DayOfWeek))
                    {
                        continue;
                    }

                    var isStartDate = inStartMonth && day == start.Day;
                    var time = isStartDate ? NextTimeOfDay(startTime) : firstTime;
                    if (time is { } t)
                    {
                        return new DateTimeOffset(date.Add(new TimeSpan(t.Hour, t.Minute, t.Second)), TimeSpan.Zero);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The last occurrence at or before <paramref name="atOrBefore"/>, looking back at most <paramref name="within"/>
    /// (default 400 days, more than any yearly schedule needs); null when there is none in that window. A timer the
    /// Functions host fires says only when it fired, not which occurrence: this recovers the occurrence.
    /// </summary>
    public DateTimeOffset? GetLatestOccurrence(DateTimeOffset atOrBefore, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromDays(400);
        // Look back in doubling windows, so a frequent schedule costs a few steps and a rare one a few dozen.
        for (var window = TimeSpan.FromSeconds(1); ; window *= 2)
        {
            var from = atOrBefore - (window < limit ? window : limit);
            DateTimeOffset? latest = null;
            for (var next = GetNextOccurrence(from.AddTicks(-1)); next is { } n && n <= atOrBefore; next = GetNextOccurrence(n))
            {
                latest = n;
            }

            if (latest is not null || window >= limit)
            {
                return latest;
            }
        }
    }

    /// <summary>Whether <paramref name="instant"/> (taken in UTC, to the second) matches every field.</summary>
    public bool Matches(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return _seconds.Contains(utc.Second) && _minutes.Contains(utc.Minute) && _hours.Contains(utc.Hour)
            && _days.Contains(utc.Day) && _months.Contains(utc.Month) && _daysOfWeek.Contains((int)utc.DayOfWeek);
    }

    public override string ToString() => Expression;

    // The first allowed (hour, minute, second) at or after `from` on the same day, or null.
    private (int Hour, int Minute, int Second)? NextTimeOfDay((int Hour, int Minute, int Second) from)
    {
        for (var hour = _hours.Next(from.Hour); hour != -1; hour = _hours.Next(hour + 1))
        {
            var sameHour = hour == from.Hour;
            for (var minute = _minutes.Next(sameHour ? from.Minute : 0); minute != -1; minute = _minutes.Next(minute + 1))
            {
                var second = _seconds.Next(sameHour && minute == from.Minute ? from.Second : 0);
                if (second != -1)
                {
                    return (hour, minute, second);
                }
            }
        }

        return null;
    }

    // A day/month pair exists in some year (29 February counts: leap days fall on every weekday over the
    // Gregorian cycle), so the search in GetNextOccurrence terminates with a match for any such schedule.
    private bool AnyMonthHasAllowedDay()
    {
        for (var month = _months.First; month != -1; month = _months.Next(month + 1))
        {
            var longest = month == 2 ? 29 : DateTime.DaysInMonth(2001, month);
            var day = _days.First;
            if (day != -1 && day <= longest)
            {
                return true;
            }
        }

        return false;
    }
}
