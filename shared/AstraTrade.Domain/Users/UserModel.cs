namespace AstraTrade.Domain.Users;

public enum UserRole
{
    User,
    Admin,
}

public enum UserStatus
{
    Active,
    Suspended,
}

/// <summary>Verification tier; live trading needs Identity (DOMAIN.md §1, §4).</summary>
public enum VerificationTier
{
    Unverified,
    Email,
    Identity,
}

public interface IUserEvent
{
    DateTimeOffset At { get; }
}

public sealed record UserRegistered(Guid UserId, string Username, string PasswordHash, UserRole Role, DateTimeOffset At) : IUserEvent;

public sealed record UserSuspended(string Reason, DateTimeOffset At) : IUserEvent;

public sealed record UserReactivated(DateTimeOffset At) : IUserEvent;

public sealed record PasswordRehashed(string PasswordHash, DateTimeOffset At) : IUserEvent;

/// <param name="By">Who recorded the outcome (an admin's user id): there is no KYC provider, so a person vouches for it.</param>
public sealed record VerificationTierChanged(VerificationTier From, VerificationTier To, string By, DateTimeOffset At) : IUserEvent;

public abstract record UserCommand(DateTimeOffset Now);

/// <summary>Registration with an already computed hash (hashing is slow and salted, so it happens outside the decider).</summary>
public sealed record RegisterUser(string Username, string PasswordHash, UserRole Role, DateTimeOffset Now) : UserCommand(Now);

public sealed record SuspendUser(string Reason, DateTimeOffset Now) : UserCommand(Now);

public sealed record ReactivateUser(DateTimeOffset Now) : UserCommand(Now);

public sealed record RehashPassword(string PasswordHash, DateTimeOffset Now) : UserCommand(Now);

/// <summary>Records a verification outcome. Any move is allowed, down as well as up: an admin may correct a mistake or
/// revoke a verification; the event keeps who did it.</summary>
public sealed record SetVerificationTier(VerificationTier Tier, string By, DateTimeOffset Now) : UserCommand(Now);
