using System.Diagnostics;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Testing.Extended;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>Rate limiting and retries of the Extended client against the local fake.</summary>
public sealed class ExtendedClientTests : IAsyncLifetime
{
    private readonly FakeExtended _fake = new();
    private readonly HttpClient _http = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _fake.DisposeAsync();
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_and_retried()
    {
        var client = Client(requestsPerMinute: 6000, burst: 50);
        _fake.Throttle(count: 1, seconds: 1);
        var watch = Stopwatch.StartNew();

        Assert.NotNull(await client.GetMarketAsync("BTC-USD", default));

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.95), $"retried after {watch.Elapsed}");
        var requests = _fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(0.95));
    }

    [Fact]
    public async Task A_429_without_Retry_After_is_not_retried()
    {
        var client = Client(requestsPerMinute: 6000, burst: 50);
        _fake.Throttle(count: 1, seconds: 0);
        var error = await Assert.ThrowsAsync<ExtendedRateLimitedException>(() => client.GetMarketAsync("BTC-USD", default));
        Assert.Null(error.RetryAfter);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task Too_many_429s_give_up_as_rate_limited()
    {
        var client = Client(requestsPerMinute: 6000, burst: 50, maxRetries: 2);
        _fake.Throttle(count: 10, seconds: 1);
        await Assert.ThrowsAsync<ExtendedRateLimitedException>(() => client.GetMarketAsync("BTC-USD", default));
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task The_limiter_spaces_requests_beyond_the_burst()
    {
        // 600 a minute: one per 100 ms once the burst of 2 is spent.
        var client = Client(requestsPerMinute: 600, burst: 2);
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 7).Select(_ => client.GetMarketAsync("BTC-USD", default)));

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(480), $"7 requests took {watch.Elapsed}");
        var times = _fake.Requests.Select(r => r.At).Order().ToArray();
        Assert.Equal(7, times.Length);
        // Measured where they arrive: the first may wait for its connection, so allow one interval less.
        Assert.True(times[^1] - times[0] >= TimeSpan.FromMilliseconds(400), $"spread over {times[^1] - times[0]}");
    }

    [Fact]
    public async Task A_transport_error_is_retried()
    {
        var options = new ExtendedOptions { BaseUrl = _fake.BaseUrl, MaxRetries = 2 };
        using var http = new HttpClient(new FailOnceHandler());
        var client = new ExtendedClient(http, options, new ExtendedRateLimiter(6000, 50, TimeProvider.System), TimeProvider.System);
        Assert.NotNull(await client.GetMarketAsync("BTC-USD", default));
        Assert.Single(_fake.Requests);
    }

    private ExtendedClient Client(int requestsPerMinute, int burst, int maxRetries = 3)
    {
        var options = new ExtendedOptions { BaseUrl = _fake.BaseUrl, RequestsPerMinute = requestsPerMinute, Burst = burst, MaxRetries = maxRetries };
        return new ExtendedClient(_http, options, new ExtendedRateLimiter(requestsPerMinute, burst, TimeProvider.System), TimeProvider.System);
    }

    /// <summary>The first request fails before it leaves (a refused connection); the rest go through.</summary>
    private sealed class FailOnceHandler() : DelegatingHandler(new HttpClientHandler())
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new HttpRequestException("connection refused (injected)")
                : base.SendAsync(request, cancellationToken);
    }
}
