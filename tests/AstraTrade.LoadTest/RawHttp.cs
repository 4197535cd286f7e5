using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AstraTrade.LoadTest;

/// <summary>
/// A minimal HTTP/1.1 client for the load test: one request at a time per keep-alive connection, requests written
/// from preformatted bytes in one send, responses parsed in place (Content-Length or chunked bodies). HttpClient costs
/// about 50 µs of CPU per request here, on the same two cores as the server it measures; this costs a fraction of that.
/// It speaks only what the app answers (no redirects, no compression, no TLS) and is checked against HttpClient by
/// running the same load with --client httpclient.
/// </summary>
internal sealed class RawHttpClient : IDisposable
{
    private readonly ConcurrentBag<RawConnection> _idle = [];
    private readonly ConcurrentDictionary<RawConnection, byte> _all = new();
    private readonly IPEndPoint _endpoint;
    private readonly byte[] _hostLine;
    private readonly TimeSpan _timeout;
    private readonly Timer _watchdog;

    public RawHttpClient(Uri baseUrl, TimeSpan timeout)
    {
        var host = baseUrl.IdnHost.Trim('[', ']');
        var address = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(host);
        _endpoint = new IPEndPoint(address, baseUrl.Port);
        _hostLine = Encoding.ASCII.GetBytes($"Host: {baseUrl.Authority}\r\n");
        _timeout = timeout;
        // A request that takes longer than the timeout has its connection closed, which fails the pending receive.
        _watchdog = new Timer(_ => Watch(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Sends one request and reads the body with <paramref name="read"/> (given only 2xx bodies) before the
    /// connection goes back to the pool: the body lives in the connection's buffer.</summary>
    public async Task<(int Status, bool Replayed, T? Value)> SendAsync<T>(
        string method, string path, string? authorization, string? idempotencyKey, byte[]? body, Func<ReadOnlyMemory<byte>, T?>? read)
        where T : class
    {
        if (!_idle.TryTake(out var connection))
        {
            connection = new RawConnection(_endpoint, _hostLine);
            _all[connection] = 0;
        }

        try
        {
            var response = await connection.SendAsync(method, path, authorization, idempotencyKey, body).ConfigureAwait(false);
            var value = response.Status is >= 200 and < 300 && read is not null ? read(response.Body) : null;
            if (response.KeepAlive)
            {
                _idle.Add(connection);
            }
            else
            {
                Drop(connection);
            }

            return (response.Status, response.Replayed, value);
        }
        catch
        {
            Drop(connection);
            throw;
        }
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        foreach (var c in _all.Keys)
        {
            c.Dispose();
        }
    }

    private void Drop(RawConnection connection)
    {
        _all.TryRemove(connection, out _);
        connection.Dispose();
    }

    private void Watch()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var c in _all.Keys)
        {
            if (c.StartedAt is var started and > 0 && Stopwatch.GetElapsedTime(started, now) > _timeout)
            {
                c.TimedOut = true;
                c.Dispose();
            }
        }
    }
}

/// <summary>Status, body (valid until the connection's next request) and whether the connection can be reused.</summary>
/// <param name="Replayed">The app answered "Idempotent-Replayed: true": the Idempotency-Key had been used before.</param>
internal readonly record struct RawResponse(int Status, ReadOnlyMemory<byte> Body, bool KeepAlive, bool Replayed);

internal sealed class RawConnection(IPEndPoint endpoint, byte[] hostLine) : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private Socket? _socket;
    private byte[] _send = new byte[4096];
    private byte[] _receive = new byte[16384];
    private byte[] _body = new byte[16384];
    private int _start;
    private int _end;

    /// <summary>Stopwatch timestamp of the request in flight, 0 when idle.</summary>
    public long StartedAt { get; private set; }

    public bool TimedOut { get; set; }

    public async Task<RawResponse> SendAsync(string method, string path, string? authorization, string? idempotencyKey, byte[]? body)
    {
        if (_socket is null)
        {
            var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint).ConfigureAwait(false);
            _socket = socket;
        }

