using System.Net;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Extended answered with an error: the HTTP status, Extended's error code and message. Never carries the API key or
/// anything signed with the Stark key (messages come from Extended's error body and the request path only).
/// </summary>
public class ExtendedApiException(HttpStatusCode status, string code, string message)
    : Exception($"Extended answered {(int)status}: {code} {message}".TrimEnd())
{
    public HttpStatusCode Status { get; } = status;

    public string Code { get; } = code;

    public string ExtendedMessage { get; } = message;
}

/// <summary>401: the API key is wrong, revoked or missing.</summary>
public sealed class ExtendedUnauthorizedException(string message)
    : ExtendedApiException(HttpStatusCode.Unauthorized, "unauthorized", message);

/// <summary>429 after the retries (or without a Retry-After to wait for, or one too long to wait).</summary>
public sealed class ExtendedRateLimitedException(TimeSpan? retryAfter)
    : ExtendedApiException(HttpStatusCode.TooManyRequests, "rate-limited", retryAfter is { } r ? $"retry after {r.TotalSeconds:0.###} s" : "no Retry-After")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
