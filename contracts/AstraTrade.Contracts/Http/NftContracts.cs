using System.Text.Json.Serialization;

namespace AstraTrade.Contracts.Http;

/// <summary>A Genesis NFT of the caller (DOMAIN.md §6): requested when its achievement unlocked, minted to the caller's
/// linked Starknet wallet.</summary>
/// <param name="Id">The ERC-721 token id in decimal: the same on chain and in this API.</param>
/// <param name="Status">pending, submitted, minted or failed.</param>
/// <param name="Reason">While pending or failed, why: queued, awaiting-wallet, starknet-not-configured, retrying,
/// attempts-exhausted; null otherwise.</param>
/// <param name="Detail">The reason in words.</param>
/// <param name="Attempts">Mint attempts started so far.</param>
/// <param name="Recipient">The wallet the current or last attempt mints to.</param>
/// <param name="TransactionHash">The current or last attempt's transaction, once sent.</param>
/// <param name="BlockNumber">The block that minted it.</param>
/// <param name="MetadataUrl">The public ERC-721 metadata of the token (what the contract's token_uri points to).</param>
public sealed record NftResponse(
    string Id,
    string AchievementId,
    string Name,
    string Status,
    string? Reason,
    string? Detail,
    int Attempts,
    string? Recipient,
    string? TransactionHash,
    ulong? BlockNumber,
    DateTimeOffset UnlockedAt,
    DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt,
    string MetadataUrl);

public sealed record NftListResponse(IReadOnlyList<NftResponse> Items);

/// <summary>ERC-721 metadata JSON (the token URI's document, as wallets and marketplaces read it): snake_case names by
/// that convention.</summary>
/// <param name="Image">A URI of the token's image (an SVG data URI).</param>
public sealed record NftMetadataResponse(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("image")] string Image,
    [property: JsonPropertyName("attributes")] IReadOnlyList<NftAttribute> Attributes);

/// <param name="DisplayType">"date" for a Unix timestamp in seconds; omitted otherwise.</param>
public sealed record NftAttribute(
    [property: JsonPropertyName("trait_type")] string TraitType,
    [property: JsonPropertyName("value")] object Value,
    [property: JsonPropertyName("display_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DisplayType = null);
