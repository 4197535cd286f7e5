using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Extended's REST API (api.docs.extended.exchange): markets, orders, positions and trades. Every request carries the
/// User-Agent Extended requires and, for account endpoints, the account's <c>X-Api-Key</c>; passes the shared rate
/// limiter; and is retried only after a transport error or a 429 that says when to come back (Retry-After). Errors
/// become <see cref="ExtendedApiException"/>s.
/// </summary>
public sealed class ExtendedClient
{
    private static readonly TimeSpan FirstTransportBackoff = TimeSpan.FromMilliseconds(200);
    private readonly HttpClient _http;
    private readonly ExtendedOptions _options;
    private readonly ExtendedRateLimiter _limiter;
    private readonly TimeProvider _time;

    public ExtendedClient(HttpClient http, ExtendedOptions options, ExtendedRateLimiter limiter, TimeProvider time)
    {
        _http = http;
        _options = options;
        _limiter = limiter;
        _time = time;
    }

    /// <summary>GET /info/markets?market=…: one market, or null when Extended does not list it.</summary>
    public async Task<ExtendedMarket?> GetMarketAsync(string market, CancellationToken cancellationToken)
    {
        var markets = await SendAsync<List<ExtendedMarket>>(HttpMethod.Get, $"info/markets?market={Uri.EscapeDataString(market)}", null, null, cancellationToken);
        return markets?.FirstOrDefault(m => m.Name == market);
    }

    /// <summary>GET /info/markets: every market.</summary>
    public async Task<IReadOnlyList<ExtendedMarket>> GetMarketsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<ExtendedMarket>>(HttpMethod.Get, "info/markets", null, null, cancellationToken) ?? [];

    /// <summary>POST /user/order. Extended takes it asynchronously: the answer has ids, the status comes from a read.</summary>
    public async Task<ExtendedPlacedOrder> PlaceOrderAsync(string apiKey, ExtendedOrderRequest order, CancellationToken cancellationToken) =>
        await SendAsync<ExtendedPlacedOrder>(HttpMethod.Post, "user/order", apiKey, order, cancellationToken)
        ?? throw new ExtendedApiException(HttpStatusCode.OK, "empty", "POST /user/order answered without data.");

