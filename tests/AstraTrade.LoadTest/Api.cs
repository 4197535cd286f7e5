using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Contracts.Http;

namespace AstraTrade.LoadTest;

/// <summary>Source-generated JSON for the contract DTOs the client reads (camelCase, string enums, like the API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(PlaceOrderResponse))]
[JsonSerializable(typeof(PositionResponse))]
[JsonSerializable(typeof(OrderResponse))]
[JsonSerializable(typeof(ProgressionResponse))]
[JsonSerializable(typeof(TradesPage))]
[JsonSerializable(typeof(PositionsPage))]
internal sealed partial class ClientJson : JsonSerializerContext;

/// <summary>The outcome of one request: its status (0 when it never got one) and how long it took.</summary>
internal readonly record struct Outcome(int Status, long Micros, string? Failure)
{
    public bool Ok => Status is >= 200 and < 300;

    public string Key => Failure ?? Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A thin HTTP client for the endpoints the load test drives. Refuses any address that is not loopback.</summary>
internal sealed class Api : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The failure recorded for a 2xx that replays an earlier request: every order here has a new key, so a
    /// replay means the test is not measuring new orders.</summary>
    public const string Replayed = "replayed";
    private readonly HttpClient _http;
    private readonly RawHttpClient? _raw;

    public Api(Uri baseUrl, int connections, bool raw)
    {
        EnsureLoopback(baseUrl);
        BaseUrl = baseUrl;
        _raw = raw ? new RawHttpClient(baseUrl, RequestTimeout) : null;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = RequestTimeout };
        _http.DefaultRequestVersion = HttpVersion.Version11;
        _http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
    }

    public Uri BaseUrl { get; }

    /// <summary>Only 127.0.0.0/8, ::1 and "localhost" are allowed: a load test never leaves this machine.</summary>
    public static void EnsureLoopback(Uri url)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Base URL must be http(s), not {url.Scheme}.");
        }

        var host = url.IdnHost.Trim('[', ']');
        var loopback = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
                       || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        if (!loopback)
        {
            throw new ArgumentException($"Refusing to load-test {url}: only loopback addresses (127.0.0.0/8, ::1, localhost) are allowed.");
        }
    }

    public async Task<(Outcome Outcome, T? Body)> SendAsync<T>(
        HttpMethod method, string path, string? token, byte[]? body, string? idempotencyKey, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>? read)
        where T : class
    {
        if (_raw is not null)
        {
            return await SendRawAsync(_raw, method, path, token, body, idempotencyKey, read).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body) { Headers = { ContentType = Json } };
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            T? value = null;
            if (response.IsSuccessStatusCode && read is not null)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                value = JsonSerializer.Deserialize(bytes, read);
            }

            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var flags) && flags.Contains("true");
            return (new Outcome(status, Micros(started), replayed ? Replayed : null), value);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or IOException)
        {
            return (new Outcome(0, Micros(started), ex.GetType().Name), null);
        }
    }

    private static async Task<(Outcome Outcome, T? Body)> SendRawAsync<T>(
        RawHttpClient raw, HttpMethod method, string path, string? token, byte[]? body, string? idempotencyKey,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>? read)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (status, replayed, value) = await raw.SendAsync<T>(
                method.Method, path, token, idempotencyKey, body, read is null ? null : json => JsonSerializer.Deserialize(json.Span, read)).ConfigureAwait(false);
            return (new Outcome(status, Micros(started), replayed ? Replayed : null), value);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or JsonException or ObjectDisposedException)
        {
            return (new Outcome(0, Micros(started), ex.GetType().Name), null);
        }
    }

    public static string Bearer(string accessToken) => "Bearer " + accessToken;

    public static byte[] Utf8<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.SerializeToUtf8Bytes(value, info);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static long Micros(long startedTimestamp) =>
        (long)(Stopwatch.GetElapsedTime(startedTimestamp).Ticks / 10.0);

    public void Dispose()
    {
        _http.Dispose();
        _raw?.Dispose();
    }
}
