using System.Net;
using System.Net.Sockets;

namespace AstraTrade.Testing;

/// <summary>
/// The local HTTP server the fakes of remote services run on (Extended, Key Vault, an Event Grid topic, an OTLP
/// receiver): an <see cref="HttpListener"/> on 127.0.0.1 that hands each request to one handler, one at a time, in
/// arrival order. A handler that throws answers 500, so a client never waits on a request nobody will answer.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable, IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _loop;

    /// <summary>Starts on a free loopback port. The OS picks the port for a socket closed at once; another process
    /// could take it in between, which on a test machine does not happen in practice (Start then fails loudly).</summary>
    public LoopbackServer(Func<HttpListenerContext, Task> handle)
    {
        _handle = handle;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>Stops listening and waits for the request being handled, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }

    /// <summary>Stops listening without waiting for the request being handled.</summary>
    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }

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
                await _handle(context);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                try
                {
                    context.Response.StatusCode = 500;
                    context.Response.Close();
                }
                catch (Exception closing) when (closing is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    // The client went away, or the server is stopping: nobody is left to answer.
                }
            }
        }
    }
}
