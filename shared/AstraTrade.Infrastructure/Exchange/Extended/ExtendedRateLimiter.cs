namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// A token bucket shared by every request of one client (Extended counts requests per IP across endpoints): up to
/// <c>burst</c> at once, then one per <c>60 s / requestsPerMinute</c>. A caller waits for its token in arrival order.
/// Also holds every request back after a 429 until its Retry-After has passed.
/// </summary>
public sealed class ExtendedRateLimiter
{
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly int _burst;
    private readonly Lock _gate = new();
    private DateTimeOffset _nextFree; // the slot of the next token when the bucket is not full
    private DateTimeOffset _pausedUntil;

    public ExtendedRateLimiter(int requestsPerMinute, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requestsPerMinute, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        _time = time;
        _interval = TimeSpan.FromMinutes(1) / requestsPerMinute;
        _burst = burst;
        _nextFree = DateTimeOffset.MinValue;
    }

    public TimeSpan Interval => _interval;

    /// <summary>Waits until this request may go.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset slot;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            // A bucket that has been idle holds at most `burst` tokens: the earliest slot is never before now − (burst−1)·interval.
            var earliest = now - (_interval * (_burst - 1));
            slot = _nextFree < earliest ? earliest : _nextFree;
            if (_pausedUntil > slot)
            {
                slot = _pausedUntil;
            }

            _nextFree = slot + _interval;
        }

        var wait = slot - _time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Holds every request back for <paramref name="retryAfter"/> (Extended said so with a 429).</summary>
    public void Pause(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = _time.GetUtcNow() + retryAfter;
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }
    }
}
