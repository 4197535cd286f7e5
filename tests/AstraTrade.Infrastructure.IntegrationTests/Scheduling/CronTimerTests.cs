using System.Collections.Concurrent;
using AstraTrade.Infrastructure.Scheduling;

namespace AstraTrade.Infrastructure.IntegrationTests.Scheduling;

public sealed class CronTimerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 12, 0, 3, TimeSpan.Zero);
    private static readonly NCrontabSchedule EveryTenSeconds = NCrontabSchedule.Parse("*/10 * * * * *");

    private readonly ConcurrentQueue<(DateTimeOffset Due, DateTimeOffset Now)> _calls = new();
    private readonly ConcurrentQueue<(DateTimeOffset Due, Exception Error)> _errors = new();

    [Fact]
    public async Task Calls_back_at_every_occurrence_and_never_before_it()
    {
        var time = new ObservedTimeProvider(Start);
        using var cts = new CancellationTokenSource();
        var run = CronTimer.RunAsync(EveryTenSeconds, time, Record(time), RecordError, cts.Token);

        for (var i = 1; i <= 3; i++)
        {
            await time.WaitForTimersAsync(i);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        await Eventually.TrueAsync(() => _calls.Count == 3, "three calls");
        await cts.CancelAsync();
        await run;

        Assert.Equal([At(10), At(20), At(30)], _calls.Select(c => c.Due));
        Assert.All(_calls, c => Assert.True(c.Now >= c.Due, $"called at {c.Now:O} for {c.Due:O}"));
        Assert.Empty(_errors);
    }

    [Fact]
    public async Task Does_not_call_back_when_its_timer_wakes_early()
    {
        var time = new ObservedTimeProvider(Start, firesEarlyBy: TimeSpan.FromSeconds(2));
        using var cts = new CancellationTokenSource();
        var run = CronTimer.RunAsync(EveryTenSeconds, time, Record(time), RecordError, cts.Token);

        await time.WaitForTimersAsync(1);
        time.Advance(TimeSpan.FromSeconds(5)); // 12:00:08: the early timer fires, the occurrence is at :10
        await time.WaitForTimersAsync(2);
        Assert.Empty(_calls);

        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.TrueAsync(() => _calls.Count == 1, "one call");
        await cts.CancelAsync();
        await run;

        Assert.Equal(At(10), Assert.Single(_calls).Due);
        Assert.Equal(At(10), Assert.Single(_calls).Now);
    }

    [Fact]
    public async Task A_failing_callback_is_reported_and_the_timer_goes_on()
    {
        var time = new ObservedTimeProvider(Start);
        using var cts = new CancellationTokenSource();
        var failure = new InvalidOperationException("boom");
        var run = CronTimer.RunAsync(
            EveryTenSeconds,
            time,
            (due, _) =>
            {
                _calls.Enqueue((due, time.GetUtcNow()));
                return due == At(10) ? Task.FromException(failure) : Task.CompletedTask;
            },
            RecordError,
            cts.Token);

        await time.WaitForTimersAsync(1);
        time.Advance(TimeSpan.FromSeconds(10));
        await time.WaitForTimersAsync(2);
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => _calls.Count == 2, "two calls");
        await cts.CancelAsync();
        await run;

        Assert.Equal((At(10), (Exception)failure), Assert.Single(_errors));
        Assert.Equal([At(10), At(20)], _calls.Select(c => c.Due));
    }

    [Fact]
    public async Task Occurrences_missed_during_a_long_callback_are_skipped_not_replayed()
    {
        var time = new ObservedTimeProvider(Start);
        using var cts = new CancellationTokenSource();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = CronTimer.RunAsync(
            EveryTenSeconds,
            time,
            async (due, _) =>
            {
                _calls.Enqueue((due, time.GetUtcNow()));
                if (due == At(10))
                {
                    await release.Task;
                }
            },
            RecordError,
            cts.Token);

        await time.WaitForTimersAsync(1);
        time.Advance(TimeSpan.FromSeconds(7)); // 12:00:10, the first call starts and blocks
        await Eventually.TrueAsync(() => _calls.Count == 1, "first call");
        time.Advance(TimeSpan.FromSeconds(25)); // 12:00:35: :20 and :30 pass while it runs
        release.SetResult();
        await time.WaitForTimersAsync(2);
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.TrueAsync(() => _calls.Count == 2, "second call");
        await cts.CancelAsync();
        await run;

        Assert.Equal([At(10), At(40)], _calls.Select(c => c.Due));
    }

    [Fact]
    public async Task Does_not_fire_again_while_the_clock_stands_still()
    {
        var time = new ObservedTimeProvider(Start);
        using var cts = new CancellationTokenSource();
        var run = CronTimer.RunAsync(EveryTenSeconds, time, Record(time), RecordError, cts.Token);

        await time.WaitForTimersAsync(1);
        time.Advance(TimeSpan.FromSeconds(7));
        await time.WaitForTimersAsync(2);
        time.Advance(TimeSpan.FromSeconds(9.999));
        await Task.Delay(50);
        await cts.CancelAsync();
        await run;

        Assert.Equal(At(10), Assert.Single(_calls).Due);
    }

    [Fact]
    public async Task Completes_when_the_schedule_can_never_fire()
    {
        var time = new ObservedTimeProvider(Start);

        await CronTimer.RunAsync(NCrontabSchedule.Parse("0 0 0 30 FEB *"), time, Record(time), RecordError, CancellationToken.None);

        Assert.Empty(_calls);
    }

    [Fact]
    public async Task Completes_without_throwing_when_cancelled_while_waiting()
    {
        var time = new ObservedTimeProvider(Start);
        using var cts = new CancellationTokenSource();
        var run = CronTimer.RunAsync(NCrontabSchedule.Parse("0 0 0 1 1 *"), time, Record(time), RecordError, cts.Token);

        await time.WaitForTimersAsync(1);
        await cts.CancelAsync();
        await run;

        Assert.Empty(_calls);
    }

    private static DateTimeOffset At(int second) => new(2026, 11, 2, 12, 0, second, TimeSpan.Zero);

    private Func<DateTimeOffset, CancellationToken, Task> Record(TimeProvider time) =>
        (due, _) =>
        {
            _calls.Enqueue((due, time.GetUtcNow()));
            return Task.CompletedTask;
        };

    private void RecordError(DateTimeOffset due, Exception error) => _errors.Enqueue((due, error));
}
