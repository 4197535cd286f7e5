using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Nft;

/// <summary>What starts a user's mint of one Genesis kind: only who and which; everything else is read from the mint
/// request's stream, which stays the truth.</summary>
public sealed record GenesisMintInput(Guid UserId, string AchievementId);

/// <summary>A finished instance's output.</summary>
/// <param name="Status">minted or failed.</param>
public sealed record GenesisMintOutcome(string TokenId, string Status, int Attempts, string? TransactionHash);

public enum MintReadinessKind
{
    /// <summary>An attempt can start (or is under way: <see cref="MintReadiness.Attempt"/> is the current one).</summary>
    Ready,

    /// <summary>It cannot go ahead yet (no wallet, no configuration); the request says why.</summary>
    Waiting,

    /// <summary>Minted or failed already.</summary>
    Finished,

    /// <summary>No mint was requested for this user and achievement.</summary>
    Missing,
}

/// <param name="Status">When finished: minted or failed.</param>
/// <param name="Reason">When waiting: why.</param>
public sealed record MintReadiness(
    MintReadinessKind Kind, string TokenId, int Attempt = 0, string? Recipient = null, string? Status = null, string? Reason = null, string? TransactionHash = null);

public sealed record StartAttemptInput(GenesisMintInput Mint, int Attempt, string Recipient);

public sealed record RecordSentInput(GenesisMintInput Mint, int Attempt, string TransactionHash);

public sealed record RecordOutcomeInput(GenesisMintInput Mint, int Attempt, ChainWriteOutcome Outcome);

/// <param name="Status">The request's status afterwards: pending (another attempt follows), minted or failed.</param>
public sealed record MintProgress(string Status, int Attempts, string TokenId, string? TransactionHash);

/// <summary>The instance's custom status.</summary>
/// <param name="Step">preparing, starting, minting, recording or done.</param>
public sealed record GenesisMintStatusView(string Step, int Attempt, string? ChainWrite, string? Waiting);

/// <summary>How patient a mint is.</summary>
/// <param name="RetryDelay">After a failed attempt, the wait before the next.</param>
/// <param name="RecheckInterval">How often a mint waiting for a wallet or configuration looks again.</param>
/// <param name="RetryLater">After an activity's retries are used up, the wait before the step runs again.</param>
public sealed record GenesisMintTimings(TimeSpan RetryDelay, TimeSpan RecheckInterval, TimeSpan RetryLater)
{
    public static GenesisMintTimings Default { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromHours(6), TimeSpan.FromMinutes(5));

    public RetryPolicy Transient { get; init; } = new(6, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30));
}
