namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// How an activity is retried. Attempt n (n ≥ 1) failed → attempt n + 1 starts after
/// min(<see cref="FirstRetryInterval"/> × <see cref="BackoffCoefficient"/>^(n − 1), <see cref="MaxRetryInterval"/>).
/// Retrying stops after <see cref="MaxAttempts"/> attempts, or when the next attempt would start more than
/// <see cref="RetryTimeout"/> after the call was scheduled; the workflow then gets <see cref="ActivityFailed"/>.
/// </summary>
/// <param name="MaxAttempts">Attempts in all, the first included (1: no retry).</param>
/// <param name="FirstRetryInterval">The wait before the second attempt.</param>
/// <param name="BackoffCoefficient">What each further wait is multiplied by (1: constant waits).</param>
/// <param name="MaxRetryInterval">The longest wait between attempts; unbounded when null.</param>
/// <param name="RetryTimeout">No attempt starts later than this after the call was scheduled; unbounded when null.</param>
public sealed record RetryPolicy(
    int MaxAttempts,
    TimeSpan FirstRetryInterval,
    double BackoffCoefficient = 1.0,
    TimeSpan? MaxRetryInterval = null,
    TimeSpan? RetryTimeout = null)
{
    /// <summary>One attempt, no retry.</summary>
    public static RetryPolicy None { get; } = new(1, TimeSpan.Zero);

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based) before the next one starts.</summary>
    public TimeSpan DelayAfterAttempt(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        var max = (MaxRetryInterval ?? TimeSpan.MaxValue).Ticks;
        return double.IsFinite(ticks) && ticks < max ? TimeSpan.FromTicks((long)ticks) : TimeSpan.FromTicks(max);
    }

    /// <summary>When attempt <paramref name="failedAttempt"/> + 1 should start, or null when retrying is over.</summary>
    /// <param name="scheduledAt">When the call was scheduled (the first attempt's start, give or take queueing).</param>
    /// <param name="failedAt">When attempt <paramref name="failedAttempt"/> failed.</param>
    public DateTimeOffset? NextAttemptAt(int failedAttempt, DateTimeOffset scheduledAt, DateTimeOffset failedAt)
    {
        if (failedAttempt >= MaxAttempts)
        {
            return null;
        }

        var delay = DelayAfterAttempt(failedAttempt);
        if (delay > DateTimeOffset.MaxValue - failedAt)
        {
            return null;
        }

        var next = failedAt + delay;
        return RetryTimeout is { } timeout && next - scheduledAt > timeout ? null : next;
    }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(FirstRetryInterval, TimeSpan.Zero, nameof(FirstRetryInterval));
        if (!(BackoffCoefficient >= 1.0) || !double.IsFinite(BackoffCoefficient))
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffCoefficient), BackoffCoefficient, "The backoff coefficient must be a finite number ≥ 1.");
        }

        if (MaxRetryInterval is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, TimeSpan.Zero, nameof(MaxRetryInterval));
        }

        if (RetryTimeout is { } timeout)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(RetryTimeout));
        }
    }
}
