using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AstraTrade.Application.Ports;
using Azure.Core;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Stark keys as Azure Key Vault secrets, over Key Vault's REST API (Get Secret, Set Secret; api-version 7.4) with a
/// bearer token for the vault scope from a managed identity. The secret of a user is <c>stark-key-{userId:N}</c>. The key
/// travels only in the request or response body; errors name the secret and the status, never the value.
/// </summary>
/// <remarks>The Key Vault SDK restores, but it insists on https and a challenge handshake; the two calls needed here are
/// a few lines, and this way the adapter is tested against a local listener.</remarks>
public sealed class KeyVaultStarkKeyVault(HttpClient http, Uri vaultUri, TokenCredential credential) : IStarkKeyVault
{
    public const string Scope = "https://vault.azure.net/.default";
    private const string ApiVersion = "7.4";

    public static string SecretName(Guid userId) => $"stark-key-{userId:N}";

    public async ValueTask<StarkPrivateKey?> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        using var request = await RequestAsync(HttpMethod.Get, userId, cancellationToken);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Ensure(response, userId);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var value = body.RootElement.TryGetProperty("value", out var v) ? v.GetString() : null;
        try
        {
            return StarkPrivateKey.Parse(value ?? "");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The Key Vault secret {SecretName(userId)} does not hold a Stark private key.");
        }
    }

    public async ValueTask StoreAsync(Guid userId, StarkPrivateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var request = await RequestAsync(HttpMethod.Put, userId, cancellationToken);
        request.Content = JsonContent.Create(new { value = key.Reveal(), contentType = "stark-private-key" });
        using var response = await http.SendAsync(request, cancellationToken);
        Ensure(response, userId);
    }

    private async Task<HttpRequestMessage> RequestAsync(HttpMethod method, Guid userId, CancellationToken cancellationToken)
    {
        var uri = new Uri(vaultUri, $"secrets/{SecretName(userId)}?api-version={ApiVersion}");
        if (uri.Scheme != "https" && !uri.IsLoopback)
        {
            throw new InvalidOperationException("Key Vault is reached over https only (a loopback address is allowed for local tests).");
        }

        var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token.Token}");
        return request;
    }

    private static void Ensure(HttpResponseMessage response, Guid userId)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Key Vault answered {(int)response.StatusCode} for the secret {SecretName(userId)}.");
        }
    }
}
