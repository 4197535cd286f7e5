using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class ScheduleTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(2026, 11, 21, "daily-2026-11-21", 2026, 11, 22)]
    [InlineData(2026, 1, 31, "daily-2026-01-31", 2026, 2, 1)]
    [InlineData(2026, 2, 28, "daily-2026-02-28", 2026, 3, 1)]
    [InlineData(2028, 2, 28, "daily-2028-02-28", 2028, 2, 29)]
    [InlineData(2028, 2, 29, "daily-2028-02-29", 2028, 3, 1)]
    [InlineData(2026, 12, 31, "daily-2026-12-31", 2027, 1, 1)]
    public void A_daily_tournament_runs_from_midnight_to_midnight_utc(int y, int m, int d, string id, int endY, int endM, int endD)
    {
        var window = TournamentSchedule.Daily(new DateOnly(y, m, d));

        Assert.Equal(new ScheduledWindow(id, TournamentKind.Daily, "Daily " + id[6..], Utc(y, m, d), Utc(endY, endM, endD)), window);
    }

    [Theory]
    [InlineData(2026, 11, 21, "weekly-2026-W47", 2026, 11, 16)] // a Saturday
    [InlineData(2026, 11, 16, "weekly-2026-W47", 2026, 11, 16)] // its Monday
    [InlineData(2026, 11, 22, "weekly-2026-W47", 2026, 11, 16)] // its Sunday
    [InlineData(2026, 12, 28, "weekly-2026-W53", 2026, 12, 28)] // 2026 has 53 ISO weeks
    [InlineData(2027, 1, 3, "weekly-2026-W53", 2026, 12, 28)] // a Sunday of the next calendar year
    [InlineData(2027, 1, 4, "weekly-2027-W01", 2027, 1, 4)]
    [InlineData(2024, 12, 30, "weekly-2025-W01", 2024, 12, 30)] // a Monday of the previous calendar year
    [InlineData(2025, 1, 1, "weekly-2025-W01", 2024, 12, 30)]
    [InlineData(2021, 1, 3, "weekly-2020-W53", 2020, 12, 28)]
    [InlineData(2026, 3, 1, "weekly-2026-W09", 2026, 2, 23)] // across a month end
    public void A_weekly_tournament_runs_monday_to_sunday_and_is_named_by_its_iso_week(int y, int m, int d, string id, int monY, int monM, int monD)
    {
        var window = TournamentSchedule.Weekly(new DateOnly(y, m, d));

        Assert.Equal(id, window.Id);
        Assert.Equal(TournamentKind.Weekly, window.Kind);
        Assert.Equal("Weekly " + id[7..], window.Name);
        Assert.Equal(Utc(monY, monM, monD), window.StartsAt);
        Assert.Equal(Utc(monY, monM, monD).AddDays(7), window.EndsAt);
        Assert.Equal(DayOfWeek.Monday, window.StartsAt.DayOfWeek);
    }

    [Fact]
    public void Only_a_window_start_has_a_scheduled_window()
    {
        Assert.Equal("daily-2026-11-21", TournamentSchedule.WindowStartingAt(TournamentKind.Daily, Utc(2026, 11, 21))?.Id);
        Assert.Null(TournamentSchedule.WindowStartingAt(TournamentKind.Daily, Utc(2026, 11, 21, 0, 1)));
        Assert.Equal("weekly-2026-W47", TournamentSchedule.WindowStartingAt(TournamentKind.Weekly, Utc(2026, 11, 16))?.Id);
        Assert.Null(TournamentSchedule.WindowStartingAt(TournamentKind.Weekly, Utc(2026, 11, 17)));
        Assert.Null(TournamentSchedule.WindowStartingAt(TournamentKind.Custom, Utc(2026, 11, 16)));
        Assert.Equal(
            "daily-2026-11-21",
            TournamentSchedule.WindowStartingAt(TournamentKind.Daily, new DateTimeOffset(2026, 11, 21, 2, 0, 0, TimeSpan.FromHours(2)))?.Id);
    }

    [Fact]
    public void Upcoming_lists_the_windows_starting_within_48_hours()
    {
        var upcoming = TournamentSchedule.Upcoming(Utc(2026, 11, 21, 0, 30), TournamentRules.Default);

        Assert.Equal(["daily-2026-11-22", "daily-2026-11-23", "weekly-2026-W48"], upcoming.Select(w => w.Id));
    }

    [Fact]
    public void Upcoming_excludes_a_window_starting_now_and_includes_one_starting_at_the_horizon()
    {
        var upcoming = TournamentSchedule.Upcoming(Utc(2026, 11, 21), TournamentRules.Default);

        Assert.Equal(["daily-2026-11-22", "daily-2026-11-23", "weekly-2026-W48"], upcoming.Select(w => w.Id));
        Assert.Equal(["daily-2026-11-19", "daily-2026-11-20"], TournamentSchedule.Upcoming(Utc(2026, 11, 18, 10), TournamentRules.Default).Select(w => w.Id));
    }

    [Fact]
    public void Upcoming_crosses_the_year_and_the_iso_year()
    {
        var upcoming = TournamentSchedule.Upcoming(Utc(2027, 1, 2, 6), TournamentRules.Default);

        Assert.Equal(["daily-2027-01-03", "daily-2027-01-04", "weekly-2027-W01"], upcoming.Select(w => w.Id));
    }

    [Fact]
    public void Every_daily_tournament_exists_before_its_registration_opens_when_the_timer_runs_hourly()
    {
        var created = new Dictionary<string, DateTimeOffset>();
        for (var now = Utc(2026, 12, 20); now < Utc(2027, 1, 20); now = now.AddHours(1))
        {
            foreach (var window in TournamentSchedule.Upcoming(now, TournamentRules.Default))
            {
                created.TryAdd(window.Id, now);
            }
        }

        foreach (var day in Enumerable.Range(0, 25).Select(i => new DateOnly(2026, 12, 25).AddDays(i)))
        {
            var window = TournamentSchedule.Daily(day);
            Assert.True(created[window.Id] <= window.StartsAt - TournamentRules.Default.RegistrationLead, window.Id);
        }
    }

    [Fact]
    public void The_creator_timer_is_idempotent()
    {
        var rules = TournamentRules.Default with { WeeklyEntryFee = 50, WeeklySponsorAmount = 1_000 };
        var states = new Dictionary<string, TournamentState>();
        var firstRun = Utc(2026, 11, 21, 0, 30);
        foreach (var run in new[] { firstRun, firstRun.AddMinutes(5), firstRun.AddHours(1) })
        {
            foreach (var window in TournamentSchedule.Upcoming(firstRun, rules))
            {
                var state = states.GetValueOrDefault(window.Id, TournamentState.Initial);
                var decision = Tournament.Decide(state, TournamentSchedule.CreateCommand(window, rules, run), rules);
                Assert.False(decision.IsRejected, decision.Error?.ToString());
                Assert.Equal(run == firstRun ? 1 : 0, decision.Events.Count);
                states[window.Id] = Tournament.Fold(state, decision.Events);
            }
        }

        var weekly = states["weekly-2026-W48"].Terms!;
        Assert.Equal((50L, 1_000L, TournamentKind.Weekly), (weekly.EntryFee, weekly.SponsorAmount, weekly.Kind));
        Assert.Equal(0, states["daily-2026-11-22"].Terms!.EntryFee);
    }
}
