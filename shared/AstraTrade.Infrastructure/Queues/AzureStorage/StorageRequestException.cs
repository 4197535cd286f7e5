using System.Net;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// A storage request failed: the service refused it (<see cref="Status"/> and the service's <see cref="ErrorCode"/>,
/// e.g. 403 AuthenticationFailed), or it kept failing transiently until the retries ran out (then the last status, or
/// none for a transport failure, with the cause as the inner exception).
/// </summary>
public sealed class StorageRequestException : Exception
{
    public StorageRequestException(
        string operation, HttpStatusCode? status, string? errorCode, string message, Exception? inner = null, bool isTransient = false)
        : base(message, inner)
    {
        Operation = operation;
        Status = status;
        ErrorCode = errorCode;
        IsTransient = isTransient;
    }

    /// <summary>What was attempted, e.g. "Put Message on workflow-work".</summary>
    public string Operation { get; }

    public HttpStatusCode? Status { get; }

    /// <summary>The service's error code (x-ms-error-code), e.g. MessageNotFound, PopReceiptMismatch, QueueNotFound.</summary>
    public string? ErrorCode { get; }

    /// <summary>The failure was of the kind that passes (5xx, 408, 429, transport, timeout) and the retries ran out;
    /// trying again later may succeed.</summary>
    public bool IsTransient { get; }
}
