using System.Numerics;

namespace AstraTrade.Starknet;

/// <summary>
/// The settlement message of an Extended perpetual order: what the user's Stark key signs and what Extended's Starknet
/// contract checks before it settles a trade. Amounts are integers in the assets' settlement resolution, signed from
/// the position's point of view: buying synthetic has a positive base amount and a negative quote amount, selling the
/// opposite. The fee is the most the order may pay, in collateral.
/// </summary>
/// <param name="PositionId">The user's position (vault) id on the contract, Extended's <c>collateralPosition</c>.</param>
/// <param name="BaseAssetId">The synthetic asset's settlement id (the market's <c>l2Config.syntheticId</c>).</param>
/// <param name="BaseAmount">Synthetic amount, signed.</param>
/// <param name="QuoteAssetId">The collateral asset's settlement id (<c>l2Config.collateralId</c>).</param>
/// <param name="QuoteAmount">Collateral amount, signed.</param>
/// <param name="FeeAssetId">The asset the fee is paid in (the collateral).</param>
/// <param name="FeeAmount">The maximum fee, unsigned.</param>
/// <param name="ExpirationSeconds">Unix seconds after which the contract refuses the order.</param>
/// <param name="Salt">Makes two otherwise equal orders different messages (Extended's order <c>nonce</c>).</param>
public sealed record ExtendedOrderMessage(
    uint PositionId,
    Felt BaseAssetId,
    long BaseAmount,
    Felt QuoteAssetId,
    long QuoteAmount,
    Felt FeeAssetId,
    ulong FeeAmount,
    ulong ExpirationSeconds,
    Felt Salt)
{
    /// <summary>
    /// The type hash of <c>Order</c> with its referenced types, as the perpetuals contract declares them (position_id is
    /// encoded as a plain felt there, while PositionId stays among the referenced types).
    /// </summary>
    public static readonly Felt TypeHash = StarknetKeccak.Hash(
        "\"Order\"(\"position_id\":\"felt\",\"base_asset_id\":\"AssetId\",\"base_amount\":\"i64\",\"quote_asset_id\":\"AssetId\"," +
        "\"quote_amount\":\"i64\",\"fee_asset_id\":\"AssetId\",\"fee_amount\":\"u64\",\"expiration\":\"Timestamp\",\"salt\":\"felt\")" +
        "\"PositionId\"(\"value\":\"u32\")\"AssetId\"(\"value\":\"felt\")\"Timestamp\"(\"seconds\":\"u64\")");

    /// <summary>"StarkNet Message", the first element of every SNIP-12 message hash.</summary>
    public static readonly Felt MessagePrefix = ShortString.Encode("StarkNet Message");

    /// <summary>
    /// The struct hash: Poseidon of the type hash and the members in order. Single-member structs (AssetId, Timestamp)
    /// are hashed as their value, as the contract does; a negative i64 is its field negation (P − |x|).
    /// </summary>
    public Felt StructHash() => Poseidon.HashMany(
        TypeHash,
        Felt.FromUInt64(PositionId),
        BaseAssetId,
        Signed(BaseAmount),
        QuoteAssetId,
        Signed(QuoteAmount),
        FeeAssetId,
        Felt.FromUInt64(FeeAmount),
        Felt.FromUInt64(ExpirationSeconds),
        Salt);

    /// <summary>
    /// The message hash the user signs: Poseidon("StarkNet Message", domain hash, the user's Stark key, struct hash).
    /// The Stark key stands where SNIP-12 puts the account address: Extended's positions are owned by keys.
    /// </summary>
    public Felt MessageHash(ExtendedSigningDomain domain, Felt starkKey)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return Poseidon.HashMany(MessagePrefix, domain.Hash(), starkKey, StructHash());
    }

    private static Felt Signed(long value) => Felt.FromBigIntegerReduced(new BigInteger(value));
}
