namespace AstraTrade.Contracts.Http;

/// <param name="Reason">Why: shown to the next admin, and to the user when they ask. 1–500 characters, not blank.</param>
public sealed record SuspendUserRequest(string Reason);

/// <param name="Tier">unverified, email or identity.</param>
public sealed record SetVerificationTierRequest(string Tier);
