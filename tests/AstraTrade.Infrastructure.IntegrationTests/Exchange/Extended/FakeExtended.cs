using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Starknet;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>
/// A local stand-in for Extended's REST API on 127.0.0.1 (HttpListener: this test project has no ASP.NET Core), with the
/// documented paths and envelopes. It checks what the real exchange checks: the X-Api-Key and User-Agent, and each
/// order's settlement: the Stark key and vault of the account, and the signature over the settlement hash it recomputes
/// from the order's own fields (qty, price, side, fee, expiry, nonce) and the market's l2Config. Fills: a market (IOC)
/// order fills at the mark if its worst price allows, or ends cancelled; a limit order fills at the mark if it crosses,
/// or rests. An order worth more than the account's balance ends REJECTED with NOT_ENOUGH_FUNDS.
/// </summary>
internal sealed class FakeExtended : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, Account> _accounts = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, string Method, string Path)> _requests = new();
    private readonly List<ExtendedOrder> _orders = [];
    private readonly List<ExtendedTrade> _trades = [];
    private readonly Lock _gate = new();
    private long _nextId = 1000;
    private int _throttle;
    private int _throttleSeconds;

    public FakeExtended()
    {
        (_listener, Port) = LoopbackHttpListener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/api/v1/");

    public ExtendedSigningDomain Domain { get; init; } = ExtendedSigningDomain.Sepolia;

    public decimal Mark { get; set; } = 50_000m;

    /// <summary>How far the book has moved from the published mark (a market that runs away between read and match).</summary>
    public decimal BookMove { get; set; }

    public ExtendedL2Config L2 { get; } = new("STARKX", "0x1", 1_000_000, "0x4254432d3600000000000000000000", 1_000_000);

    public IReadOnlyList<(DateTimeOffset At, string Method, string Path)> Requests => [.. _requests];

    public IReadOnlyList<ExtendedOrder> Orders { get { lock (_gate) { return [.. _orders]; } } }

    /// <summary>The reasons settlements were refused (bad signature, wrong key, …), for assertions.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public void AddAccount(string apiKey, uint vault, Felt starkKey, decimal balance) => _accounts[apiKey] = new(vault, starkKey, balance);

    /// <summary>The next <paramref name="count"/> requests get 429 with Retry-After: <paramref name="seconds"/> (0: no header).</summary>
    public void Throttle(int count, int seconds)
    {
        _throttleSeconds = seconds;
        Volatile.Write(ref _throttle, count);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
        }

        _listener.Close();
    }

    private ExtendedMarket Market => new("BTC-USD", true, "ACTIVE", new(Mark, Mark, Mark), new(0.0001m, 0.0001m, 1m, 50m), L2);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await HandleAsync(context);
            }
            catch (Exception e)
            {
                await WriteAsync(context, 500, new { status = "ERROR", error = new { code = 500, message = e.Message } });
            }
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath;
        _requests.Enqueue((DateTimeOffset.UtcNow, request.HttpMethod, path));
        if (Interlocked.Decrement(ref _throttle) >= 0)
        {
            if (_throttleSeconds > 0)
            {
                context.Response.AddHeader("Retry-After", _throttleSeconds.ToString(CultureInfo.InvariantCulture));
            }

            await WriteAsync(context, 429, new { status = "ERROR", error = new { code = 1006, message = "Rate limit exceeded" } });
            return;
        }

        if (string.IsNullOrEmpty(request.UserAgent))
        {
            await WriteAsync(context, 400, new { status = "ERROR", error = new { code = 400, message = "User-Agent is required" } });
            return;
        }

        if (path == "/api/v1/info/markets" && request.HttpMethod == "GET")
        {
            var wanted = request.QueryString["market"];
            await Ok(context, wanted is null or "BTC-USD" ? new[] { Market } : []);
            return;
        }

        if (!path.StartsWith("/api/v1/user/", StringComparison.Ordinal))
        {
            await WriteAsync(context, 404, new { status = "ERROR", error = new { code = 404, message = "Not found" } });
            return;
        }

        if (request.Headers["X-Api-Key"] is not { } apiKey || !_accounts.TryGetValue(apiKey, out var account))
        {
            await WriteAsync(context, 401, new { status = "ERROR", error = new { code = 401, message = "Unauthorized" } });
            return;
        }

        switch (request.HttpMethod, path)
        {
            case ("POST", "/api/v1/user/order"):
                await PlaceAsync(context, apiKey, account);
                return;
            case ("GET", _) when path.StartsWith("/api/v1/user/orders/external/", StringComparison.Ordinal):
                var externalId = Uri.UnescapeDataString(path["/api/v1/user/orders/external/".Length..]);
                lock (_gate)
                {
                    var found = _orders.Where(o => o.ExternalId == externalId && Owner(o) == apiKey).ToArray();
                    if (found.Length == 0)
                    {
                        _ = WriteAsync(context, 404, new { status = "ERROR", error = new { code = 1017, message = "Order not found" } });
                        return;
                    }

                    _ = Ok(context, found);
                }

                return;
            case ("DELETE", "/api/v1/user/order"):
                lock (_gate)
                {
                    var index = _orders.FindIndex(o => o.ExternalId == request.QueryString["externalId"] && Owner(o) == apiKey);
                    if (index < 0 || _orders[index].Status is not ("NEW" or "PARTIALLY_FILLED"))
                    {
                        _ = WriteAsync(context, 404, new { status = "ERROR", error = new { code = 1017, message = "Order not found" } });
                        return;
                    }

                    _orders[index] = _orders[index] with { Status = "CANCELLED", StatusReason = "NONE" };
                }

                await Ok(context, new { });
                return;
            case ("GET", "/api/v1/user/positions"):
                await Ok(context, Positions(apiKey));
                return;
            case ("GET", "/api/v1/user/trades"):
                lock (_gate)
                {
                    _ = Ok(context, _trades.Where(t => Owner(_orders.Single(o => o.Id == t.OrderId)) == apiKey).ToArray());
                }

                return;
            default:
                await WriteAsync(context, 404, new { status = "ERROR", error = new { code = 404, message = "Not found" } });
                return;
        }
    }

    private readonly ConcurrentDictionary<long, string> _owners = new();

    private string Owner(ExtendedOrder order) => _owners[order.Id];

    private async Task PlaceAsync(HttpListenerContext context, string apiKey, Account account)
    {
        ExtendedOrderRequest? order;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            order = JsonSerializer.Deserialize<ExtendedOrderRequest>(await reader.ReadToEndAsync(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        }

        if (order is null || order.Market != "BTC-USD")
        {
            await WriteAsync(context, 400, new { status = "ERROR", error = new { code = 1001, message = "Invalid market" } });
            return;
        }

        if (VerifySettlement(order, account) is { } refusal)
        {
            Refusals.Enqueue(refusal);
            await WriteAsync(context, 400, new { status = "ERROR", error = new { code = 1101, message = refusal } });
            return;
        }

        ExtendedOrder placed;
        lock (_gate)
        {
            if (_orders.Any(o => o.ExternalId == order.Id && Owner(o) == apiKey))
            {
                _ = WriteAsync(context, 400, new { status = "ERROR", error = new { code = 1138, message = "Duplicate external id" } });
                return;
            }

            var qty = decimal.Parse(order.Qty, CultureInfo.InvariantCulture);
            var price = decimal.Parse(order.Price, CultureInfo.InvariantCulture);
            var buy = order.Side == "BUY";
            var book = Mark + BookMove;
            var crosses = buy ? price >= book : price <= book;
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var id = ++_nextId;
            _owners[id] = apiKey;
            var (status, reason, filled) = qty * price > account.Balance ? ("REJECTED", "NOT_ENOUGH_FUNDS", 0m)
                : crosses ? ("FILLED", "NONE", qty)
                : order.TimeInForce == "IOC" ? ("CANCELLED", "NO_LIQUIDITY", 0m)
                : ("NEW", "NONE", 0m);
            placed = new ExtendedOrder(id, order.Id, order.Market, order.Type, order.Side, status, reason, price, filled > 0 ? book : null, qty, filled, now, now);
            _orders.Add(placed);
            if (filled > 0)
            {
                _trades.Add(new ExtendedTrade(id * 10, id, order.Market, order.Side, book, filled, filled * book * 0.0005m, true, now));
            }
        }

        await Ok(context, new ExtendedPlacedOrder(placed.Id, placed.ExternalId));
    }

    /// <summary>Null when the settlement is the account's and signs this very order; otherwise why not.</summary>
    private string? VerifySettlement(ExtendedOrderRequest order, Account account)
    {
        var settlement = order.Settlement;
        if (!Felt.TryParse(settlement.StarkKey, out var starkKey) || starkKey != account.StarkKey)
        {
            return "The settlement's Stark key is not the account's";
        }

        if (settlement.CollateralPosition != account.Vault.ToString(CultureInfo.InvariantCulture))
        {
            return "The settlement's collateral position is not the account's vault";
        }

        var message = ExtendedOrderBuilder.Message(
            L2, order.Side == "BUY", decimal.Parse(order.Qty, CultureInfo.InvariantCulture), decimal.Parse(order.Price, CultureInfo.InvariantCulture),
            decimal.Parse(order.Fee, CultureInfo.InvariantCulture), DateTimeOffset.FromUnixTimeMilliseconds(order.ExpiryEpochMillis),
            ulong.Parse(order.Nonce, CultureInfo.InvariantCulture), account.Vault);
        var hash = message.MessageHash(Domain, starkKey);
        var signature = new StarkSignature(Felt.Parse(settlement.Signature.R), Felt.Parse(settlement.Signature.S));
        return StarkEcdsa.Verify(hash, signature, starkKey) ? null : "Invalid settlement signature";
    }

    private ExtendedPosition[] Positions(string apiKey)
    {
        lock (_gate)
        {
            return [.. _trades.Where(t => Owner(_orders.Single(o => o.Id == t.OrderId)) == apiKey)
                .GroupBy(t => t.Market)
                .Select(g => (Market: g.Key, Size: g.Sum(t => t.Side == "BUY" ? t.Qty : -t.Qty), Cost: g.Sum(t => (t.Side == "BUY" ? t.Qty : -t.Qty) * t.Price)))
                .Where(p => p.Size != 0)
                .Select(p => new ExtendedPosition(p.Market, p.Size > 0 ? "LONG" : "SHORT", Math.Abs(p.Size), p.Cost / p.Size, Mark, null, (Mark - (p.Cost / p.Size)) * p.Size, null))];
        }
    }

    private static Task Ok(HttpListenerContext context, object data) => WriteAsync(context, 200, new { status = "OK", data });

    private static async Task WriteAsync(HttpListenerContext context, int status, object body)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private sealed record Account(uint Vault, Felt StarkKey, decimal Balance);
}
