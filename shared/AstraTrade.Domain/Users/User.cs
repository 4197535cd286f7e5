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

/// <summary>The user aggregate as a decider. Suspending or reactivating twice, or setting the tier the user already has, is a
/// no-op, not an error.</summary>
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
            SuspendUser c => SuspensionReason.Validate(c.Reason) is { } invalid
                ? invalid
                : state.IsSuspended ? Decision<IUserEvent>.Accept() : Decision<IUserEvent>.Accept(new UserSuspended(c.Reason, c.Now)),
            ReactivateUser c => state.IsSuspended ? Decision<IUserEvent>.Accept(new UserReactivated(c.Now)) : Decision<IUserEvent>.Accept(),
            RehashPassword c => Decision<IUserEvent>.Accept(new PasswordRehashed(c.PasswordHash, c.Now)),
            SetVerificationTier c => SetTier(state, c),
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
        VerificationTierChanged e => state with { Tier = e.To },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event.GetType().Name, "Unknown user event."),
    };

    private static Decision<IUserEvent> SetTier(UserState state, SetVerificationTier c)
    {
        if (!Enum.IsDefined(c.Tier))
        {
            return UserErrors.InvalidVerificationTier(c.Tier);
        }

        // The tier gates live trading, so a change nobody answers for must not enter the log.
        if (string.IsNullOrWhiteSpace(c.By))
        {
            return UserErrors.ActorRequired();
        }

        return c.Tier == state.Tier
            ? Decision<IUserEvent>.Accept()
            : Decision<IUserEvent>.Accept(new VerificationTierChanged(state.Tier, c.Tier, c.By, c.Now));
    }
}