    /// <summary>GET /user/orders/external/{externalId}: the order with our id, or null when Extended has none.</summary>
    public async Task<ExtendedOrder?> GetOrderByExternalIdAsync(string apiKey, string externalId, CancellationToken cancellationToken)
    {
        try
        {
            var orders = await SendAsync<List<ExtendedOrder>>(HttpMethod.Get, $"user/orders/external/{Uri.EscapeDataString(externalId)}", apiKey, null, cancellationToken);
            return orders?.OrderByDescending(o => o.CreatedTime).FirstOrDefault();
        }
        catch (ExtendedApiException e) when (e.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>DELETE /user/order?externalId=…</summary>
    public Task CancelByExternalIdAsync(string apiKey, string externalId, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(HttpMethod.Delete, $"user/order?externalId={Uri.EscapeDataString(externalId)}", apiKey, null, cancellationToken);

    /// <summary>GET /user/account/info: the account the API key belongs to (its Stark key, vault and status).</summary>
    public async Task<ExtendedAccountInfo> GetAccountInfoAsync(string apiKey, CancellationToken cancellationToken) =>
        await SendAsync<ExtendedAccountInfo>(HttpMethod.Get, "user/account/info", apiKey, null, cancellationToken)
        ?? throw new ExtendedApiException(HttpStatusCode.OK, "empty", "GET /user/account/info answered without data.");

    /// <summary>GET /user/balance: the account's collateral, equity and margin now.</summary>
    public async Task<ExtendedBalance> GetBalanceAsync(string apiKey, CancellationToken cancellationToken) =>
        await SendAsync<ExtendedBalance>(HttpMethod.Get, "user/balance", apiKey, null, cancellationToken)
        ?? throw new ExtendedApiException(HttpStatusCode.OK, "empty", "GET /user/balance answered without data.");

    /// <summary>GET /user/leverage?market=…: the account's leverage in the market, or null when Extended lists none.</summary>
    public async Task<decimal?> GetLeverageAsync(string apiKey, string market, CancellationToken cancellationToken)
    {
        var leverages = await SendAsync<List<ExtendedLeverage>>(HttpMethod.Get, $"user/leverage?market={Uri.EscapeDataString(market)}", apiKey, null, cancellationToken);
        return leverages?.FirstOrDefault(l => l.Market == market)?.Leverage;
    }

    /// <summary>PATCH /user/leverage {market, leverage}: sets the account's leverage in the market (its whole netted
    /// position there, and the margin of orders placed after). The leverage goes as a decimal string, as the SDK sends it.</summary>
    public Task UpdateLeverageAsync(string apiKey, string market, int leverage, CancellationToken cancellationToken) =>
        SendAsync<JsonElement?>(HttpMethod.Patch, "user/leverage", apiKey,
            new { market, leverage = leverage.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);

    /// <summary>GET /user/positions (open positions).</summary>
    public async Task<IReadOnlyList<ExtendedPosition>> GetPositionsAsync(string apiKey, CancellationToken cancellationToken) =>
        await SendAsync<List<ExtendedPosition>>(HttpMethod.Get, "user/positions", apiKey, null, cancellationToken) ?? [];

    /// <summary>GET /user/trades (the account's fills), optionally of one market.</summary>
    public async Task<IReadOnlyList<ExtendedTrade>> GetTradesAsync(string apiKey, string? market, CancellationToken cancellationToken) =>
        await SendAsync<List<ExtendedTrade>>(HttpMethod.Get, market is null ? "user/trades" : $"user/trades?market={Uri.EscapeDataString(market)}", apiKey, null, cancellationToken) ?? [];

    private async Task<T?> SendAsync<T>(HttpMethod method, string path, string? apiKey, object? body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            await _limiter.WaitAsync(cancellationToken);
            using var request = new HttpRequestMessage(method, new Uri(_options.BaseUrl, path));
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            request.Headers.Accept.ParseAdd("application/json");
            if (apiKey is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
            }

            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: ExtendedJson.Options);
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (IsTransport(e, cancellationToken) && attempt < _options.MaxRetries)
            {
                // The request may have reached Extended: an order POST is safe to repeat because its external id is fixed
                // (the exchange adapter looks it up before placing it again).
                await Task.Delay(FirstTransportBackoff * (1 << attempt), _time, cancellationToken);
                continue;
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var retryAfter = RetryAfter(response);
                    if (retryAfter is { } wait && wait <= _options.MaxRetryAfter && attempt < _options.MaxRetries)
                    {
                        _limiter.Pause(wait);
                        continue;
                    }

                    throw new ExtendedRateLimitedException(retryAfter);
                }

                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    throw new ExtendedUnauthorizedException($"{method} {PathOnly(path)}: the API key was refused.");
                }

                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                ExtendedEnvelope<T>? envelope = null;
                try
                {
                    envelope = text.Length == 0 ? null : JsonSerializer.Deserialize<ExtendedEnvelope<T>>(text, ExtendedJson.Options);
                }
                catch (JsonException) when (!response.IsSuccessStatusCode)
                {
                    // An error page that is not Extended's JSON: the status says enough.
                }

                if (!response.IsSuccessStatusCode || envelope is { Status: not null and not "OK" } || envelope?.Error is not null)
                {
                    throw new ExtendedApiException(response.StatusCode, envelope?.Error?.CodeText ?? "http-" + (int)response.StatusCode,
                        envelope?.Error?.Message ?? $"{method} {PathOnly(path)} failed.");
                }

                return envelope is null ? default : envelope.Data;
            }
        }
    }

    private static bool IsTransport(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested); // HttpClient's timeout

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? (date - _time.GetUtcNow() is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero) : null;
    }

    private static string PathOnly(string path) => path.Split('?')[0];
}
