namespace AstraTrade.Contracts.Http;

/// <summary>PUT /api/v1/accounts/live/link: the caller's Extended API key, Stark private key and vault (position id).
/// The keys go to the vault (Key Vault in Azure) and are never shown again.</summary>
public sealed record LinkLiveAccountRequest(string? ApiKey, string? StarkPrivateKey, long? Vault)
{
    /// <summary>A record would print its secrets; this one never does.</summary>
    public override string ToString() => $"LinkLiveAccountRequest(Vault = {Vault}, ApiKey and StarkPrivateKey redacted)";
}

/// <summary>The linked exchange account's public details.</summary>
public sealed record LiveLinkResponse(string Exchange, string AccountId, long Vault, string PublicKey, DateTimeOffset LinkedAt);

/// <summary>The live account (GET /api/v1/accounts/live): each gate of DOMAIN.md §1, the link, and the balance the
/// exchange reports now (a live account's money is on the exchange, not here).</summary>
/// <param name="Gates">identityVerified, linked, and plan ("not-checked": plans do not exist yet).</param>
/// <param name="CanTrade">True when every gate that is checked is passed.</param>
/// <param name="Balance">Null until linked, or when the exchange did not answer (see BalanceError).</param>
public sealed record LiveAccountResponse(
    LiveGatesResponse Gates,
    bool CanTrade,
    LiveLinkResponse? Link,
    LiveBalanceResponse? Balance,
    string? BalanceError,
    int OpenPositions,
    int WorkingOrders);

public sealed record LiveGatesResponse(bool IdentityVerified, bool Linked, string Plan);

public sealed record LiveBalanceResponse(decimal Balance, decimal Equity, decimal AvailableForTrade, decimal UnrealisedPnl, DateTimeOffset UpdatedAt);
