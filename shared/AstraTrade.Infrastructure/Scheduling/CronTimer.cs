namespace AstraTrade.Infrastructure.Scheduling;

/// <summary>Runs a callback at the occurrences of an <see cref="NCrontabSchedule"/>, on a given clock.</summary>
public static class CronTimer
{
    /// <summary>
    /// Calls <paramref name="onOccurrence"/> with each occurrence strictly after the moment this starts, never
    /// before the occurrence's time and never twice for one occurrence, one call at a time. Occurrences that pass
    /// while a call is still running are skipped, not queued, so a slow callback never causes a burst. A callback
    /// exception goes to <paramref name="onError"/> and the timer carries on (an exception thrown by
    /// <paramref name="onError"/> itself ends it).
    /// Completes without throwing once <paramref name="cancellationToken"/> is cancelled, or when the schedule has
    /// no further occurrence.
    /// </summary>
    public static async Task RunAsync(
        NCrontabSchedule schedule,
        TimeProvider time,
        Func<DateTimeOffset, CancellationToken, Task> onOccurrence,
        Action<DateTimeOffset, Exception> onError,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(onOccurrence);
        ArgumentNullException.ThrowIfNull(onError);

        var after = time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested && schedule.GetNextOccurrence(after) is { } due)
        {
            if (!await WaitUntilAsync(due, time, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            try
            {
                await onOccurrence(due, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A failing occurrence must not stop the schedule; the caller sees it through onError.
                onError(due, exception);
            }

            var now = time.GetUtcNow();
            after = now > due ? now : due;
        }
    }

    // Task.Delay accepts at most ~49 days, and a yearly schedule waits longer: wait in slices.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    // Timers may wake a little early on a real clock, so the clock is checked again after every wait.
    private static async Task<bool> WaitUntilAsync(DateTimeOffset due, TimeProvider time, CancellationToken cancellationToken)
    {
        for (var now = time.GetUtcNow(); now < due; now = time.GetUtcNow())
        {
            try
            {
                await Task.Delay(due - now < LongestWait ? due - now : LongestWait, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return !cancellationToken.IsCancellationRequested;
    }
}
