using AstraTrade.Domain.Common;

namespace AstraTrade.Application.Users;

/// <summary>Sign-in with Starknet failures. Each has its own code so that a client can tell "ask for a new challenge"
/// (expired, used, not found) from "this wallet did not sign it" (invalid-signature).</summary>
public static class StarknetSignInErrors
{
    public static DomainError InvalidAddress() =>
        new("invalid-starknet-address", "The address must be a felt in \"0x\" hex below the field prime.");

    public static DomainError MalformedSignature(string reason) =>
        new("malformed-signature", $"The signature {reason}.");

    public static DomainError ChallengeNotFound() =>
        new("challenge-not-found", "There is no such challenge; request one with POST /api/v1/auth/starknet/challenge.");

    public static DomainError ChallengeExpired() =>
        new("challenge-expired", "The challenge has expired; request a new one.");

    public static DomainError ChallengeUsed() =>
        new("challenge-used", "The challenge was already used; request a new one.");

    public static DomainError ChallengeForAnotherAddress() =>
        new("challenge-address-mismatch", "The challenge was issued for another address.");

    public static DomainError InvalidSignature(string reason) =>
        new("invalid-signature", $"The signature does not prove control of the account: {reason}.");

    public static DomainError VerificationUnavailable(string reason) =>
        new("starknet-verification-unavailable", $"The signature cannot be verified now: {reason}.");

    public static DomainError WalletLinkedElsewhere() =>
        new("wallet-linked-elsewhere", "This wallet is linked to another account.");
}
