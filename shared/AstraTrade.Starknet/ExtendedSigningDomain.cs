namespace AstraTrade.Starknet;

/// <summary>
/// The SNIP-12 revision 1 domain Extended (a Starknet perpetuals exchange) signs its settlement messages under:
/// <c>StarknetDomain { name, version, chainId, revision }</c>. Extended uses name "Perpetuals", version "v0" and
/// revision 1; the chain id tells mainnet from Sepolia.
/// </summary>
/// <remarks>
/// The type string declares every member a shortstring, but the revision is hashed as the number 1 (as the contract's
/// SNIP-12 implementation and Extended's own signer, npm @x10xchange/stark-crypto-wrapper-wasm 0.2.0, do), not as the
/// short string "1" (0x31). One revision of Extended's Rust library did the latter; its signer does not, and the vector
/// tests pin the signer's behaviour.
/// </remarks>
public sealed record ExtendedSigningDomain(string Name, string Version, string ChainId, uint Revision)
{
    /// <summary>Extended on Starknet mainnet.</summary>
    public static readonly ExtendedSigningDomain Mainnet = new("Perpetuals", "v0", "SN_MAIN", 1);

    /// <summary>Extended's testnet on Starknet Sepolia.</summary>
    public static readonly ExtendedSigningDomain Sepolia = new("Perpetuals", "v0", "SN_SEPOLIA", 1);

    /// <summary>
    /// The type hash of the domain: starknet_keccak of its encoded type. Written out rather than derived from
    /// <see cref="TypedData"/> because Extended declares every member a shortstring (starknet.js's default domain types
    /// differ for chainId and revision), and a different type string is a different hash.
    /// </summary>
    public static readonly Felt TypeHash = StarknetKeccak.Hash(
        "\"StarknetDomain\"(\"name\":\"shortstring\",\"version\":\"shortstring\",\"chainId\":\"shortstring\",\"revision\":\"shortstring\")");

    /// <summary>The domain's struct hash: Poseidon of the type hash, the three short strings and the revision.</summary>
    public Felt Hash() => Poseidon.HashMany(
        TypeHash,
        ShortString.Encode(Name),
        ShortString.Encode(Version),
        ShortString.Encode(ChainId),
        Felt.FromUInt64(Revision));
}
