using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Common;
using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Trading;
using AstraTrade.Orchestrations.Runtime;
using OrderType = AstraTrade.Domain.Trading.OrderType;

namespace AstraTrade.Orchestrations.Trading;

/// <summary>
/// The trading API's order use cases on top of trade lifecycles: place (start a lifecycle and wait until the order is
/// filled, working or refused), read and cancel. Ownership is by construction: an order's lifecycle records its
/// owner, and someone else's order reads as not found.
/// </summary>
public sealed class TradeDesk(WorkflowClient workflows, MarketCatalog markets, TradingAccounts tradingAccounts, TimeProvider time)
{
    /// <summary>How long a request waits for its order to leave "pending"; after that it answers 202 with the order as it is.</summary>
    public static readonly TimeSpan PlacementWait = TimeSpan.FromSeconds(10);

    /// <param name="Settled">False when the order was still pending when the wait ended.</param>
    /// <param name="Replayed">True when the Idempotency-Key had already placed this order: the answer is its current state.</param>
    /// <param name="Refusal">The rule the order broke, when it was rejected before anything was held: the API answers
    /// with it as it would for any broken rule, naming the order so its lifecycle can be read.</param>
    public sealed record Placement(PlaceOrderResponse Response, bool Settled, bool Replayed, DomainError? Refusal = null);

    public sealed record OrderRequest(string Market, PositionSide Side, int Leverage, decimal Collateral, OrderType Type, decimal? LimitPrice, decimal? StopLoss, decimal? TakeProfit);

    public async ValueTask<Result<Placement>> PlaceAsync(
        Guid userId, AccountSelector account, OrderRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (markets.Find(request.Market) is not { } market)
        {
            return ApplicationErrors.UnknownMarket(request.Market);
        }

        var stream = await tradingAccounts.ResolveAsync(userId, account, trading: true, cancellationToken);
        if (!stream.IsSuccess)
        {
            return stream.Error!;
        }

        var ticket = new OrderTicket(
            OrderIdFor(userId, idempotencyKey), userId, stream.Value, account.ToString(), market.Symbol, request.Side, request.Leverage,
            request.Collateral, request.Type, request.LimitPrice, request.StopLoss, request.TakeProfit, idempotencyKey, time.GetUtcNow());
        var instanceId = TradeLifecycle.InstanceId(ticket.OrderId);
        var started = await StartAsync(ticket, instanceId, cancellationToken);
        var replayed = started.Outcome == StartOutcome.AlreadyExists;
        if (replayed && await workflows.GetStatusAsync(instanceId, cancellationToken: cancellationToken) is { } earlier
            && Status(earlier) is { Lifecycle: "rejected", Reserved: false })
        {
            // An order the risk checks refused changed nothing, so it does not use up its key: the retry (after a stale
            // price, say) is a new attempt. (One the account accepted keeps its key, as the account does.) The refused
            // lifecycle's history stays readable for audit.
            await workflows.PurgeAsync(instanceId, cancellationToken);
            started = await StartAsync(ticket, instanceId, cancellationToken);
            replayed = started.Outcome == StartOutcome.AlreadyExists;
        }

        var status = await WaitUntilAsync(instanceId, trade => trade.Lifecycle != "pending", cancellationToken);
        var first = Ticket(status!);
        if (replayed && !SameOrder(first, ticket))
        {
            return TradingErrors.IdempotencyKeyReused(idempotencyKey);
        }

        var trade = Status(status!);
        var refusal = trade is { Lifecycle: "rejected", Reason: { } reason, FillPrice: null } ? new DomainError(reason.Code, reason.Message) : null;
        return new Placement(new PlaceOrderResponse(View(first, status!, trade), trade.Opened), trade.Lifecycle != "pending", replayed, refusal);
    }

    /// <summary>The caller's order with its lifecycle; not found for anyone else's.</summary>
    public async ValueTask<Result<OrderResponse>> GetAsync(Guid userId, Guid orderId, CancellationToken cancellationToken)
    {
        var status = await workflows.GetStatusAsync(TradeLifecycle.InstanceId(orderId), cancellationToken: cancellationToken);
        return Owned(status, userId) ? View(Ticket(status!), status!, Status(status!)) : OrderNotFound(orderId);
    }

