using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Users;

/// <summary>What an admin sees of a user. Never the password hash.</summary>
public sealed record AdminUserView(
    Guid UserId,
    string Username,
    UserRole Role,
    UserStatus Status,
    VerificationTier VerificationTier,
    DateTimeOffset RegisteredAt)
{
    public static AdminUserView Of(UserState user) =>
        new(user.UserId, user.Username, user.Role, user.Status, user.Tier, user.RegisteredAt);
}
