namespace AstraTrade.Domain.Common;

/// <summary>Calendar helpers in UTC, the only time zone the rules use.</summary>
public static class UtcDay
{
    public static DateOnly Of(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    /// <summary>Monday 00:00 UTC of the ISO week containing <paramref name="instant"/>.</summary>
    public static DateTimeOffset StartOfIsoWeek(DateTimeOffset instant)
    {
        var day = instant.UtcDateTime.Date;
        var sinceMonday = ((int)day.DayOfWeek + 6) % 7;
        return new DateTimeOffset(day.AddDays(-sinceMonday), TimeSpan.Zero);
    }
}
