using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Users;

public static class UserErrors
{
    public static DomainError InvalidUsername(string reason) => new("invalid-username", $"The username {reason}.");

    public static DomainError WeakPassword(string reason) => new("weak-password", $"The password {reason}.");

    public static DomainError UsernameTaken(string username) =>
        new("username-taken", $"The username '{username}' is taken (usernames are unique ignoring case).");

    public static DomainError UserNotFound() => new("user-not-found", "There is no such user.");

    public static DomainError InvalidSuspensionReason(string reason) => new("invalid-suspension-reason", $"The suspension reason {reason}.");

    public static DomainError InvalidVerificationTier(VerificationTier tier) =>
        new("invalid-verification-tier", $"There is no verification tier {(int)tier}; use unverified, email or identity.");

    public static DomainError ActorRequired() =>
        new("actor-required", "A verification change must say who made it.");
}
