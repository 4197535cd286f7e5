using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Users;

public static class Password
{
    public const int MinLength = 12;

    /// <summary>PBKDF2 pre-hashes long passwords, so length costs little, but a bound keeps request bodies honest.</summary>
    public const int MaxLength = 256;

    public static DomainError? Validate(string password) => password.Length switch
    {
        < MinLength => UserErrors.WeakPassword($"must be at least {MinLength} characters long"),
        > MaxLength => UserErrors.WeakPassword($"must be at most {MaxLength} characters long"),
        _ => null,
    };
}
