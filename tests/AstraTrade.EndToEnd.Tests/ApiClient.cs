using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.EndToEnd.Tests;

/// <summary>A thin client for the mobile API, as an app would use it.</summary>
public sealed class ApiClient(Uri baseAddress) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http = new() { BaseAddress = new Uri(baseAddress, "api/v1/"), Timeout = TimeSpan.FromSeconds(30) };

    public string? AccessToken
    {
        set => _http.DefaultRequestHeaders.Authorization = value is null ? null : new AuthenticationHeaderValue("Bearer", value);
    }

    public async Task<(HttpStatusCode Status, T? Body, string Raw)> SendAsync<T>(HttpMethod method, string path, object? body = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await _http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var parsed = response.IsSuccessStatusCode && raw.Length > 0 ? JsonSerializer.Deserialize<T>(raw, Json) : default;
        return (response.StatusCode, parsed, raw);
    }

    public async Task<T> GetAsync<T>(string path)
    {
        var (status, body, raw) = await SendAsync<T>(HttpMethod.Get, path);
        Assert.True(status == HttpStatusCode.OK, $"GET {path}: {(int)status} {raw}");
        return body!;
    }

    public async Task<T> PostAsync<T>(string path, object? body = null, string? idempotencyKey = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, parsed, raw) = await SendAsync<T>(HttpMethod.Post, path, body, idempotencyKey);
        Assert.True(status == expected, $"POST {path}: expected {(int)expected}, got {(int)status} {raw}");
        return parsed!;
    }

    public void Dispose() => _http.Dispose();
}
