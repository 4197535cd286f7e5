using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Users;

public sealed record UserState(
    bool IsRegistered,
    Guid UserId,
    string Username,
    string PasswordHash,
    UserRole Role,
    UserStatus Status,
    VerificationTier Tier,
    DateTimeOffset RegisteredAt)
{
    public static UserState Unregistered { get; } =
        new(false, Guid.Empty, string.Empty, string.Empty, UserRole.User, UserStatus.Active, VerificationTier.Unverified, default);

    public bool IsSuspended => Status == UserStatus.Suspended;
}

/// <summary>The user aggregate as a decider. Suspending or reactivating twice is a no-op, not an error.</summary>
public static class User
{
    public static Decision<IUserEvent> Decide(UserState state, UserCommand command)
    {
        if (command is RegisterUser register)
        {
            if (state.IsRegistered)
            {
                return UserErrors.UsernameTaken(register.Username);
            }

            if (Username.Validate(register.Username) is { } invalid)
            {
                return invalid;
            }

            return Decision<IUserEvent>.Accept(new UserRegistered(
                Username.UserIdFor(register.Username), register.Username, register.PasswordHash, register.Role, register.Now));
        }

        if (!state.IsRegistered)
        {
            return UserErrors.UserNotFound();
        }

        return command switch
        {
            SuspendUser c => state.IsSuspended ? Decision<IUserEvent>.Accept() : Decision<IUserEvent>.Accept(new UserSuspended(c.Reason, c.Now)),
            ReactivateUser c => state.IsSuspended ? Decision<IUserEvent>.Accept(new UserReactivated(c.Now)) : Decision<IUserEvent>.Accept(),
            RehashPassword c => Decision<IUserEvent>.Accept(new PasswordRehashed(c.PasswordHash, c.Now)),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown user command."),
        };
    }

    public static UserState Evolve(UserState state, IUserEvent @event) => @event switch
    {
        UserRegistered e => state with
        {
            IsRegistered = true,
            UserId = e.UserId,
            Username = e.Username,
            PasswordHash = e.PasswordHash,
            Role = e.Role,
            RegisteredAt = e.At,
        },
        UserSuspended => state with { Status = UserStatus.Suspended },
        UserReactivated => state with { Status = UserStatus.Active },
        PasswordRehashed e => state with { PasswordHash = e.PasswordHash },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown user event."),
    };
}
