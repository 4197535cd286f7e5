using System.Security.Claims;
using AstraTrade.Application.Nft;
using AstraTrade.Contracts.Http;
using AstraTrade.Functions.Http;

namespace AstraTrade.Functions.Nft;

/// <summary>Genesis NFTs (DOMAIN.md §6, docs/nft.md): the caller's, one of them, and the public ERC-721 metadata.</summary>
public static class NftEndpoints
{
    public static void MapNftEndpoints(this RouteGroupBuilder api)
    {
        var nfts = api.MapGroup("/nfts").WithTags("NFTs");

        nfts.MapGet("/", async (ClaimsPrincipal user, NftQueries queries, CancellationToken ct) =>
                TypedResults.Ok(await queries.ListAsync(user.UserId(), ct)))
            .RequireAuthorization()
            .WithSummary("Your Genesis NFTs: pending, submitted, minted or failed, with why and the transaction")
            .Produces<NftListResponse>();

        // Another user's id is "not found", like every resource of this API: an id reveals nothing.
        nfts.MapGet("/{id}", async (ClaimsPrincipal user, string id, NftQueries queries, CancellationToken ct) =>
                (await queries.GetAsync(user.UserId(), id, ct)).ToHttp(TypedResults.Ok, StatusCodes.Status404NotFound))
            .RequireAuthorization()
            .WithSummary("One of your Genesis NFTs by token id (decimal)")
            .Produces<NftResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        // What the contract's token_uri points to: public, as wallets and marketplaces fetch it without credentials.
        nfts.MapGet("/{id}/metadata", async (HttpContext http, string id, NftQueries queries, CancellationToken ct) =>
                (await queries.MetadataAsync(id, ct)).ToHttp(
                    metadata =>
                    {
                        http.Response.Headers.CacheControl = "public, max-age=300";
                        return TypedResults.Ok(metadata);
                    },
                    StatusCodes.Status404NotFound))
            .AllowAnonymous()
            .WithSummary("The token's ERC-721 metadata JSON (name, description, image, attributes)")
            .Produces<NftMetadataResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>Success through <paramref name="onSuccess"/>; the one error these routes have ("no such NFT") as
    /// <paramref name="errorStatus"/>.</summary>
    private static IResult ToHttp<T>(this Application.Common.Result<T> result, Func<T, IResult> onSuccess, int errorStatus) =>
        result.IsSuccess ? onSuccess(result.Value) : Problems.For(result.Error!, errorStatus);
}
