using AstraTrade.Contracts.Http;
using AstraTrade.Orchestrations.Nft;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AstraTrade.Functions.Nft;

/// <summary>
/// Tells the NFT context when a user has proved control of a Starknet wallet: after a successful
/// <c>POST /auth/starknet/link</c> (the linked wallet) or <c>POST /auth/starknet/verify</c> (the wallet signed in with),
/// the wallet becomes the user's Genesis recipient (the first one stays) and their mints waiting for a wallet look again.
/// Put on those two endpoints with <c>.AddEndpointFilter&lt;WalletLinkedFilter&gt;()</c>. Sign-in keeps wallet links in
/// documents keyed by address; this is how the user → wallet direction reaches the NFT context without it reading them.
/// The sign-in has succeeded when this runs, so a failure here is logged, not answered: the next sign-in or link with
/// the wallet records it again.
/// </summary>
public sealed class WalletLinkedFilter(GenesisMintQueue mints, ILogger<WalletLinkedFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var (userId, address) = result switch
        {
            Ok<StarknetWalletResponse> { Value: { } linked } => (linked.UserId, linked.Address),
            Ok<TokenResponse> { Value: { } signedIn } when context.Arguments.OfType<StarknetVerifyRequest>().FirstOrDefault() is { } request =>
                (signedIn.UserId, request.Address),
            _ => (Guid.Empty, null),
        };
        if (address is not null)
        {
            try
            {
                await mints.WalletLinkedAsync(userId, address, context.HttpContext.RequestAborted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Recording the Genesis recipient wallet of {User} failed; the next sign-in or link with it retries", userId);
            }
        }

        return result;
    }
}
