using System.Collections.Concurrent;
using System.Net;
using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.EventGrid;

/// <summary>
/// An HTTP listener on 127.0.0.1 posing as an Event Grid topic (Event Grid has no emulator, ARCHITECTURE.md §8): it
/// keeps every request exactly as the SDK sent it, and answers each with the status <see cref="Respond"/> picks
/// (200 by default, as Event Grid acknowledges a whole request).
/// </summary>
internal sealed class LocalTopic : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<TopicRequest> _requests = new();
    private int _count;

    public LocalTopic()
    {
        _server = new LoopbackServer(ServeAsync);
    }

    public int Port => _server.Port;

    /// <summary>The endpoint an Event Grid topic has: <c>https://{topic}.{region}-1.eventgrid.azure.net/api/events</c>.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}/api/events";

    /// <summary>The status for the n-th request (0-based).</summary>
    public Func<int, HttpStatusCode> Respond { get; set; } = _ => HttpStatusCode.OK;

    /// <summary>Called after the n-th request was answered (a test may kill the relay there).</summary>
    public Action<int, TopicRequest>? Answered { get; set; }

    public IReadOnlyList<TopicRequest> Requests => [.. _requests];

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private async Task ServeAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var request = new TopicRequest(
            context.Request.HttpMethod,
            context.Request.Url!.PathAndQuery,
            context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase),
            body.ToArray());
        var index = Interlocked.Increment(ref _count) - 1;
        var status = Respond(index);
        _requests.Enqueue(request with { Status = status });
        context.Response.StatusCode = (int)status;
        if (status != HttpStatusCode.OK)
        {
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync("""{"error":{"code":"Unavailable","message":"local topic refused it"}}"""u8.ToArray());
        }

        context.Response.Close();
        Answered?.Invoke(index, request with { Status = status });
    }
}

/// <summary>One request as it arrived.</summary>
internal sealed record TopicRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public HttpStatusCode Status { get; init; }
}
