using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AstraTrade.Application.Ports;
using Azure.Core;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Exchange credentials as Azure Key Vault secrets, over Key Vault's REST API (api-version 7.4) with a bearer token for
/// the vault scope from a managed identity. Each user has one secret, <c>exchange-credentials-{userId:N}</c>, whose
/// value is the JSON of the API key, the Stark key and the vault, so a relink replaces all three in one write. Values
/// travel only in request and response bodies; errors name the secret and the status, never the value.
/// </summary>
/// <remarks>
/// <para>Vaults soft-delete: a deleted secret's name stays taken (Set answers 409) until it is purged or recovered.
/// Unlink therefore deletes and then purges. A set that meets a deleted name purges it and sets again; where purging
/// is refused (403: the vault has purge protection, as production has, or the identity may not purge) it recovers the
/// deleted secret and overwrites it with a new version. Delete, purge and recovery finish in the background, so the
/// name answers 409 for a moment after each; the adapter waits and retries.</para>
/// <para>The app's identity needs the data actions set, get, delete, purge and recover on secrets: the built-in role
/// "Key Vault Secrets Officer" (b86a8fe4-44ce-4948-aee5-eccb2c155cd7) has them ("Key Vault Secrets User" only reads).</para>
/// <para>The Key Vault SDK restores, but it insists on https and a challenge handshake; these few calls are short,
/// and this way the adapter is tested against a local listener.</para>
/// </remarks>
public sealed class KeyVaultExchangeCredentialVault(
    HttpClient http, Uri vaultUri, TokenCredential credential, TimeProvider time, ILogger<KeyVaultExchangeCredentialVault> logger) : IExchangeCredentialVault
{
    public const string Scope = "https://vault.azure.net/.default";
    private const string ApiVersion = "7.4";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>How long to wait between tries while Key Vault finishes a delete, purge or recovery.</summary>
    public TimeSpan SettleDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a write is tried while the name is still settling (409).</summary>
    public int SettleAttempts { get; init; } = 15;

    public static string SecretName(Guid userId) => $"exchange-credentials-{userId:N}";

    public async ValueTask<ExchangeCredentials?> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        var name = SecretName(userId);
        using var response = await SendAsync(HttpMethod.Get, $"secrets/{name}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Ensure(response, "read", name);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var value = body.RootElement.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return Parse(value, name);
    }

    public async ValueTask StoreAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var name = SecretName(userId);
        var secret = new
        {
            value = JsonSerializer.Serialize(new StoredCredentials(credentials.ApiKey, credentials.StarkKey.Reveal(), credentials.Vault), Json),
            contentType = "application/json; exchange credentials (apiKey, starkKey, vault)",
        };
        var recovered = false;
        for (var attempt = 1; ; attempt++)
        {
            using (var response = await SendAsync(HttpMethod.Put, $"secrets/{name}", JsonContent.Create(secret), cancellationToken))
            {
                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                if (response.StatusCode != HttpStatusCode.Conflict)
                {
                    Ensure(response, "write", name);
                }
            }

            if (attempt >= SettleAttempts)
            {
                if (recovered)
                {
                    // The recovered secret holds the credentials the user unlinked: delete it again rather than leave them.
                    await DeleteSecretAsync(name, cancellationToken);
                }

                throw new InvalidOperationException($"Key Vault still answered 409 to writing the secret {name} after {attempt} tries.");
            }

            // 409: the name belongs to a deleted secret (or one still being deleted, purged or recovered).
            if (!recovered)
            {
                recovered = await ClearDeletedAsync(name, cancellationToken);
            }

            await Task.Delay(SettleDelay, time, cancellationToken);
        }
    }

    public async ValueTask DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        var name = SecretName(userId);
        var deletedNow = await DeleteSecretAsync(name, cancellationToken);
        for (var attempt = 1; attempt <= SettleAttempts; attempt++)
        {
            using var purge = await SendAsync(HttpMethod.Delete, $"deletedsecrets/{name}", null, cancellationToken);
            switch (purge.StatusCode)
            {
                case HttpStatusCode.OK or HttpStatusCode.NoContent:
                    return;
                case HttpStatusCode.NotFound when !deletedNow:
                    return; // nothing was there and nothing is left in the deleted state
                case HttpStatusCode.Forbidden:
                    logger.LogWarning(
                        "Key Vault refused to purge the deleted secret {Secret} (purge protection, or the identity may not purge): it stays soft-deleted until its retention ends; a relink recovers and overwrites it",
                        name);
                    return;
                case HttpStatusCode.NotFound or HttpStatusCode.Conflict:
                    break; // the delete has not finished yet
                default:
                    Ensure(purge, "purge", name);
                    break;
            }

            await Task.Delay(SettleDelay, time, cancellationToken);
        }

        logger.LogWarning("The secret {Secret} is deleted but Key Vault did not let it be purged in time; it stays soft-deleted", name);
    }

    /// <summary>Deletes the live secret; true when there was one.</summary>
    private async Task<bool> DeleteSecretAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"secrets/{name}", null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        Ensure(response, "delete", name);
        return true;
    }

    /// <summary>Frees a name held by a deleted secret: purges it, or recovers it where purging is refused. True when
    /// it recovered (the old value is live again until the next write replaces it).</summary>
    private async Task<bool> ClearDeletedAsync(string name, CancellationToken cancellationToken)
    {
        using var purge = await SendAsync(HttpMethod.Delete, $"deletedsecrets/{name}", null, cancellationToken);
        if (purge.StatusCode != HttpStatusCode.Forbidden)
        {
            // Purged, not deleted after all, or still being deleted (409): the next write tells.
            if (purge.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.Conflict))
            {
                Ensure(purge, "purge", name);
            }

            return false;
        }

        logger.LogInformation("Key Vault refused to purge the deleted secret {Secret}; recovering it to overwrite it", name);
        using var recover = await SendAsync(HttpMethod.Post, $"deletedsecrets/{name}/recover", null, cancellationToken);
        if (recover.StatusCode == HttpStatusCode.Conflict)
        {
            return false; // still being deleted: try again after the next 409
        }

        Ensure(recover, "recover", name);
        return true;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var uri = new Uri(vaultUri, $"{path}?api-version={ApiVersion}");
        if (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            throw new InvalidOperationException("Key Vault is reached over https only (a loopback address is allowed for local tests).");
        }

        var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token.Token}");
        return await http.SendAsync(request, cancellationToken);
    }

    private static ExchangeCredentials Parse(string? value, string name)
    {
        try
        {
            var stored = value is null ? null : JsonSerializer.Deserialize<StoredCredentials>(value, Json);
            if (stored is { ApiKey.Length: > 0, StarkKey: not null } && StarkPrivateKey.TryParse(stored.StarkKey, out var key))
            {
                return new ExchangeCredentials(stored.ApiKey, key, stored.Vault);
            }
        }
        catch (JsonException)
        {
            // Reported below without the value.
        }

        throw new InvalidOperationException($"The Key Vault secret {name} does not hold exchange credentials.");
    }

    private static void Ensure(HttpResponseMessage response, string action, string name)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Key Vault answered {(int)response.StatusCode} to the {action} of the secret {name}.");
        }
    }

    /// <summary>The secret's value, serialized into a request body only.</summary>
    private sealed record StoredCredentials(string ApiKey, string StarkKey, long Vault)
    {
        public override string ToString() => $"StoredCredentials(vault {Vault}, keys redacted)";
    }
}
