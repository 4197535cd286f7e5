using Azure.Core;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>Where the queue service is and how requests to it are authorized (Shared Key or a bearer token).</summary>
public sealed class QueueServiceEndpoint
{
    private QueueServiceEndpoint(Uri serviceUri, IStorageRequestAuthorizer authorizer)
    {
        if (!serviceUri.IsAbsoluteUri || serviceUri.Scheme is not ("http" or "https") || serviceUri.Query.Length > 0)
        {
            throw new ArgumentException("The queue service address must be an absolute http(s) address without a query.", nameof(serviceUri));
        }

        ServiceUri = serviceUri;
        Authorizer = authorizer;
    }

    /// <summary>The service's base address; queues are at <c>{ServiceUri}/{queue}</c>.</summary>
    public Uri ServiceUri { get; }

    public IStorageRequestAuthorizer Authorizer { get; }

    /// <exception cref="FormatException">Not a usable storage connection string (see <see cref="StorageConnectionString"/>).</exception>
    public static QueueServiceEndpoint FromConnectionString(string connectionString)
    {
        var parsed = StorageConnectionString.Parse(connectionString);
        return new QueueServiceEndpoint(parsed.QueueEndpoint, parsed.Credential);
    }

    public static QueueServiceEndpoint WithSharedKey(Uri serviceUri, SharedKeyCredential credential)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        ArgumentNullException.ThrowIfNull(credential);
        return new QueueServiceEndpoint(serviceUri, credential);
    }

    /// <summary>Identity-based access (a managed identity in Azure): bearer tokens for the storage scope, over https.</summary>
    public static QueueServiceEndpoint WithTokenCredential(Uri serviceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(serviceUri);
        ArgumentNullException.ThrowIfNull(credential);
        if (serviceUri.Scheme != "https")
        {
            throw new ArgumentException("Identity-based access needs an https queue service address.", nameof(serviceUri));
        }

        return new QueueServiceEndpoint(serviceUri, new BearerTokenAuthorizer(credential));
    }

    public override string ToString() => ServiceUri.ToString();
}
