using AstraTrade.Domain.Common;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>Why linking or reading a live account on Extended did not work. The codes are stable: the API turns them
/// into problem types.</summary>
public static class ExtendedErrors
{
    public static DomainError NotLinked() =>
        new("exchange-account-not-linked", "No Extended account is linked; link one with its API key, Stark key and vault.");

    public static DomainError CredentialsInvalid() =>
        new("exchange-credentials-invalid", "Extended refused the API key (wrong, revoked or expired); link the account again with a current key.");

    public static DomainError KeyMismatch() =>
        new("exchange-key-mismatch", "The Stark key or the vault is not the one of the Extended account this API key belongs to.");

    public static DomainError AccountInactive(string status) =>
        new("exchange-account-inactive", $"The Extended account is {status.ToLowerInvariant()}, not active.");

    public static DomainError VaultInvalid() =>
        new("exchange-vault-invalid", "The vault is Extended's position id of the account: a whole number from 1 to 4294967295.");

    public static DomainError Unavailable() =>
        new("exchange-unavailable", "Extended did not answer (down, or rate limiting us); try again in a moment.");
}
