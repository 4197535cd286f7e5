using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// The Functions host's storage connection, <c>AzureWebJobsStorage</c>, read the way the host reads it, so that one
/// setting serves the host's queueTrigger and this process's queue client:
/// <list type="bullet">
/// <item>a connection string in <c>AzureWebJobsStorage</c> (<see cref="StorageConnectionString"/>: account key, or
/// <c>UseDevelopmentStorage=true</c> for Azurite);</item>
/// <item>or identity-based settings (environment <c>AzureWebJobsStorage__queueServiceUri</c>, configuration key
/// <c>AzureWebJobsStorage:queueServiceUri</c>; or <c>…:accountName</c> for <c>https://{account}.queue.core.windows.net</c>),
/// authorized by a managed identity: user-assigned with <c>…:clientId</c> (or <c>…:managedIdentityResourceId</c>),
/// system-assigned with <c>…:credential</c> = <c>managedidentity</c>, and otherwise Azure.Identity's default chain.</item>
/// </list>
/// </summary>
public static class AzureWebJobsStorage
{
    public const string Name = "AzureWebJobsStorage";

    /// <summary>An <see cref="AzureStorageQueue"/> named <paramref name="queueName"/> on the configured storage, or null
    /// when no storage is configured (the caller then uses its in-process queue).</summary>
    /// <param name="setting">Reads a configuration key (":"-separated), e.g. <c>key => configuration[key]</c>.</param>
    /// <exception cref="FormatException">A storage setting is present but unusable; the message names it.</exception>
    public static AzureStorageQueue? TryCreateQueue(
        Func<string, string?> setting, string queueName, AzureStorageQueueOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return TryGetQueueService(setting) is { } service ? new AzureStorageQueue(service, queueName, options, loggerFactory) : null;
    }

    /// <summary>The queue service the settings describe, or null when there are none.</summary>
    /// <exception cref="FormatException">A storage setting is present but unusable; the message names it.</exception>
    public static QueueServiceEndpoint? TryGetQueueService(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        if (Setting(setting, Name) is { } connectionString)
        {
            if (!StorageConnectionString.TryParse(connectionString, out var parsed, out var error))
            {
                throw new FormatException($"{Name}: {error}");
            }

            return QueueServiceEndpoint.WithSharedKey(parsed.QueueEndpoint, parsed.Credential);
        }

        Uri serviceUri;
        if (Setting(setting, $"{Name}:queueServiceUri") is { } uri)
        {
            if (!Uri.TryCreate(uri, UriKind.Absolute, out serviceUri!) || serviceUri.Scheme != "https" || serviceUri.Query.Length > 0)
            {
                throw new FormatException($"{Name}:queueServiceUri must be an https address without a query, e.g. https://account.queue.core.windows.net.");
            }
        }
        else if (Setting(setting, $"{Name}:accountName") is { } account)
        {
            if (!Uri.TryCreate($"https://{account}.queue.core.windows.net", UriKind.Absolute, out serviceUri!)
                || !account.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9')))
            {
                throw new FormatException($"{Name}:accountName is not a storage account name (lowercase letters and digits).");
            }
        }
        else
        {
            return null;
        }

        return QueueServiceEndpoint.WithTokenCredential(serviceUri, CreateCredential(setting));
    }

    /// <summary>The managed identity (or default chain) that identity-based settings ask for.</summary>
    /// <exception cref="FormatException"><c>credential</c> names something other than <c>managedidentity</c>.</exception>
    public static TokenCredential CreateCredential(Func<string, string?> setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var credential = Setting(setting, $"{Name}:credential");
        if (credential is not null && !credential.Equals("managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"{Name}:credential must be 'managedidentity' when set (or left out for the default credential chain).");
        }

        if (Setting(setting, $"{Name}:clientId") is { } clientId)
        {
            return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        }

        if (Setting(setting, $"{Name}:managedIdentityResourceId") is { } resourceId)
        {
            return new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(resourceId)));
        }

        return credential is not null ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned) : new DefaultAzureCredential();
    }

    private static string? Setting(Func<string, string?> setting, string key) =>
        setting(key) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
