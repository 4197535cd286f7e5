using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// Sends Storage REST requests: dates and version headers, authorization, a timeout per attempt, and retries with
/// exponential backoff for what may succeed later (5xx, 408, 429, transport errors, timeouts). Anything else the
/// service refuses becomes a <see cref="StorageRequestException"/> with its status and error code.
/// </summary>
/// <remarks>
/// A retry after a transport error cannot know whether the first attempt took effect. For the queue this is safe or
/// visible: a Put Message may be stored twice (delivery is at least once anyway), and a Delete or Update Message
/// whose first attempt did succeed finds its pop receipt spent and reports the message as gone.
/// </remarks>
internal sealed class StorageRestClient : IDisposable
{
    /// <summary>A current service version that Azure Storage and Azurite 3.37 both accept (Azurite checks it).</summary>
    public const string ApiVersion = "2025-11-05";

    private static readonly MediaTypeHeaderValue XmlContentType = MediaTypeHeaderValue.Parse("application/xml; charset=utf-8");
    private readonly HttpClient _http;
    private readonly QueueServiceEndpoint _service;
    private readonly AzureStorageQueueOptions _options;
    private readonly ILogger _logger;
    private readonly string _base;

    public StorageRestClient(QueueServiceEndpoint service, AzureStorageQueueOptions options, ILogger logger, HttpMessageHandler? handler)
    {
        _service = service;
        _options = options;
        _logger = logger;
        _base = service.ServiceUri.GetLeftPart(UriPartial.Path).TrimEnd('/');

        // Connections are recycled so that DNS changes (a failover, a moved private endpoint) are seen.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan, // each attempt has its own (RequestTimeout)
        };
    }

    /// <summary><c>{service}/{path}?{query}</c>, path segments and query values escaped.</summary>
    public Uri Address(string path, params ReadOnlySpan<(string Name, string Value)> query)
    {
        var address = $"{_base}/{path}";
        for (var i = 0; i < query.Length; i++)
        {
            address += $"{(i == 0 ? '?' : '&')}{query[i].Name}={Uri.EscapeDataString(query[i].Value)}";
        }

        return new Uri(address);
    }

    /// <summary>Sends until the service answers with success, then returns that answer (the caller disposes it).</summary>
    /// <exception cref="StorageRequestException">The service refused the request, or the retries ran out.</exception>
    public async Task<HttpResponseMessage> SendAsync(string operation, HttpMethod method, Uri address, byte[]? body, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, address);
            request.Headers.TryAddWithoutValidation("x-ms-date", DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = XmlContentType;
            }

            await _service.Authorizer.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);

            HttpResponseMessage? response = null;
            Exception? failure = null;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(_options.RequestTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException e)
                {
                    failure = e;
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new TimeoutException($"No answer within {_options.RequestTimeout.TotalSeconds:0.#} s.", e);
                }
            }

            if (response is { IsSuccessStatusCode: true })
            {
                return response;
            }

            if (response is not null && !IsTransient(response.StatusCode))
            {
                using (response)
                {
                    throw await RefusedAsync(operation, response, cancellationToken).ConfigureAwait(false);
                }
            }

            if (attempt >= _options.MaxRetries)
            {
                using (response)
                {
                    throw response is null
                        ? new StorageRequestException(operation, null, null,
                            $"{operation} failed after {attempt + 1} attempts: {failure!.Message}", failure, isTransient: true)
                        : await RefusedAsync(operation, response, cancellationToken, attempt + 1).ConfigureAwait(false);
                }
            }

            var delay = Backoff(attempt);
            _logger.LogWarning(failure, "{Operation} failed transiently ({Status}); retry {Retry} of {MaxRetries} in {Delay} ms",
                operation, response is null ? "no answer" : (int)response.StatusCode, attempt + 1, _options.MaxRetries, (int)delay.TotalMilliseconds);
            response?.Dispose();
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _http.Dispose();

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private TimeSpan Backoff(int attempt)
    {
        var ticks = _options.RetryDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(ticks, _options.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)(capped * (0.8 + (0.4 * Random.Shared.NextDouble()))));
    }

    /// <param name="attempts">How many attempts were made, when the failure is transient and the retries ran out.</param>
    private static async Task<StorageRequestException> RefusedAsync(
        string operation, HttpResponseMessage response, CancellationToken cancellationToken, int? attempts = null)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var (code, message, detail) = QueueXml.ParseError(body);
        if (response.Headers.TryGetValues("x-ms-error-code", out var codes))
        {
            code = codes.FirstOrDefault() ?? code;
        }

        // The service's message ends with "RequestId:…\nTime:…" lines: keep the first, which says what is wrong.
        var reason = (message?.Split('\n')[0].Trim() is { Length: > 0 } first ? first : response.ReasonPhrase)?.TrimEnd('.');
        // The detail of a refused signature shows the string the service signed, which tells what differed; no secret.
        var hint = response.StatusCode == HttpStatusCode.Forbidden
            ? $"{(detail is { Length: > 0 } ? $" ({detail.Trim()})" : string.Empty)} The service refused the credentials: check the " +
              "account key in the connection string, or that the identity has a data role on the queue (e.g. Storage Queue Data " +
              "Contributor), and that this machine's clock is right."
            : string.Empty;
        var note = attempts is { } n ? $" after {n} attempts" : string.Empty;
        return new StorageRequestException(operation, response.StatusCode, code,
            $"{operation} failed{note}: {(int)response.StatusCode} {code ?? response.ReasonPhrase}: {reason}.{hint}", isTransient: attempts is not null);
    }
}