        var length = WriteRequest(method, path, authorization, idempotencyKey, body);
        StartedAt = Stopwatch.GetTimestamp();
        try
        {
            var sent = 0;
            while (sent < length)
            {
                sent += await _socket.SendAsync(_send.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
            }

            return await ReadResponseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (TimedOut && ex is SocketException or ObjectDisposedException)
        {
            throw new TimeoutException("The request timed out.", ex);
        }
        finally
        {
            StartedAt = 0;
        }
    }

    public void Dispose() => _socket?.Dispose();

    private int WriteRequest(string method, string path, string? authorization, string? idempotencyKey, byte[]? body)
    {
        var needed = 256 + path.Length + (authorization?.Length ?? 0) + (idempotencyKey?.Length ?? 0) + (body?.Length ?? 0) + hostLine.Length;
        if (_send.Length < needed)
        {
            _send = new byte[needed * 2];
        }

        var span = _send.AsSpan();
        var n = 0;
        n += Encoding.ASCII.GetBytes(method, span[n..]);
        span[n++] = (byte)' ';
        span[n++] = (byte)'/';
        n += Encoding.ASCII.GetBytes(path, span[n..]);
        n += Copy(" HTTP/1.1\r\n"u8, span[n..]);
        n += Copy(hostLine, span[n..]);
        if (authorization is not null)
        {
            n += Copy("Authorization: "u8, span[n..]);
            n += Encoding.ASCII.GetBytes(authorization, span[n..]);
            n += Copy("\r\n"u8, span[n..]);
        }

        if (idempotencyKey is not null)
        {
            n += Copy("Idempotency-Key: "u8, span[n..]);
            n += Encoding.ASCII.GetBytes(idempotencyKey, span[n..]);
            n += Copy("\r\n"u8, span[n..]);
        }

        if (body is not null)
        {
            n += Copy("Content-Type: application/json\r\n"u8, span[n..]);
        }

        n += Copy("Content-Length: "u8, span[n..]);
        Utf8Formatter.TryFormat(body?.Length ?? 0, span[n..], out var digits);
        n += digits;
        n += Copy("\r\n\r\n"u8, span[n..]);
        if (body is not null)
        {
            n += Copy(body, span[n..]);
        }

        return n;
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }

    private async Task<RawResponse> ReadResponseAsync()
    {
        // Status line and headers.
        int headerEnd;
        while ((headerEnd = _receive.AsSpan(_start, _end - _start).IndexOf(HeaderEnd)) < 0)
        {
            await FillAsync().ConfigureAwait(false);
        }

        var head = _receive.AsSpan(_start, headerEnd);
        _start += headerEnd + HeaderEnd.Length;
        if (head.Length < 12 || !head.StartsWith("HTTP/1.1 "u8) || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out _))
        {
            throw new IOException("Malformed response status line.");
        }

        long contentLength = -1;
        var chunked = false;
        var keepAlive = true;
        var replayed = false;
        foreach (var range in head.Split("\r\n"u8))
        {
            var line = head[range];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                Utf8Parser.TryParse(value, out contentLength, out _);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                keepAlive = !Ascii.EqualsIgnoreCase(value, "close"u8);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Idempotent-Replayed"u8))
            {
                replayed = Ascii.EqualsIgnoreCase(value, "true"u8);
            }
        }

        var bodyLength = 0;
        if (chunked)
        {
            while (true)
            {
                int lineEnd;
                while ((lineEnd = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                {
                    await FillAsync().ConfigureAwait(false);
                }

                var sizeText = _receive.AsSpan(_start, lineEnd);
                var semicolon = sizeText.IndexOf((byte)';');
                if (semicolon >= 0)
                {
                    sizeText = sizeText[..semicolon];
                }

                if (!Utf8Parser.TryParse(sizeText, out int size, out _, 'X'))
                {
                    throw new IOException("Malformed chunk size.");
                }

                _start += lineEnd + 2;
                if (size == 0)
                {
                    // Trailers (none expected) end with an empty line.
                    int trailerEnd;
                    while ((trailerEnd = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
                    {
                        await FillAsync().ConfigureAwait(false);
                    }

                    _start += trailerEnd + 2;
                    if (trailerEnd == 0)
                    {
                        break;
                    }

                    continue;
                }

                await CopyBodyAsync(size, bodyLength).ConfigureAwait(false);
                bodyLength += size;
                while (_end - _start < 2)
                {
                    await FillAsync().ConfigureAwait(false);
                }

                _start += 2;
            }
        }
        else if (contentLength > 0)
        {
            await CopyBodyAsync((int)contentLength, 0).ConfigureAwait(false);
            bodyLength = (int)contentLength;
        }

        return new RawResponse(status, _body.AsMemory(0, bodyLength), keepAlive, replayed);
    }

    private async Task CopyBodyAsync(int count, int at)
    {
        if (_body.Length < at + count)
        {
            Array.Resize(ref _body, Math.Max(_body.Length * 2, at + count));
        }

        while (count > 0)
        {
            if (_end == _start)
            {
                await FillAsync().ConfigureAwait(false);
            }

            var take = Math.Min(count, _end - _start);
            _receive.AsSpan(_start, take).CopyTo(_body.AsSpan(at));
            _start += take;
            at += take;
            count -= take;
        }
    }

    private async Task FillAsync()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_receive, _start, _receive, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _receive.Length)
        {
            Array.Resize(ref _receive, _receive.Length * 2);
        }

        var read = await _socket!.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException("The server closed the connection.");
        }

        _end += read;
    }
}
