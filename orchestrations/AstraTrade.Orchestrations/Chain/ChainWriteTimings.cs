using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Chain;

/// <summary>How patient a chain write is (docs/nft.md, "Chain writes").</summary>
/// <param name="FirstPoll">The wait before the first receipt poll; each later poll waits twice as long, up to
/// <paramref name="MaxPoll"/>.</param>
/// <param name="StuckAfter">A transaction the node does not know, or still only has received, this long after it was sent
/// is sent again (the same signed transaction).</param>
/// <param name="RetryLater">After an activity's retries are used up (the node unreachable for a while), the wait before the
/// step runs again. A chain write never gives up on transport failures.</param>
/// <param name="ReplaceAfter">The wait before a dead transaction (refused, or its nonce used by another) is replaced.</param>
/// <param name="MaxTransactions">Transactions signed for one purpose before it fails (each replacement is one more).</param>
/// <param name="ConfigurationRecheck">How often a write that waits for Starknet configuration looks again (an app start
/// with the configuration also wakes it).</param>
public sealed record ChainWriteTimings(
    TimeSpan FirstPoll,
    TimeSpan MaxPoll,
    TimeSpan StuckAfter,
    TimeSpan RetryLater,
    TimeSpan ReplaceAfter,
    int MaxTransactions,
    TimeSpan ConfigurationRecheck)
{
    public static ChainWriteTimings Default { get; } = new(
        FirstPoll: TimeSpan.FromSeconds(2),
        MaxPoll: TimeSpan.FromMinutes(1),
        StuckAfter: TimeSpan.FromMinutes(3),
        RetryLater: TimeSpan.FromMinutes(5),
        ReplaceAfter: TimeSpan.FromSeconds(30),
        MaxTransactions: 4,
        ConfigurationRecheck: TimeSpan.FromHours(6));

    /// <summary>Transport failures (the node unreachable, time-outs, the store busy): a minute or so of attempts.</summary>
    public RetryPolicy Transient { get; init; } = new(6, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30));

    public TimeSpan PollDelay(int polls) =>
        TimeSpan.FromTicks((long)Math.Min(MaxPoll.Ticks, FirstPoll.Ticks * Math.Pow(2, Math.Min(polls, 30))));
}
