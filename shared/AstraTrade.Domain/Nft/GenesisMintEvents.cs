namespace AstraTrade.Domain.Nft;

/// <summary>An event in a Genesis mint request's stream (one stream per user and kind). Plain JSON-serializable records;
/// stored names never change.</summary>
public interface IGenesisMintEvent
{
    DateTimeOffset At { get; }
}

/// <summary>The achievement unlocked: a mint is queued for <paramref name="TokenId"/> (decimal), the only token this user
/// can ever get for it.</summary>
public sealed record GenesisMintRequested(Guid UserId, string AchievementId, string TokenId, DateTimeOffset UnlockedAt, DateTimeOffset At)
    : IGenesisMintEvent;

/// <summary>The mint cannot go ahead yet, and why (<see cref="GenesisMintReasons"/>); it stays pending.</summary>
public sealed record GenesisMintWaiting(string Reason, string Detail, DateTimeOffset At) : IGenesisMintEvent;

/// <summary>Attempt <paramref name="Attempt"/> (1, 2, …) is on its way to the chain, minting to <paramref name="Recipient"/>.</summary>
public sealed record GenesisMintAttemptStarted(int Attempt, string Recipient, DateTimeOffset At) : IGenesisMintEvent;

/// <summary>The attempt's transaction was accepted by the node (it is in the mempool or beyond).</summary>
public sealed record GenesisMintTransactionSent(int Attempt, string TransactionHash, DateTimeOffset At) : IGenesisMintEvent;

/// <summary>The token exists on chain. <paramref name="TransactionHash"/> and <paramref name="BlockNumber"/> are null
/// when the chain already showed the token minted before this attempt sent anything.</summary>
public sealed record GenesisMinted(int Attempt, string? TransactionHash, ulong? BlockNumber, DateTimeOffset At) : IGenesisMintEvent;

/// <summary>The attempt ended without a token (reverted, or never got on chain). <paramref name="WillRetry"/>: another
/// attempt follows; otherwise the request has failed for good.</summary>
public sealed record GenesisMintAttemptFailed(int Attempt, string Reason, bool WillRetry, DateTimeOffset At) : IGenesisMintEvent;
