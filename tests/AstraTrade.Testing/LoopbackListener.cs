using System.Net;
using System.Net.Sockets;

namespace AstraTrade.Testing;

/// <summary>The local HTTP servers the fakes of remote services run on: an <see cref="HttpListener"/> on 127.0.0.1.</summary>
public static class LoopbackListener
{
    /// <summary>Starts a listener on a free loopback port. The OS picks the port for a socket closed at once; another
    /// process could take it in between, which on a test machine does not happen in practice (Start then fails loudly).</summary>
    public static (HttpListener Listener, int Port) Start()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        return (listener, port);
    }
}
