using System.Security.Claims;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;
using AstraTrade.Functions.Http;
using Microsoft.AspNetCore.Mvc;

namespace AstraTrade.Functions.Trading;

public static class TradingEndpoints
{
    private const int DefaultPageSize = 50;

    public static void MapTradingEndpoints(this RouteGroupBuilder api)
    {
        var trading = api.MapGroup("/").WithTags("Trading").RequireAuthorization();

        trading.MapGet("/accounts/practice", async (ClaimsPrincipal user, TradingService service, CancellationToken ct) =>
                (await service.GetAccountAsync(user.UserId(), AccountSelector.Practice, ct)).ToHttp())
            .WithSummary("The practice account: balance, equity, margin in use, open positions")
            .Produces<PracticeAccountResponse>();

        trading.MapPost("/accounts/practice/reset", async (ClaimsPrincipal user, TradingService service, CancellationToken ct) =>
                (await service.ResetAsync(user.UserId(), ct)).ToHttp())
            .WithSummary("Close every position at mark and restore 10,000 USD (once per 24 h)")
            .Produces<PracticeAccountResponse>()
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        trading.MapPost("/orders", PlaceOrder)
            .RequireRateLimiting(RateLimiting.Orders)
            .WithSummary("Place a market order; it opens an isolated position. Requires an Idempotency-Key header.")
            .Produces<PlaceOrderResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        trading.MapGet("/positions", async (
                ClaimsPrincipal user, string? status, string? cursor, int? limit, string? account, TradingService service, AccountHistory history, CancellationToken ct) =>
            {
                if (!AccountSelector.TryParse(account, out var selector, out var invalidAccount))
                {
                    return Problems.For(invalidAccount!);
                }

                switch (status ?? "open")
                {
                    case "open":
                        return (await service.GetOpenPositionsAsync(user.UserId(), selector, ct)).ToHttp(open => TypedResults.Ok(new PositionsPage(open, null)));
                    case "closed" when ValidPageSize(limit) is { } invalid:
                        return invalid;
                    case "closed":
                        return (await history.ClosedPositionsAsync(user.UserId(), selector, cursor, limit ?? DefaultPageSize, ct))
                            .ToHttp(page => TypedResults.Ok(new PositionsPage(page.Items, page.NextCursor)));
                    default:
                        return Problems.Validation(new Dictionary<string, string[]> { ["status"] = ["Use open or closed."] });
                }
            })
            .WithSummary("Open positions (with mark, uPnL, liquidation price) or closed ones, newest first, paged by cursor")
            .Produces<PositionsPage>()
            .ProducesValidationProblem();

        trading.MapPost("/positions/{id:guid}/close", async (ClaimsPrincipal user, Guid id, string? account, TradingService service, CancellationToken ct) =>
                !AccountSelector.TryParse(account, out var selector, out var invalidAccount)
                    ? Problems.For(invalidAccount!)
                    : (await service.ClosePositionAsync(user.UserId(), selector, id, ct)).ToHttp())
            .WithSummary("Close a position at the current mark (a position already under maintenance margin is liquidated)")
            .Produces<PositionResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        trading.MapGet("/trades", async (ClaimsPrincipal user, string? cursor, int? limit, string? account, AccountHistory history, CancellationToken ct) =>
                !AccountSelector.TryParse(account, out var selector, out var invalidAccount) ? Problems.For(invalidAccount!)
                : ValidPageSize(limit) ?? (await history.TradesAsync(user.UserId(), selector, cursor, limit ?? DefaultPageSize, ct))
                    .ToHttp(page => TypedResults.Ok(new TradesPage(page.Items, page.NextCursor))))
            .WithSummary("Fills (opens, closes, liquidations), newest first, paged by cursor")
            .Produces<TradesPage>()
            .ProducesValidationProblem();
    }

    private static async Task<IResult> PlaceOrder(
        ClaimsPrincipal user,
        PlaceOrderRequest body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        string? account,
        TradingService service,
        HttpContext http,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey))
        {
            return Problems.For("idempotency-key-required", "Send an Idempotency-Key header (a unique value per order, e.g. a UUID) so a retry cannot place the order twice.");
        }

        if (!AccountSelector.TryParse(account, out var selector, out var invalidAccount))
        {
            return Problems.For(invalidAccount!);
        }

        var errors = new Dictionary<string, string[]>();
        if (idempotencyKey.Length > 100 || idempotencyKey.Any(c => c is < '!' or > '~'))
        {
            errors["Idempotency-Key"] = ["Use 1 to 100 visible ASCII characters."];
        }

        if (body.Leverage < 1)
        {
            errors["leverage"] = ["Must be a whole number of at least 1."];
        }

        if (body.Collateral <= 0)
        {
            errors["collateral"] = ["Must be a positive USD amount."];
        }

        if (string.IsNullOrWhiteSpace(body.Market))
        {
            errors["market"] = ["Required, e.g. BTC-USD."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var side = body.Side == OrderSide.Long ? PositionSide.Long : PositionSide.Short;
        var result = await service.PlaceMarketOrderAsync(user.UserId(), selector, body.Market, side, body.Leverage, body.Collateral, idempotencyKey, ct);
        return result.ToHttp(placed =>
        {
            if (placed.Replayed)
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
            }

            return TypedResults.Created((string?)null, placed.Response);
        });
    }

    private static IResult? ValidPageSize(int? limit) => limit is < 1 or > AccountHistory.MaxPageSize
        ? Problems.Validation(new Dictionary<string, string[]> { ["limit"] = [$"Must be from 1 to {AccountHistory.MaxPageSize}."] })
        : null;
}