    /// <summary>Cancels a working (limit) order and waits for its margin to be released.</summary>
    public async ValueTask<Result<OrderResponse>> CancelAsync(Guid userId, Guid orderId, CancellationToken cancellationToken)
    {
        var instanceId = TradeLifecycle.InstanceId(orderId);
        var status = await workflows.GetStatusAsync(instanceId, cancellationToken: cancellationToken);
        if (!Owned(status, userId))
        {
            return OrderNotFound(orderId);
        }

        var trade = Status(status!);
        if (trade.Lifecycle != "working")
        {
            return new DomainError("order-not-cancellable", $"Only a working limit order can be cancelled; this order is {trade.Status}.");
        }

        await workflows.RaiseEventAsync(instanceId, TradeEvents.Cancel, new CancelRequested(time.GetUtcNow()), cancellationToken);
        status = await WaitUntilAsync(instanceId, trade => trade.Lifecycle != "working", cancellationToken);
        return View(Ticket(status!), status!, Status(status!));
    }

    /// <summary>One order id per user and key: a retried request starts the same lifecycle, which the runtime refuses
    /// to start twice. Derived (SHA-256, as a version-8 UUID) so no lookup table is needed.</summary>
    public static Guid OrderIdFor(Guid userId, string idempotencyKey)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"order|{userId:N}|{idempotencyKey}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    private static DomainError OrderNotFound(Guid orderId) => new("order-not-found", $"There is no order {orderId} of yours.");

    private static bool Owned(WorkflowStatus? status, Guid userId) =>
        status is { Name: TradeLifecycle.Name } && status.Owner == userId.ToString();

    /// <summary>The same order whenever it was sent; decimals compare by value, so 100 and 100.00 are the same amount.</summary>
    private static bool SameOrder(OrderTicket first, OrderTicket retry) => first with { PlacedAt = retry.PlacedAt } == retry;

    private static OrderTicket Ticket(WorkflowStatus status) => status.Input!.Value.Deserialize<OrderTicket>(WorkflowJson.DefaultOptions)!;

    private static TradeStatus Status(WorkflowStatus status) =>
        (status.RuntimeStatus == WorkflowRuntimeStatus.Completed ? status.Output : status.CustomStatus) is { } json
            ? json.Deserialize<TradeStatus>(WorkflowJson.DefaultOptions)!
            : TradeStatus.Pending(status.CreatedTime) with
            {
                Lifecycle = status.RuntimeStatus.IsFinished() ? "failed" : "pending",
                Reason = status.Reason is { } reason ? new OrderReason("trade-failed", reason) : null,
            };

    private static OrderResponse View(OrderTicket ticket, WorkflowStatus status, TradeStatus trade) => new(
        ticket.OrderId,
        ticket.Market,
        TradingViews.Side(ticket.Side),
        ticket.Type == OrderType.Limit ? "limit" : "market",
        ticket.Leverage,
        ticket.Collateral,
        trade.Status,
        trade.FillPrice is { } price ? TradingViews.Price(price) : null,
        trade.Fee,
        trade.FillPrice is null ? null : ticket.OrderId,
        ticket.PlacedAt,
        ticket.LimitPrice,
        ticket.StopLoss,
        ticket.TakeProfit,
        trade.Lifecycle,
        trade.Reason,
        ticket.ExpiresAt,
        trade.UpdatedAt > status.LastUpdatedTime ? trade.UpdatedAt : status.LastUpdatedTime,
        ticket.Account);

    /// <summary>The instance once <paramref name="until"/> holds for its trade (or it finished), or as it is after
    /// <see cref="PlacementWait"/>.</summary>
    private async ValueTask<WorkflowStatus?> WaitUntilAsync(string instanceId, Func<TradeStatus, bool> until, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(PlacementWait);
        try
        {
            return await workflows.WaitForCustomStatusAsync(
                instanceId, (_, custom) => !custom.IsEmpty && until(JsonSerializer.Deserialize<TradeStatus>(custom.Span, WorkflowJson.DefaultOptions)!), wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await workflows.GetStatusAsync(instanceId, cancellationToken: cancellationToken);
        }
    }

    private async ValueTask<StartResult> StartAsync(OrderTicket ticket, string instanceId, CancellationToken cancellationToken)
    {
        var started = await workflows.StartNewAsync(TradeLifecycle.Name, ticket, new StartOptions(instanceId, ticket.UserId.ToString()), cancellationToken);
        return started.Started || started.Outcome == StartOutcome.AlreadyExists
            ? started
            : throw new InvalidOperationException($"The trade lifecycle did not start: {started.Error}");
    }
}
