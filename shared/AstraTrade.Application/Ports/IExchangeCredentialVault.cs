namespace AstraTrade.Application.Ports;

/// <summary>
/// Where each user's exchange credentials live (Key Vault in Azure): the API key that reads and places, the Stark key
/// that signs every order's settlement, and the vault they belong to. They are kept together so that a relink replaces
/// all three at once. Never logged, never put in an exception, never shown by ToString.
/// </summary>
public interface IExchangeCredentialVault
{
    /// <summary>The user's credentials, or null when none are stored.</summary>
    ValueTask<ExchangeCredentials?> FindAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Stores the user's credentials, replacing earlier ones as a whole.</summary>
    ValueTask StoreAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken);

    /// <summary>Forgets the user's credentials for good (a no-op when there are none).</summary>
    ValueTask DeleteAsync(Guid userId, CancellationToken cancellationToken);
}
