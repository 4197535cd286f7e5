using System.Globalization;

namespace AstraTrade.Domain.Tournaments;

/// <summary>A scheduled tournament's window: its id is derived from kind and start alone, so a timer that creates
/// the same window twice addresses the same stream, and the second create is a no-op.</summary>
public sealed record ScheduledWindow(string Id, TournamentKind Kind, string Name, DateTimeOffset StartsAt, DateTimeOffset EndsAt);

/// <summary>
/// The daily and weekly tournaments (DOMAIN.md §3). Daily: 00:00–24:00 UTC, id <c>daily-2026-11-21</c>. Weekly:
/// Monday 00:00 UTC to the next Monday 00:00 UTC, id <c>weekly-2026-W47</c> with the ISO week-numbering year
/// (Monday 2024-12-30 starts <c>weekly-2025-W01</c>).
/// </summary>
public static class TournamentSchedule
{
    public const string DailyPrefix = "daily-";
    public const string WeeklyPrefix = "weekly-";
    public const string CustomPrefix = "custom-";

    public static ScheduledWindow Daily(DateOnly day)
    {
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var label = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new(DailyPrefix + label, TournamentKind.Daily, $"Daily {label}", start, start.AddDays(1));
    }

    /// <summary>The weekly tournament of the ISO week that contains <paramref name="anyDay"/>.</summary>
    public static ScheduledWindow Weekly(DateOnly anyDay)
    {
        var date = anyDay.ToDateTime(TimeOnly.MinValue);
        var monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        var label = $"{ISOWeek.GetYear(monday):D4}-W{ISOWeek.GetWeekOfYear(monday):D2}";
        var start = new DateTimeOffset(monday, TimeSpan.Zero);
        return new(WeeklyPrefix + label, TournamentKind.Weekly, $"Weekly {label}", start, start.AddDays(7));
    }

    /// <summary>The scheduled window of <paramref name="kind"/> that starts exactly at <paramref name="start"/>, or null
    /// when no such window starts then (or the kind is not scheduled).</summary>
    public static ScheduledWindow? WindowStartingAt(TournamentKind kind, DateTimeOffset start)
    {
        var utc = start.ToUniversalTime();
        var window = kind switch
        {
            TournamentKind.Daily => Daily(DateOnly.FromDateTime(utc.UtcDateTime)),
            TournamentKind.Weekly => Weekly(DateOnly.FromDateTime(utc.UtcDateTime)),
            _ => null,
        };
        return window is not null && window.StartsAt == utc ? window : null;
    }

    /// <summary>
    /// The daily and weekly windows that should exist at <paramref name="now"/>: those starting after now and at most
    /// <see cref="TournamentRules.ScheduleHorizon"/> later, ordered by start (daily before weekly at the same start).
    /// A timer creates each of them; creating one that exists changes nothing.
    /// </summary>
    public static IReadOnlyList<ScheduledWindow> Upcoming(DateTimeOffset now, TournamentRules rules)
    {
        var until = now + rules.ScheduleHorizon;
        var windows = new List<ScheduledWindow>();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        for (var daily = Daily(day); daily.StartsAt <= until; daily = Daily(DateOnly.FromDateTime(daily.EndsAt.UtcDateTime)))
        {
            if (daily.StartsAt > now)
            {
                windows.Add(daily);
            }
        }

        for (var weekly = Weekly(day); weekly.StartsAt <= until; weekly = Weekly(DateOnly.FromDateTime(weekly.EndsAt.UtcDateTime)))
        {
            if (weekly.StartsAt > now)
            {
                windows.Add(weekly);
            }
        }

        return [.. windows.OrderBy(w => w.StartsAt).ThenBy(w => w.Kind)];
    }

    /// <summary>The create command the scheduler sends for <paramref name="window"/>, with the configured terms of its kind.</summary>
    public static CreateTournament CreateCommand(ScheduledWindow window, TournamentRules rules, DateTimeOffset now)
    {
        var weekly = window.Kind == TournamentKind.Weekly;
        return new CreateTournament(
            window.Id,
            window.Kind,
            window.Name,
            window.StartsAt,
            window.EndsAt,
            weekly ? rules.WeeklyEntryFee : rules.DailyEntryFee,
            weekly ? rules.WeeklySponsorAmount : rules.DailySponsorAmount,
            weekly ? rules.WeeklyMaxEntries : rules.DailyMaxEntries,
            Actor.Scheduler,
            now);
    }
}
