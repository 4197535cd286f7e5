using System.Net;
using System.Text;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage.Cosmos;

/// <summary>
/// Sits between the Cosmos DB SDK and the server and answers matching requests with a fault, a given number of times:
/// 429 with x-ms-retry-after-ms (throttling: the request is not executed), or, with <paramref name="forwardFirst"/>,
/// passes the request on and then replaces the server's answer with the fault (an answer lost after the write happened).
/// The store's options install it (<c>WrapHttpHandler</c>) around the SDK's own handler.
/// </summary>
internal sealed class FaultingHandler(Func<HttpRequestMessage, bool> matches, int faults, HttpStatusCode fault, bool forwardFirst = false)
    : DelegatingHandler
{
    private int _remaining = faults;
    private int _served;

    public int Served => Volatile.Read(ref _served);

    /// <summary>A create, replace or upsert of an item in <paramref name="container"/> (not a query, not a read).</summary>
    public static Func<HttpRequestMessage, bool> WritesTo(string container) => request =>
        (request.Method == HttpMethod.Post || request.Method == HttpMethod.Put)
        && request.RequestUri!.AbsolutePath.Contains($"/colls/{container}/docs", StringComparison.Ordinal)
        && !request.Headers.Contains("x-ms-documentdb-isquery");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!matches(request) || Interlocked.Decrement(ref _remaining) < 0)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        Interlocked.Increment(ref _served);
        if (forwardFirst)
        {
            using var lost = await base.SendAsync(request, cancellationToken);
        }

        var response = new HttpResponseMessage(fault)
        {
            RequestMessage = request,
            Content = new StringContent($$"""{"code":"{{fault}}","message":"injected by the test"}""", Encoding.UTF8, "application/json"),
        };
        response.Headers.Add("x-ms-activity-id", Guid.NewGuid().ToString());
        response.Headers.Add("x-ms-request-charge", "0");
        if (fault == HttpStatusCode.TooManyRequests)
        {
            response.Headers.Add("x-ms-retry-after-ms", "5");
            response.Headers.Add("x-ms-substatus", "3200");
        }

        return response;
    }
}
