using System.Diagnostics;
using System.Net;
using System.Text;

namespace AstraTrade.LoadTest.Standings;

/// <summary>One server-sent event as it arrived: its name, data (UTF-8, the data lines joined with \n), id, and the
/// Stopwatch timestamp of the read that completed it.</summary>
internal readonly record struct SseEvent(string Event, ReadOnlyMemory<byte> Data, string? Id, long ReceivedAt);

/// <summary>
/// Reads a text/event-stream response over its own connection and hands each event to a callback as soon as the read
/// that completed it returns: the timestamp is taken right after that read, before any parsing. Lines end in \n or
/// \r\n; fields are event, data and id (retry and comments are ignored), as the SSE format defines them.
/// </summary>
internal sealed class SseReader : IDisposable
{
    private readonly HttpClient _http;

    public SseReader(Uri baseUrl)
    {
        Api.EnsureLoopback(baseUrl);
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        _http = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
    }

    public long Bytes { get; private set; }

    /// <summary>Opens the stream and reads it until <paramref name="cancellationToken"/> is cancelled or the server ends
    /// it. <paramref name="opened"/> completes once the response headers are in (with the status code).</summary>
    public async Task ReadAsync(
        string path, string authorization, Action<SseEvent> onEvent, TaskCompletionSource<int> opened, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("Accept", "text/event-stream");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        opened.TrySetResult((int)response.StatusCode);
        if (!response.IsSuccessStatusCode)
        {
            return;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[1 << 16];
        var filled = 0;
        var name = "message";
        string? id = null;
        var data = new MemoryStream();
        var hasData = false;
        while (true)
        {
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read;
            try
            {
                read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            var at = Stopwatch.GetTimestamp();
            if (read == 0)
            {
                return;
            }

            Bytes += read;
            filled += read;
            var start = 0;
            int newline;
            while ((newline = buffer.AsSpan(start, filled - start).IndexOf((byte)'\n')) >= 0)
            {
                var line = buffer.AsSpan(start, newline);
                start += newline + 1;
                if (line.Length > 0 && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                if (line.IsEmpty)
                {
                    // Dispatch: an event without data is ignored, as the format says.
                    if (hasData)
                    {
                        onEvent(new SseEvent(name, data.ToArray(), id, at));
                    }

                    name = "message";
                    id = null;
                    data.SetLength(0);
                    hasData = false;
                    continue;
                }

                if (line[0] == (byte)':')
                {
                    continue; // a comment
                }

                var colon = line.IndexOf((byte)':');
                var field = colon < 0 ? line : line[..colon];
                var value = colon < 0 ? [] : line[(colon + 1)..];
                if (!value.IsEmpty && value[0] == (byte)' ')
                {
                    value = value[1..];
                }

                if (field.SequenceEqual("event"u8))
                {
                    name = Encoding.UTF8.GetString(value);
                }
                else if (field.SequenceEqual("data"u8))
                {
                    if (hasData)
                    {
                        data.WriteByte((byte)'\n');
                    }

                    data.Write(value);
                    hasData = true;
                }
                else if (field.SequenceEqual("id"u8))
                {
                    id = Encoding.UTF8.GetString(value);
                }
            }

            // Keep the incomplete line for the next read.
            Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
            filled -= start;
        }
    }

    public void Dispose() => _http.Dispose();
}
