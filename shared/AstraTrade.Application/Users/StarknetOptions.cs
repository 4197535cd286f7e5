namespace AstraTrade.Application.Users;

/// <summary>Configuration section "Starknet" (docs/starknet.md, "Sign in with Starknet").</summary>
public sealed class StarknetOptions
{
    public const string Section = "Starknet";

    /// <summary>JSON-RPC endpoint of a Starknet node (spec 0.10). Without it, only accounts whose key is in
    /// <see cref="AccountKeys"/> can sign in.</summary>
    public string? RpcUrl { get; set; }

    /// <summary>The chain the challenges name, as a Cairo short string: SN_SEPOLIA or SN_MAIN. A signature made for one
    /// chain does not verify on the other, because the chain id is part of the SNIP-12 domain.</summary>
    public string ChainId { get; set; } = "SN_SEPOLIA";

    /// <summary>How long a challenge can be signed and presented.</summary>
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Account address → Stark public key (x-coordinate), for accounts verified locally, without a node. Only the
    /// operator sets these: a key a client sends proves nothing about which account it controls (docs/starknet.md).
    /// </summary>
    public Dictionary<string, string> AccountKeys { get; set; } = [];
}
