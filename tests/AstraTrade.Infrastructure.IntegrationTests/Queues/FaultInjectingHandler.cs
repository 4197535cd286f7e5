using System.Net;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>What <see cref="FaultInjectingHandler"/> does instead of sending a request.</summary>
internal abstract record Fault
{
    /// <summary>Answer with this status and a storage error body, as the service would when busy or failing.</summary>
    public sealed record Answer(HttpStatusCode Status, string Code = "ServerBusy") : Fault;

    /// <summary>Fail as a dropped connection does.</summary>
    public sealed record Drop : Fault;

    /// <summary>Never answer (until the request is cancelled).</summary>
    public sealed record Hang : Fault;
}

/// <summary>Sends requests on to the real service unless the rule, given the request and the 1-based number of the
/// requests it has seen, says to fail it; counts the requests.</summary>
internal sealed class FaultInjectingHandler(Func<HttpRequestMessage, int, Fault?> rule) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        switch (rule(request, Interlocked.Increment(ref _calls)))
        {
            case Fault.Answer answer:
                return new HttpResponseMessage(answer.Status)
                {
                    RequestMessage = request,
                    Content = new StringContent($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{answer.Code}</Code>" +
                        "<Message>Injected by the test.\nRequestId:0\nTime:now</Message></Error>"),
                };
            case Fault.Drop:
                throw new HttpRequestException("The connection was reset (injected by the test).");
            case Fault.Hang:
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            default:
                return await base.SendAsync(request, cancellationToken);
        }
    }
}
