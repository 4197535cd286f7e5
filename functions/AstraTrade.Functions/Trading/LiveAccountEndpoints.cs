using System.Security.Claims;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading.Live;
using AstraTrade.Contracts.Http;
using AstraTrade.Functions.Http;

namespace AstraTrade.Functions.Trading;

/// <summary>
/// The live account: its gates, its link to Extended and its balance there. Orders, positions and trades of the live
/// account use the trading routes with <c>account=live</c>. Without Extended settings every route here is 501.
/// </summary>
public static class LiveAccountEndpoints
{
    private const int MaxApiKeyLength = 256;

    public static void MapLiveAccountEndpoints(this RouteGroupBuilder api)
    {
        var live = api.MapGroup("/accounts/live").WithTags("Live trading").RequireAuthorization();

        live.MapGet("/", GetAsync)
            .WithSummary("The live account: which gates are passed (identity, linked account), the link, and the balance on Extended")
            .Produces<LiveAccountResponse>()
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        live.MapPut("/link", LinkAsync)
            .WithSummary("Link an Extended account: its API key, Stark private key and vault are checked with Extended and kept in the vault")
            .Produces<LiveLinkResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status501NotImplemented);

        live.MapDelete("/link", async (ClaimsPrincipal user, LiveAccounts accounts, CancellationToken ct) =>
                (await accounts.UnlinkAsync(user.UserId(), ct)).ToHttp(_ => TypedResults.NoContent()))
            .WithSummary("Unlink the Extended account and forget its keys (refused while live positions or orders are open)")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status501NotImplemented);
    }

    private static async Task<IResult> GetAsync(ClaimsPrincipal user, LiveAccounts accounts, CancellationToken ct)
    {
        if (!accounts.IsConfigured)
        {
            return Problems.For(LiveErrors.NotConfigured());
        }

        var userId = user.UserId();
        var gates = await accounts.GatesAsync(userId, ct);
        var state = await accounts.LoadAsync(userId, ct);
        LiveBalanceResponse? balance = null;
        string? balanceError = null;
        if (gates.Link is not null)
        {
            var read = await accounts.GetBalanceAsync(userId, ct);
            balance = read.IsSuccess ? View(read.Value) : null;
            balanceError = read.IsSuccess ? null : read.Error!.Message;
        }

        return TypedResults.Ok(new LiveAccountResponse(
            new LiveGatesResponse(gates.IdentityVerified, gates.Link is not null, "not-checked"),
            gates.IdentityVerified && gates.Link is not null,
            gates.Link is { } link ? View(link) : null,
            balance,
            balanceError,
            state.OpenPositions.Count,
            state.WorkingOrders.Count()));
    }

    private static async Task<IResult> LinkAsync(ClaimsPrincipal user, LinkLiveAccountRequest body, LiveAccounts accounts, CancellationToken ct)
    {
        if (!accounts.IsConfigured)
        {
            return Problems.For(LiveErrors.NotConfigured());
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.ApiKey) || body.ApiKey.Length > MaxApiKeyLength)
        {
            errors["apiKey"] = [$"The Extended API key is required (at most {MaxApiKeyLength} characters)."];
        }

        StarkPrivateKey? key = null;
        try
        {
            key = body.StarkPrivateKey is { } text ? StarkPrivateKey.Parse(text) : null;
        }
        catch (FormatException e)
        {
            errors["starkPrivateKey"] = [e.Message]; // never repeats the key
        }

        if (key is null && !errors.ContainsKey("starkPrivateKey"))
        {
            errors["starkPrivateKey"] = ["The Stark private key is required (\"0x\" hex)."];
        }

        if (body.Vault is not >= 0)
        {
            errors["vault"] = ["The vault (Extended's position id of the account) is required, a whole number ≥ 0."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var linked = await accounts.LinkAsync(user.UserId(), new ExchangeCredentials(body.ApiKey!, key!, body.Vault!.Value), ct);
        return linked.ToHttp(link => TypedResults.Ok(View(link)));
    }

    private static LiveLinkResponse View(LiveLink link) => new(link.Exchange, link.AccountId, link.Vault, link.PublicKey, link.LinkedAt);

    private static LiveBalanceResponse View(ExchangeBalance b) => new(b.Balance, b.Equity, b.AvailableForTrade, b.UnrealisedPnl, b.UpdatedAt);
}
