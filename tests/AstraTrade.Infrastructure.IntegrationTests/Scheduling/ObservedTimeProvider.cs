using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.Scheduling;

/// <summary>
/// A <see cref="ManualTimeProvider"/> that also counts the timers created from it, so a test can wait until a loop
/// under test has gone back to waiting before moving the clock again. Optionally its timers fire early, as real
/// timers sometimes do (waits no longer than that fire on time, so a loop that re-waits cannot spin).
/// </summary>
internal sealed class ObservedTimeProvider(ManualTimeProvider clock, TimeSpan firesEarlyBy = default) : TimeProvider
{
    private int _timersCreated;

    public ObservedTimeProvider(DateTimeOffset start, TimeSpan firesEarlyBy = default)
        : this(new ManualTimeProvider(start), firesEarlyBy)
    {
    }

    public int TimersCreated => Volatile.Read(ref _timersCreated);

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => clock.Advance(by);

    public void SetUtcNow(DateTimeOffset to) => clock.SetUtcNow(to);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var early = dueTime > firesEarlyBy ? dueTime - firesEarlyBy : dueTime;
        var timer = clock.CreateTimer(callback, state, early, period);
        Interlocked.Increment(ref _timersCreated);
        return timer;
    }

    /// <summary>Waits (in real time, at most 10 s) until at least <paramref name="count"/> timers exist.</summary>
    public Task WaitForTimersAsync(int count) => Eventually.TrueAsync(() => TimersCreated >= count, $"{count} timers created");
}
