namespace AstraTrade.Infrastructure.Scheduling;

/// <summary>
/// One of the six NCRONTAB fields with the value range NCrontab gives it (second 0-59, minute 0-59, hour 0-23,
/// day 1-31, month 1-12, day-of-week 0-6 with Sunday = 0; 7 is not Sunday here, unlike some crons).
/// </summary>
internal sealed class CronFieldKind
{
    public static readonly CronFieldKind Second = new("second", 0, 59, []);
    public static readonly CronFieldKind Minute = new("minute", 0, 59, []);
    public static readonly CronFieldKind Hour = new("hour", 0, 23, []);
    public static readonly CronFieldKind Day = new("day", 1, 31, []);

    public static readonly CronFieldKind Month = new(
        "month",
        1,
        12,
        ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"]);

    public static readonly CronFieldKind DayOfWeek = new(
        "day-of-week",
        0,
        6,
        ["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]);

    /// <summary>In expression order: {second} {minute} {hour} {day} {month} {day-of-week}.</summary>
    public static readonly IReadOnlyList<CronFieldKind> All = [Second, Minute, Hour, Day, Month, DayOfWeek];

    private readonly string[] _names;

    private CronFieldKind(string name, int min, int max, string[] names)
    {
        Name = name;
        Min = min;
        Max = max;
        _names = names;
    }

    public string Name { get; }

    public int Min { get; }

    public int Max { get; }

    public bool HasNames => _names.Length > 0;

    public string NameList => string.Join(", ", _names.Select(n => n[..3]));

    /// <summary>
    /// The value of a three-letter abbreviation (JAN, MON) or full English name, ignoring case; -1 if none.
    /// NCrontab accepts any prefix of the full name ("J" is January, "Ju" June); we accept only the two forms
    /// people write, whose meaning is the same in both.
    /// </summary>
    public int ValueOfName(string text)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (text.Length >= 3
                && _names[i].StartsWith(text, StringComparison.OrdinalIgnoreCase)
                && (text.Length == 3 || text.Length == _names[i].Length))
            {
                return Min + i;
            }
        }

        return -1;
    }

    public override string ToString() => Name;
}
