using Azure.Core;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// Microsoft Entra ID authorization (a managed identity in Azure): <c>Authorization: Bearer {token}</c> with a token for
/// the storage scope. The token is cached until shortly before it expires (or until the credential says to refresh),
/// so a busy queue does not ask the identity endpoint on every request. The identity needs a data role on the queue,
/// e.g. "Storage Queue Data Contributor". Bearer tokens are sent over https only.
/// </summary>
public sealed class BearerTokenAuthorizer : IStorageRequestAuthorizer
{
    public const string StorageScope = "https://storage.azure.com/.default";

    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly TokenCredential _credential;
    // Never disposed: the authorizer may serve several queues, and a SemaphoreSlim whose wait handle is never asked for
    // holds nothing to release.
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private AccessToken? _token;

    public BearerTokenAuthorizer(TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credential = credential;
    }

    public async ValueTask AuthorizeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is not { Scheme: "https" })
        {
            throw new InvalidOperationException("A bearer token is only sent over https; the queue endpoint is not https.");
        }

        var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
    }

    private async ValueTask<string> TokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && IsFresh(cached))
        {
            return cached.Token;
        }

        await _refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } current && IsFresh(current))
            {
                return current.Token; // another request refreshed it meanwhile
            }

            var token = await _credential.GetTokenAsync(new TokenRequestContext([StorageScope]), cancellationToken).ConfigureAwait(false);
            _token = token;
            return token.Token;
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private static bool IsFresh(AccessToken token)
    {
        var now = DateTimeOffset.UtcNow;
        return token.ExpiresOn - RefreshMargin > now && (token.RefreshOn is not { } refreshOn || refreshOn > now);
    }
}
