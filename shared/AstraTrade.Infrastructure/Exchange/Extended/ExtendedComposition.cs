using AstraTrade.Application.Ports;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Builds the Extended adapter from configuration, for the app's composition root. Live trading exists only where
/// <c>Extended:BaseUrl</c> is set (otherwise <see cref="Create"/> gives null and live routes answer 501). Credentials go
/// to Key Vault when <c>KeyVault:Uri</c> is set (with the managed identity <c>KeyVault:ClientId</c> names, or the
/// default credential chain, which picks AZURE_CLIENT_ID up), and to process memory otherwise.
/// </summary>
public static class ExtendedComposition
{
    private static readonly TimeSpan KeyVaultTimeout = TimeSpan.FromSeconds(30);

    /// <param name="handler">The HTTP handler under both Extended's and Key Vault's client (tests); the caller keeps
    /// ownership. Null: a pooled handler of their own that recycles connections (DNS changes are seen).</param>
    /// <param name="keyVaultCredential">The token source for Key Vault (tests); null: from configuration as above.</param>
    /// <exception cref="InvalidOperationException">A setting is malformed (the message names it, never a secret).</exception>
    public static ExtendedExchange? Create(
        IConfiguration configuration, TimeProvider time, ILoggerFactory loggerFactory, HttpMessageHandler? handler = null, TokenCredential? keyVaultCredential = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (string.IsNullOrWhiteSpace(configuration[$"{ExtendedOptions.Section}:BaseUrl"]))
        {
            return null;
        }

        var options = ExtendedOptions.FromConfiguration(configuration);
        var http = NewHttpClient(handler, options.RequestTimeout);
        var client = new ExtendedClient(http, options, new ExtendedRateLimiter(options.RequestsPerMinute, options.Burst, time), time);
        var credentials = CreateCredentialVault(configuration, options, time, loggerFactory, handler, keyVaultCredential);
        return new ExtendedExchange(client, credentials, options, time, loggerFactory.CreateLogger<ExtendedExchange>());
    }

    /// <summary>Key Vault (behind a short in-memory cache) when <c>KeyVault:Uri</c> is set; process memory otherwise.</summary>
    public static IExchangeCredentialVault CreateCredentialVault(
        IConfiguration configuration, ExtendedOptions options, TimeProvider time, ILoggerFactory loggerFactory, HttpMessageHandler? handler = null,
        TokenCredential? keyVaultCredential = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (configuration["KeyVault:Uri"] is not { Length: > 0 } uriText || string.IsNullOrWhiteSpace(uriText))
        {
            loggerFactory.CreateLogger(typeof(ExtendedComposition).FullName!).LogWarning(
                "KeyVault:Uri is not set: linked Extended accounts' credentials are kept in memory and lost on restart (users must link again)");
            return new InMemoryExchangeCredentialVault();
        }

        var text = uriText.Trim();
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var vaultUri))
        {
            throw new InvalidOperationException("KeyVault:Uri is not an absolute URL (https://{vault}.vault.azure.net/).");
        }

        var credential = keyVaultCredential ?? (configuration["KeyVault:ClientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId.Trim()))
            : new DefaultAzureCredential());
        var keyVault = new KeyVaultExchangeCredentialVault(
            NewHttpClient(handler, KeyVaultTimeout), vaultUri, credential, time, loggerFactory.CreateLogger<KeyVaultExchangeCredentialVault>());
        return new CachingExchangeCredentialVault(keyVault, time, options.CredentialCacheLifetime);
    }

    private static HttpClient NewHttpClient(HttpMessageHandler? handler, TimeSpan timeout)
    {
        var http = handler is null
            ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true)
            : new HttpClient(handler, disposeHandler: false);
        http.Timeout = timeout > TimeSpan.Zero ? timeout : Timeout.InfiniteTimeSpan;
        return http;
    }
}
