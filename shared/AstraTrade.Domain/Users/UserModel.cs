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

public abstract record UserCommand(DateTimeOffset Now);

/// <summary>Registration with an already computed hash (hashing is slow and salted, so it happens outside the decider).</summary>
public sealed record RegisterUser(string Username, string PasswordHash, UserRole Role, DateTimeOffset Now) : UserCommand(Now);

public sealed record SuspendUser(string Reason, DateTimeOffset Now) : UserCommand(Now);

public sealed record ReactivateUser(DateTimeOffset Now) : UserCommand(Now);

public sealed record RehashPassword(string PasswordHash, DateTimeOffset Now) : UserCommand(Now);
