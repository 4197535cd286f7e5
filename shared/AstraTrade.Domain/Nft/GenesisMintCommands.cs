namespace AstraTrade.Domain.Nft;

public abstract record GenesisMintCommand(DateTimeOffset Now);

/// <summary>Queue the mint for an unlocked achievement; a repeat (the unlock delivered again) changes nothing.</summary>
public sealed record RequestGenesisMint(Guid UserId, string AchievementId, DateTimeOffset UnlockedAt, DateTimeOffset Now) : GenesisMintCommand(Now);

/// <summary>Say why a pending mint cannot go ahead (a repeat of the current reason changes nothing).</summary>
public sealed record HoldGenesisMint(string Reason, string Detail, DateTimeOffset Now) : GenesisMintCommand(Now);

/// <summary>Start attempt <paramref name="Attempt"/>, which must be the next one; a repeat of the current attempt changes
/// nothing, so the step that starts it can run more than once.</summary>
public sealed record StartGenesisMintAttempt(int Attempt, string Recipient, DateTimeOffset Now) : GenesisMintCommand(Now);

public sealed record RecordGenesisMintTransaction(int Attempt, string TransactionHash, DateTimeOffset Now) : GenesisMintCommand(Now);

public sealed record RecordGenesisMinted(int Attempt, string? TransactionHash, ulong? BlockNumber, DateTimeOffset Now) : GenesisMintCommand(Now);

public sealed record RecordGenesisMintFailure(int Attempt, string Reason, DateTimeOffset Now) : GenesisMintCommand(Now);
