using System.Numerics;

namespace AstraTrade.Contracts.Starknet;

/// <summary>
/// The Genesis ERC-721 contract (ABI: <c>genesis.abi.json</c> beside this file). Only the operator account mints; each
/// token id is minted once (<c>mint</c> reverts for an existing one). Its <c>token_uri</c> is the base URI set at
/// deployment followed by the decimal token id and <c>/metadata</c>; deployed with base URI
/// <c>https://{host}/api/v1/nfts/</c>, that is this API's public metadata route.
/// </summary>
public static class GenesisContract
{
    public const string Mint = "mint";

    public const string OwnerOf = "owner_of";

    public const string TokenUri = "token_uri";

    /// <summary>ERC-721 <c>Transfer {#[key] from, #[key] to, #[key] token_id: u256}</c>; a mint comes from 0.</summary>
    public const string TransferEvent = "Transfer";

    /// <summary>starknet_keccak of each name (checked against the ABI by a test).</summary>
    public const string MintSelector = "0x2f0b3c5710379609eb5495f1ecd348cb28167711b73609fe565a72734550354";

    public const string OwnerOfSelector = "0x3552df12bdc6089cf963c40c4cf56fbfd4bd14680c244d1c5494c2790f1ea5c";

    public const string TokenUriSelector = "0x226ad7e84c1fe08eb4c525ed93cccadf9517670341304571e66f7c4f95cbe54";

    public const string TransferSelector = "0x99cd8bde557814842a3121e8ddfd433a539b8c9f14bf31ebf108d12e6196e9";

    /// <summary>[to, token_id.low, token_id.high, achievement_id] for <c>mint</c>.</summary>
    public static IReadOnlyList<string> MintCalldata(string recipient, BigInteger tokenId, string achievementId)
    {
        var (low, high) = CairoValues.U256(tokenId);
        return [recipient, low, high, CairoValues.ShortString(achievementId)];
    }

    /// <summary>[token_id.low, token_id.high] for <c>owner_of</c> and <c>token_uri</c>.</summary>
    public static IReadOnlyList<string> TokenIdCalldata(BigInteger tokenId)
    {
        var (low, high) = CairoValues.U256(tokenId);
        return [low, high];
    }
}
