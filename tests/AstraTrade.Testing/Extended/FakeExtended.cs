using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AstraTrade.Starknet;

namespace AstraTrade.Testing.Extended;

/// <summary>
/// A local stand-in for Extended's REST API (api.docs.extended.exchange; shapes as Extended's python SDK models them) on
/// 127.0.0.1, over <see cref="HttpListener"/> so that test projects without ASP.NET Core can start it. It serves the
/// documented paths and envelopes (<c>{"status":"OK","data":…}</c> / <c>{"status":"ERROR","error":{code,message}}</c>,
/// decimals as strings) and checks what the real exchange checks: the X-Api-Key (401), the User-Agent, and for every
/// order the settlement: the account's Stark key and vault and the signature over the order's own terms
/// (<see cref="FakeExtendedSettlement"/>).
/// <para>Its exchange (FakeExtended.Exchange.cs): per account a collateral balance and one netted position per market;
/// a market (IOC) order matches at once against the mark (moved by <see cref="BookMove"/>) if its worst price allows,
/// otherwise ends CANCELLED (NO_LIQUIDITY); a limit (GTT) order matches if it crosses, otherwise rests; reduce-only
/// orders must reduce the position; an order whose margin at the account's leverage exceeds what is available is
/// REJECTED (NOT_ENOUGH_FUNDS). Tests drive the rest: marks, fills of resting orders, held market orders, expiries,
/// cancels and liquidations.</para>
/// </summary>
public sealed partial class FakeExtended : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<FakeExtendedRequest> _requests = new();
    private int _throttle;
    private int _throttleSeconds;

    public FakeExtended()
    {
        AddMarket(FakeExtendedMarket.Btc, 50_000m);
        _server = new LoopbackServer(ServeAsync);
    }

    public int Port => _server.Port;

    /// <summary>The REST base, like https://api.starknet.extended.exchange/api/v1/.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/api/v1/");

    public ExtendedSigningDomain Domain { get; init; } = ExtendedSigningDomain.Sepolia;

    /// <summary>The clock of order and fill times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Every request in arrival order.</summary>
    public IReadOnlyList<FakeExtendedRequest> Requests => [.. _requests];

    /// <summary>The reasons settlements were refused (bad signature, wrong key, …).</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>The next <paramref name="count"/> requests get 429 with Retry-After: <paramref name="seconds"/> (0: no header).</summary>
    public void Throttle(int count, int seconds)
    {
        _throttleSeconds = seconds;
        Volatile.Write(ref _throttle, count);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(HttpListenerContext context)
    {
        Reply reply;
        try
        {
            reply = await HandleAsync(context);
        }
        catch (Exception e)
        {
            reply = Error(500, 500, e.Message);
        }

        await WriteAsync(context, reply);
    }

    private async Task<Reply> HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        _requests.Enqueue(new FakeExtendedRequest(DateTimeOffset.UtcNow, request.HttpMethod, path, request.Url.Query));
        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            if (_throttleSeconds > 0)
            {
                context.Response.AddHeader("Retry-After", _throttleSeconds.ToString(CultureInfo.InvariantCulture));
            }

            return Error(429, 1006, "Rate limit exceeded");
        }

        if (string.IsNullOrEmpty(request.UserAgent))
        {
            return Error(400, 400, "User-Agent is required");
        }

        var body = "";
        if (request.HasEntityBody)
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            body = await reader.ReadToEndAsync();
        }

        lock (_gate)
        {
            if (path == "/api/v1/info/markets" && request.HttpMethod == "GET")
            {
                var wanted = request.QueryString.GetValues("market");
                return Ok(_markets.Values.Where(m => wanted is null || wanted.Contains(m.Name)).Select(MarketJson).ToArray());
            }

            if (!path.StartsWith("/api/v1/user/", StringComparison.Ordinal))
            {
                return Error(404, 404, "Not found");
            }

            if (request.Headers["X-Api-Key"] is not { } apiKey || !_accounts.TryGetValue(apiKey, out var account))
            {
                return Error(401, 401, "Unauthorized");
            }

            return (request.HttpMethod, path["/api/v1/user/".Length..]) switch
            {
                ("GET", "account/info") => Ok(new
                {
                    id = account.Id, description = "Main", accountIndex = 0, status = account.Status, l2Key = account.StarkKey.ToHexString(),
                    l2Vault = account.Vault,
                }),
                ("GET", "balance") => Ok(BalanceJson(BalanceOf(account))),
                ("GET", "leverage") => Ok((request.QueryString.GetValues("market") ?? [.. _markets.Keys])
                    .Where(_markets.ContainsKey).Select(m => new { market = m, leverage = Text(account.LeverageIn(m, DefaultLeverage)) }).ToArray()),
                ("PATCH", "leverage") => UpdateLeverage(account, body),
                ("POST", "order") => Place(account, body),
                ("GET", var p) when p.StartsWith("orders/external/", StringComparison.Ordinal) => FindOrders(account, Uri.UnescapeDataString(p["orders/external/".Length..])),
                ("DELETE", "order") => Cancel(account, request.QueryString["externalId"]),
                ("GET", "positions") => Ok(account.Positions.Values.Select(p => PositionJson(account, p)).ToArray()),
                ("GET", "trades") => Ok(_trades
                    .Where(t => t.AccountId == account.Id && (request.QueryString.GetValues("market") is not { } markets || markets.Contains(t.Market)))
                    .Select(TradeJson).ToArray()),
                _ => Error(404, 404, "Not found"),
            };
        }
    }

    private Reply UpdateLeverage(Account account, string body)
    {
        string market;
        decimal leverage;
        try
        {
            using var document = JsonDocument.Parse(body);
            market = document.RootElement.GetProperty("market").GetString() ?? "";
            leverage = Number(document.RootElement.GetProperty("leverage"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            return Error(400, 1000, "Invalid leverage request: " + e.Message);
        }

        if (!_markets.TryGetValue(market, out var listed))
        {
            return Error(400, 1001, "Invalid market");
        }

        if (leverage < 1 || leverage > listed.MaxLeverage || leverage != Math.Floor(leverage))
        {
            return Error(400, 1141, $"Invalid leverage: {market} allows 1 to {listed.MaxLeverage}");
        }

        account.Leverages[market] = leverage;
        return Ok(new { market, leverage = Text(leverage) });
    }

    private Reply Place(Account account, string body)
    {
        NewOrder order;
        FakeExtendedSettlement.Terms terms;
        string marketName;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var settlement = root.GetProperty("settlement");
            marketName = root.GetProperty("market").GetString()!;
            var buy = root.GetProperty("side").GetString() switch
            {
                "BUY" => true,
                "SELL" => false,
                _ => throw new FormatException("side is BUY or SELL"),
            };
            order = new NewOrder(
                root.GetProperty("id").GetString()!, root.GetProperty("type").GetString()!, buy, Number(root.GetProperty("qty")), Number(root.GetProperty("price")),
                root.GetProperty("timeInForce").GetString()!, root.GetProperty("expiryEpochMillis").GetInt64(), Number(root.GetProperty("fee")),
                root.GetProperty("reduceOnly").GetBoolean());
            _ = root.GetProperty("postOnly").GetBoolean();
            _ = root.GetProperty("selfTradeProtectionLevel").GetString();
            terms = new FakeExtendedSettlement.Terms(
                buy, order.Qty, order.Price, order.FeeRate, order.ExpiryEpochMillis, ulong.Parse(root.GetProperty("nonce").GetString()!, CultureInfo.InvariantCulture),
                settlement.GetProperty("signature").GetProperty("r").GetString()!, settlement.GetProperty("signature").GetProperty("s").GetString()!,
                settlement.GetProperty("starkKey").GetString()!, settlement.GetProperty("collateralPosition").GetString()!);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException or NullReferenceException)
        {
            return Error(400, 1000, "Invalid order: " + e.Message);
        }

        if (!_markets.TryGetValue(marketName, out var market))
        {
            return Error(400, 1001, "Invalid market");
        }

        if (FakeExtendedSettlement.Verify(terms, market, account.StarkKey, account.Vault, Domain) is { } refusal)
        {
            Refusals.Enqueue(refusal);
            return Error(400, 1101, refusal);
        }

        if (_orders.Any(o => o.ExternalId == order.ExternalId && o.AccountId == account.Id))
        {
            return Error(400, 1138, "Duplicate external id");
        }

        var taken = Take(account, market, order);
        return Ok(new { id = taken.Id, externalId = taken.ExternalId });
    }

    private Reply FindOrders(Account account, string externalId)
    {
        var found = _orders.Where(o => o.ExternalId == externalId && o.AccountId == account.Id).Select(OrderJson).ToArray();
        return found.Length == 0 ? Error(404, 1017, "Order not found") : Ok(found);
    }

    private Reply Cancel(Account account, string? externalId)
    {
        var order = _orders.FirstOrDefault(o => o.ExternalId == externalId && o.AccountId == account.Id && o.IsWorking);
        if (order is null)
        {
            return Error(404, 1017, "Order not found");
        }

        Replace(order with { Status = "CANCELLED", StatusReason = "NONE", UpdatedTime = Now() });
        return Ok(new { });
    }

    private object MarketJson(FakeExtendedMarket m) => new
    {
        name = m.Name,
        active = true,
        status = "ACTIVE",
        marketStats = new { markPrice = Text(_marks[m.Name]), indexPrice = Text(_marks[m.Name]), lastPrice = Text(_marks[m.Name]) },
        tradingConfig = new
        {
            minOrderSize = Text(m.MinOrderSize), minOrderSizeChange = Text(m.MinOrderSizeChange), minPriceChange = Text(m.MinPriceChange),
            maxLeverage = Text(m.MaxLeverage),
        },
        l2Config = new
        {
            type = "STARKX", collateralId = m.CollateralId, collateralResolution = m.CollateralResolution, syntheticId = m.SyntheticId,
            syntheticResolution = m.SyntheticResolution,
        },
    };

    private object BalanceJson(FakeExtendedBalance b) => new
    {
        collateralName = "USD",
        balance = Text(b.Balance),
        equity = Text(b.Equity),
        availableForTrade = Text(b.AvailableForTrade),
        availableForWithdrawal = Text(b.AvailableForWithdrawal),
        unrealisedPnl = Text(b.UnrealisedPnl),
        initialMargin = Text(b.InitialMargin),
        marginRatio = Text(b.MarginRatio),
        updatedTime = Now(),
    };

    private static object OrderJson(FakeExtendedOrder o) => new
    {
        id = o.Id,
        accountId = o.AccountId,
        externalId = o.ExternalId,
        market = o.Market,
        type = o.Type,
        side = o.Side,
        status = o.Status,
        statusReason = o.StatusReason,
        price = Text(o.Price),
        averagePrice = o.AveragePrice is { } a ? Text(a) : null,
        qty = Text(o.Qty),
        filledQty = Text(o.FilledQty),
        reduceOnly = o.ReduceOnly,
        postOnly = false,
        payedFee = Text(o.PayedFee),
        createdTime = o.CreatedTime,
        updatedTime = o.UpdatedTime,
        expiryTime = o.ExpiryTime,
        timeInForce = o.TimeInForce,
    };

    private object PositionJson(Account account, FakeExtendedPosition p) => new
    {
        id = account.Id * 100,
        accountId = account.Id,
        market = p.Market,
        side = p.Size > 0 ? "LONG" : "SHORT",
        leverage = Text(p.Leverage),
        size = Text(Math.Abs(p.Size)),
        value = Text(Math.Abs(p.Size) * _marks[p.Market]),
        openPrice = Text(p.OpenPrice),
        markPrice = Text(_marks[p.Market]),
        unrealisedPnl = Text((_marks[p.Market] - p.OpenPrice) * p.Size),
        // A simple stand-in for Extended's (which depends on the whole account's margin): the open price moved by 1/leverage against the position.
        liquidationPrice = Text(p.OpenPrice * (1 - (Math.Sign(p.Size) / p.Leverage))),
        realisedPnl = Text(p.RealisedPnl),
        createdAt = p.CreatedTime,
        updatedAt = p.UpdatedTime,
    };

    private static object TradeJson(FakeExtendedTrade t) => new
    {
        id = t.Id,
        accountId = t.AccountId,
        market = t.Market,
        orderId = t.OrderId,
        side = t.Side,
        price = Text(t.Price),
        qty = Text(t.Qty),
        value = Text(t.Price * t.Qty),
        fee = Text(t.Fee),
        isTaker = true,
        tradeType = t.TradeType,
        createdTime = t.CreatedTime,
    };

    private static decimal Number(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? decimal.Parse(element.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture)
        : element.GetDecimal();

    private static string Text(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static Reply Ok(object data) => new(200, new { status = "OK", data });

    private static Reply Error(int status, int code, string message) => new(status, new { status = "ERROR", error = new { code, message } });

    private static async Task WriteAsync(HttpListenerContext context, Reply reply)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(reply.Body, Json);
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private sealed record Reply(int Status, object Body);
}

/// <summary>A request the fake received (the query with its leading "?", or empty).</summary>
public sealed record FakeExtendedRequest(DateTimeOffset At, string Method, string Path, string Query);
