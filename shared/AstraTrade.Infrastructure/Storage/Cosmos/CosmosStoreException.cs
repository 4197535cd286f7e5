using System.Net;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// Cosmos DB answered an operation of the store with an error the store cannot turn into a port outcome: throttling or
/// unavailability that outlasted every retry (<see cref="IsTransient"/>: the caller may try again later, HTTP 503), or
/// an unexpected status such as a missing container or a rejected key.
/// </summary>
public sealed class CosmosStoreException(string operation, HttpStatusCode statusCode, int subStatusCode, string detail, Exception? inner = null)
    : Exception($"Cosmos DB {operation} failed with {(int)statusCode} {statusCode}{(subStatusCode == 0 ? "" : $" (substatus {subStatusCode})")}: {detail}", inner)
{
    public string Operation { get; } = operation;

    public HttpStatusCode StatusCode { get; } = statusCode;

    public int SubStatusCode { get; } = subStatusCode;

    /// <summary>Throttled (429), unavailable (503) or timed out (408): nothing is wrong with the request itself.</summary>
    public bool IsTransient => CosmosRequests.IsTransient(StatusCode);
}
