using System.Security.Claims;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Trading;
using AstraTrade.Functions.Http;
using AstraTrade.Orchestrations.Trading;
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
            .WithSummary("Place a market or limit order (optionally with stop-loss and take-profit); each runs as a trade lifecycle. "
                         + "201 when filled (with its position) or working; 202 if still pending after 10 s. Requires an Idempotency-Key header.")
            .Produces<PlaceOrderResponse>(StatusCodes.Status201Created)
            .Produces<PlaceOrderResponse>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        trading.MapGet("/orders/{id:guid}", async (ClaimsPrincipal user, Guid id, TradeDesk desk, CancellationToken ct) =>
                (await desk.GetAsync(user.UserId(), id, ct)).ToHttp())
            .WithSummary("An order of yours with its lifecycle: status, reason, fill, expiry")
            .Produces<OrderResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        trading.MapDelete("/orders/{id:guid}", async (ClaimsPrincipal user, Guid id, TradeDesk desk, CancellationToken ct) =>
                (await desk.CancelAsync(user.UserId(), id, ct)).ToHttp())
            .WithSummary("Cancel a working limit order; its reserved margin returns to the balance")
            .Produces<OrderResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        trading.MapMethods("/positions/{id:guid}", ["PATCH"], async (
                ClaimsPrincipal user, Guid id, SetProtectionRequest body, string? account, TradingService service, CancellationToken ct) =>
            {
                if (!AccountSelector.TryParse(account, out var selector, out var invalidAccount))
                {
                    return Problems.For(invalidAccount!);
                }

                var errors = new Dictionary<string, string[]>();
                PositivePrice(errors, "stopLoss", body.StopLoss);
                PositivePrice(errors, "takeProfit", body.TakeProfit);
                return errors.Count > 0
                    ? Problems.Validation(errors)
                    : (await service.SetProtectionAsync(user.UserId(), selector, id, new Protection(body.StopLoss, body.TakeProfit), ct)).ToHttp();
            })
            .WithSummary("Set or clear (null) an open position's stop-loss and take-profit")
            .Produces<PositionResponse>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

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
        TradeDesk desk,
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

        if (body.Type == Contracts.Http.OrderType.Limit && body.LimitPrice is null)
        {
            errors["limitPrice"] = ["Required for a limit order."];
        }
        else if (body.Type == Contracts.Http.OrderType.Market && body.LimitPrice is not null)
        {
            errors["limitPrice"] = ["Only a limit order has a limit price."];
        }

        PositivePrice(errors, "limitPrice", body.LimitPrice);
        PositivePrice(errors, "stopLoss", body.StopLoss);
        PositivePrice(errors, "takeProfit", body.TakeProfit);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var request = new TradeDesk.OrderRequest(
            body.Market,
            body.Side == OrderSide.Long ? PositionSide.Long : PositionSide.Short,
            body.Leverage,
            body.Collateral,
            body.Type == Contracts.Http.OrderType.Limit ? Domain.Trading.OrderType.Limit : Domain.Trading.OrderType.Market,
            body.LimitPrice,
            body.StopLoss,
            body.TakeProfit);
        var result = await desk.PlaceAsync(user.UserId(), selector, request, idempotencyKey, ct);
        return result.ToHttp(placed =>
        {
            if (placed.Replayed)
            {
                http.Response.Headers["Idempotent-Replayed"] = "true";
            }

            var location = $"/api/v1/orders/{placed.Response.Order.Id}";
            if (placed.Refusal is { } refusal)
            {
                return Problems.For(refusal, new Dictionary<string, object?> { ["orderId"] = placed.Response.Order.Id });
            }

            return placed.Settled ? TypedResults.Created(location, placed.Response) : TypedResults.Accepted(location, placed.Response);
        });
    }

    private static void PositivePrice(Dictionary<string, string[]> errors, string field, decimal? price)
    {
        if (price is <= 0 && !errors.ContainsKey(field))
        {
            errors[field] = ["Must be a positive price."];
        }
    }

    private static IResult? ValidPageSize(int? limit) => limit is < 1 or > AccountHistory.MaxPageSize
        ? Problems.Validation(new Dictionary<string, string[]> { ["limit"] = [$"Must be from 1 to {AccountHistory.MaxPageSize}."] })
        : null;
}
