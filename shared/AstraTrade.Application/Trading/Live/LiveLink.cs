namespace AstraTrade.Application.Trading.Live;

/// <summary>The public record of a user's linked exchange account; the credentials themselves stay with the exchange
/// adapter's vault.</summary>
public sealed record LiveLink(string Exchange, string AccountId, long Vault, string PublicKey, DateTimeOffset LinkedAt);
