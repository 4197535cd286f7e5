namespace AstraTrade.Infrastructure.Starknet.Operator;

/// <summary>
/// Configuration section "Starknet:Operator": the backend's own account, which signs every chain write. In Azure the
/// private key is a Key Vault secret reference; it is never logged and never put in an exception message (this type's
/// <see cref="ToString"/> leaves it out too).
/// </summary>
public sealed class OperatorOptions
{
    public const string Section = "Starknet:Operator";

    /// <summary>The account contract's address ("0x" hex).</summary>
    public string? Address { get; set; }

    /// <summary>The account's Stark private key ("0x" hex or decimal).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>What each resource bound is of the node's fee estimate: both the amount and the price per unit are
    /// multiplied by it, so a transaction still fits when gas prices rise between the estimate and the block.</summary>
    public decimal FeeMargin { get; set; } = 1.5m;

    public override string ToString() => $"OperatorOptions(Address = {Address ?? "none"}, FeeMargin = {FeeMargin}, PrivateKey = {(string.IsNullOrEmpty(PrivateKey) ? "none" : "set")})";
}
