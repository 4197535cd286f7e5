using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Users;

/// <summary>A suspension says why: the user will ask, and the next admin needs to know before reactivating.</summary>
public static class SuspensionReason
{
    public const int MaxLength = 500;

    public static DomainError? Validate(string reason) => reason switch
    {
        _ when string.IsNullOrWhiteSpace(reason) => UserErrors.InvalidSuspensionReason("is required"),
        { Length: > MaxLength } => UserErrors.InvalidSuspensionReason($"must be at most {MaxLength} characters long"),
        _ => null,
    };
}
