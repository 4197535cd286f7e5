using AstraTrade.Application.Common;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Nft;

namespace AstraTrade.Application.Nft;

/// <summary>
/// What the API shows of Genesis NFTs: the caller's own requests, one by token id (only to its owner: anyone else gets
/// "not found", so an id reveals nothing), and the public ERC-721 metadata of every token whose mint was requested.
/// </summary>
public sealed class NftQueries(GenesisMints mints)
{
    public async ValueTask<NftListResponse> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        new([.. (await mints.ListAsync(userId, cancellationToken)).Select(ToResponse)]);

    public async ValueTask<Result<NftResponse>> GetAsync(Guid userId, string id, CancellationToken cancellationToken)
    {
        var request = await FindAsync(id, cancellationToken);
        return request is not null && request.UserId == userId ? ToResponse(request) : NftErrors.NotFound();
    }

    /// <summary>
    /// The token's metadata, for anyone (wallets and marketplaces fetch it without credentials). It exists from the moment
    /// the mint is requested: the token id is reserved for that user and achievement then, so the document a wallet reads
    /// after the mint is the one the app could show before it. A request that failed for good has none.
    /// </summary>
    public async ValueTask<Result<NftMetadataResponse>> MetadataAsync(string id, CancellationToken cancellationToken)
    {
        var request = await FindAsync(id, cancellationToken);
        if (request is null || request.Status == GenesisMintStatus.Failed)
        {
            return NftErrors.NotFound();
        }

        var kind = GenesisCollection.Find(request.AchievementId)!;
        return new NftMetadataResponse(
            $"{GenesisCollection.Name}: {kind.Title}",
            $"{kind.Description} One of the {GenesisCollection.Name} achievement tokens, minted once per player and achievement.",
            GenesisArtwork.DataUri(kind),
            [
                new NftAttribute("Collection", GenesisCollection.Name),
                new NftAttribute("Achievement", kind.AchievementId),
                new NftAttribute("Kind", kind.Number),
                new NftAttribute("Unlocked", request.UnlockedAt.ToUnixTimeSeconds(), "date"),
            ]);
    }

    public static NftResponse ToResponse(GenesisMintState state) => new(
        state.TokenId,
        state.AchievementId,
        $"{GenesisCollection.Name}: {GenesisCollection.Find(state.AchievementId)!.Title}",
        state.Status.ToString().ToLowerInvariant(),
        state.Reason,
        state.Detail,
        state.Attempts,
        state.Recipient,
        state.TransactionHash,
        state.BlockNumber,
        state.UnlockedAt,
        state.RequestedAt,
        state.UpdatedAt,
        $"/api/v1/nfts/{state.TokenId}/metadata");

    private async ValueTask<GenesisMintState?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!GenesisTokenId.TryParse(id, out var userId, out var kind))
        {
            return null;
        }

        var state = await mints.GetAsync(userId, kind.AchievementId, cancellationToken);
        return state.IsRequested ? state : null;
    }
}
