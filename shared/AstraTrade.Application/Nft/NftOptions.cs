namespace AstraTrade.Application.Nft;

/// <summary>Configuration section "Nft" (docs/nft.md).</summary>
public sealed class NftOptions
{
    public const string Section = "Nft";

    /// <summary>Mint attempts before a request fails for good.</summary>
    public int MaxMintAttempts { get; set; } = 3;

    /// <summary>The wait after a failed attempt before the next starts.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a pending mint that waits for a wallet or for Starknet configuration looks again, should the
    /// nudge that normally wakes it (a wallet linked, an app start with Starknet configured) have been missed.</summary>
    public TimeSpan RecheckInterval { get; set; } = TimeSpan.FromHours(6);

    internal void Validate()
    {
        if (MaxMintAttempts < 1 || RetryDelay < TimeSpan.Zero || RecheckInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("Nft: MaxMintAttempts must be at least 1, RetryDelay not negative and RecheckInterval positive.");
        }
    }
}
