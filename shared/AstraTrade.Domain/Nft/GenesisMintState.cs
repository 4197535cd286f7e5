namespace AstraTrade.Domain.Nft;

/// <summary>Where a mint request is (DOMAIN.md §6): pending → submitted → minted, or failed once its attempts are used up.
/// A failed attempt with attempts left goes back to pending until the next one starts.</summary>
public enum GenesisMintStatus
{
    /// <summary>No request: the achievement has not been unlocked (or has no NFT).</summary>
    None,

    /// <summary>Queued; <see cref="GenesisMintState.Reason"/> says what it waits for.</summary>
    Pending,

    /// <summary>An attempt is on its way to the chain.</summary>
    Submitted,

    Minted,

    Failed,
}

/// <summary>Why a request is pending or failed; stable codes the API shows.</summary>
public static class GenesisMintReasons
{
    /// <summary>Queued, about to start.</summary>
    public const string Queued = "queued";

    /// <summary>The user has no linked Starknet wallet to mint to; it goes ahead once one is linked.</summary>
    public const string AwaitingWallet = "awaiting-wallet";

    /// <summary>This deployment has no Starknet node, operator account or Genesis contract configured.</summary>
    public const string StarknetNotConfigured = "starknet-not-configured";

    /// <summary>An attempt failed; the next starts after a delay.</summary>
    public const string Retrying = "retrying";

    /// <summary>Every attempt failed.</summary>
    public const string AttemptsExhausted = "attempts-exhausted";
}

/// <param name="Attempts">Attempts started so far.</param>
/// <param name="Reason">A <see cref="GenesisMintReasons"/> code while pending or failed; null otherwise.</param>
/// <param name="Detail">The reason in words (the last failure's, for a retry or a failure).</param>
public sealed record GenesisMintState(
    GenesisMintStatus Status,
    Guid UserId,
    string AchievementId,
    string TokenId,
    DateTimeOffset UnlockedAt,
    DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt,
    int Attempts,
    string? Reason,
    string? Detail,
    string? Recipient,
    string? TransactionHash,
    ulong? BlockNumber)
{
    public static GenesisMintState None { get; } =
        new(GenesisMintStatus.None, Guid.Empty, string.Empty, string.Empty, default, default, default, 0, null, null, null, null, null);

    public bool IsRequested => Status != GenesisMintStatus.None;

    /// <summary>Minted or failed: nothing more happens to it.</summary>
    public bool IsFinished => Status is GenesisMintStatus.Minted or GenesisMintStatus.Failed;
}
