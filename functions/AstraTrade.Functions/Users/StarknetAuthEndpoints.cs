using System.Security.Claims;
using AstraTrade.Application.Users;
using AstraTrade.Contracts.Http;
using AstraTrade.Functions.Http;

namespace AstraTrade.Functions.Users;

/// <summary>Sign in with Starknet (docs/starknet.md): challenge, verify, link.</summary>
public static class StarknetAuthEndpoints
{
    public static void MapStarknetAuthEndpoints(this RouteGroupBuilder api)
    {
        // Under the auth rate limit like the password routes: each challenge is a stored document, each verify may be a
        // node call.
        var starknet = api.MapGroup("/auth/starknet").WithTags("Auth").RequireRateLimiting(RateLimiting.Auth);

        starknet.MapPost("/challenge", async (StarknetChallengeRequest body, StarknetSignIn service, CancellationToken ct) =>
                (await service.ChallengeAsync(body.Address, ct)).ToHttp())
            .WithSummary("A single-use SNIP-12 challenge for a Starknet account to sign")
            .Produces<StarknetChallengeResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        starknet.MapPost("/verify", async (StarknetVerifyRequest body, StarknetSignIn service, CancellationToken ct) =>
                (await service.SignInAsync(body, ct)).ToHttp())
            .AddEndpointFilter<Nft.WalletLinkedFilter>() // the NFT context learns the user's wallet (mint recipient)
            .WithSummary("Sign in with a signed challenge (a wallet seen for the first time gets a new account)")
            .Produces<TokenResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        starknet.MapPost("/link", async (StarknetVerifyRequest body, ClaimsPrincipal user, StarknetSignIn service, CancellationToken ct) =>
                (await service.LinkAsync(user.UserId(), body, ct)).ToHttp())
            .AddEndpointFilter<Nft.WalletLinkedFilter>()
            .WithSummary("Link a wallet to the signed-in account with a signed challenge")
            .RequireAuthorization()
            .Produces<StarknetWalletResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }
}
