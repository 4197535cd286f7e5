using System.Net.Security;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>Builds the <see cref="CosmosClient"/> for <see cref="CosmosStoreOptions"/>.</summary>
internal static class CosmosClientFactory
{
    public static CosmosClient Create(CosmosStoreOptions options)
    {
        var local = options.IsLocalEndpoint;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (local)
        {
            // The emulator and cosmosdb-server serve HTTPS with a self-signed certificate. It is accepted only here,
            // for an endpoint on this machine; LimitToEndpoint below keeps the client from following the account's
            // advertised regions anywhere else.
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
        }

        var outer = options.WrapHttpHandler?.Invoke(handler) ?? handler;
        var clientOptions = new CosmosClientOptions
        {
            ApplicationName = "astratrade",
            ConnectionMode = (options.GatewayMode ?? local) ? ConnectionMode.Gateway : ConnectionMode.Direct,
            LimitToEndpoint = local,
            MaxRetryAttemptsOnRateLimitedRequests = options.MaxRateLimitRetries,
            MaxRetryWaitTimeOnRateLimitedRequests = options.MaxRateLimitWait,

            // Writes answer with the ETag header only; the store never needs the item echoed back.
            EnableContentResponseOnWrite = false,
            HttpClientFactory = () => new HttpClient(outer, disposeHandler: false),
        };

        if (options.ConnectionString is { Length: > 0 } connectionString)
        {
            var parsed = CosmosConnectionString.Parse(connectionString, CosmosStoreOptions.SectionName);
            return new CosmosClient(parsed.AccountEndpoint.ToString(), parsed.AccountKey, clientOptions);
        }

        var identity = options.ManagedIdentityClientId is { Length: > 0 } clientId
            ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : ManagedIdentityId.SystemAssigned;
        return new CosmosClient(options.AccountEndpoint!.ToString(), new ManagedIdentityCredential(identity), clientOptions);
    }
}
