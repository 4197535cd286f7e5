namespace AstraTrade.Functions.FunctionalTests.Infrastructure;

/// <summary>Polls for effects the app produces asynchronously (feed projections, reactions to ticks), with a deadline
/// instead of a fixed sleep: the test goes on as soon as the effect is there.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > (timeout ?? DefaultTimeout))
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Runs <paramref name="probe"/> until <paramref name="done"/> holds for its result, and returns that result.</summary>
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (TimeProvider.System.GetElapsedTime(started) > (timeout ?? DefaultTimeout))
            {
                throw new TimeoutException($"Timed out waiting for {what}; last seen: {JsonSerializer.Serialize(value, Api.Json)}");
            }

            await Task.Delay(10);
        }
    }
}
