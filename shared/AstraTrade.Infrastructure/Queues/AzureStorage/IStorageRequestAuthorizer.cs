namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// Adds the Authorization header to a storage request that is otherwise complete (its x-ms-date and x-ms-version
/// headers set, its content attached). Called once per attempt: a retried request is a new request, signed anew.
/// </summary>
public interface IStorageRequestAuthorizer
{
    ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken);
}
