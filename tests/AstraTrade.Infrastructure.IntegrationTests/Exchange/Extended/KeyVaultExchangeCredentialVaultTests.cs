using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Exchange.Extended;
using Azure.Core;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>The Key Vault credential adapter against a local fake of Key Vault's secrets REST API with soft-delete.</summary>
public sealed class KeyVaultExchangeCredentialVaultTests : IDisposable
{
    private const string ApiKey = "kv-test-api-key-5550123";
    private const string PrivateKeyHex = "0x4f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff";
    private readonly FakeKeyVault _keyVault = new();
    private readonly HttpClient _http = new();
    private readonly ListLogger<KeyVaultExchangeCredentialVault> _log = new();
    private readonly Guid _user = Guid.NewGuid();

    private string Secret => KeyVaultExchangeCredentialVault.SecretName(_user);

    [Fact]
    public async Task Stores_the_three_credentials_as_one_json_secret_and_finds_them_with_a_bearer_token()
    {
        var vault = Vault();
        Assert.Null(await vault.FindAsync(_user, default));

        await vault.StoreAsync(_user, Credentials(), default);

        Assert.Equal($"exchange-credentials-{_user:N}", Secret);
        using (var stored = JsonDocument.Parse(_keyVault.Current(Secret)!.Value.Value))
        {
            Assert.Equal((ApiKey, PrivateKeyHex, 7001L),
                (stored.RootElement.GetProperty("apiKey").GetString(), stored.RootElement.GetProperty("starkKey").GetString(), stored.RootElement.GetProperty("vault").GetInt64()));
        }

        Assert.StartsWith("application/json", _keyVault.Current(Secret)!.Value.ContentType);
        var found = await vault.FindAsync(_user, default);
        Assert.Equal((ApiKey, PrivateKeyHex, 7001L), (found!.ApiKey, found.StarkKey.Reveal(), found.Vault));
        Assert.All(_keyVault.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
    }

    [Fact]
    public async Task A_relink_writes_a_new_version_with_all_three_values()
    {
        var vault = Vault();
        await vault.StoreAsync(_user, Credentials(), default);
        await vault.StoreAsync(_user, new ExchangeCredentials("second-key", StarkPrivateKey.Parse("0xabc123"), 42), default);

        Assert.Equal(2, _keyVault.Versions(Secret));
        var found = await vault.FindAsync(_user, default);
        Assert.Equal(("second-key", "0xabc123", 42L), (found!.ApiKey, found.StarkKey.Reveal(), found.Vault));
    }

    [Fact]
    public async Task Delete_deletes_then_purges_waiting_while_the_delete_settles()
    {
        _keyVault.SettleRequests = 2;
        var vault = Vault();
        await vault.StoreAsync(_user, Credentials(), default);

        await vault.DeleteAsync(_user, default);

        Assert.Null(_keyVault.Current(Secret));
        Assert.False(_keyVault.IsDeleted(Secret)); // purged, not only soft-deleted
        Assert.Equal(
            ["PUT secrets", "DELETE secrets", "DELETE deletedsecrets", "DELETE deletedsecrets", "DELETE deletedsecrets"],
            _keyVault.Requests.Select(r => $"{r.Method} {r.Path.Split('/')[1]}"));
        await vault.DeleteAsync(_user, default); // nothing left: a no-op
    }

    [Fact]
    public async Task A_link_after_an_unlink_whose_purge_did_not_happen_purges_the_deleted_secret_and_writes_again()
    {
        _keyVault.SoftDelete(Secret, "{\"apiKey\":\"old\"}");
        _keyVault.SettleRequests = 2; // the purge takes a moment: two more 409s
        var vault = Vault();

        await vault.StoreAsync(_user, Credentials(), default);

        Assert.Equal(ApiKey, (await vault.FindAsync(_user, default))!.ApiKey);
        Assert.Equal(1, _keyVault.Versions(Secret)); // the old value is gone for good
        var calls = _keyVault.Requests.Select(r => $"{r.Method} {r.Path.Split('/')[1]}").ToList();
        Assert.Equal("PUT secrets", calls[0]);
        Assert.Equal("DELETE deletedsecrets", calls[1]);
        Assert.Equal("PUT secrets", calls[^2]);
    }

    [Fact]
    public async Task Where_purge_protection_refuses_the_purge_the_deleted_secret_is_recovered_and_overwritten()
    {
        _keyVault.PurgeProtection = true;
        _keyVault.SettleRequests = 1;
        var vault = Vault();
        await vault.StoreAsync(_user, Credentials(), default);
        await vault.DeleteAsync(_user, default);
        Assert.True(_keyVault.IsDeleted(Secret)); // soft-deleted: the vault keeps it until its retention ends
        Assert.Contains(_log.Lines, l => l.Contains("refused to purge", StringComparison.Ordinal));

        await vault.StoreAsync(_user, new ExchangeCredentials("relinked-key", StarkPrivateKey.Parse("0xabc123"), 42), default);

        Assert.False(_keyVault.IsDeleted(Secret));
        Assert.Equal(2, _keyVault.Versions(Secret)); // the recovered version and the new one on top
        Assert.Equal("relinked-key", (await vault.FindAsync(_user, default))!.ApiKey);
        Assert.Contains(_keyVault.Requests, r => r is { Method: "POST" } && r.Path.EndsWith("/recover", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_write_that_stays_refused_fails_and_does_not_leave_recovered_credentials_behind()
    {
        _keyVault.PurgeProtection = true;
        var vault = Vault(attempts: 4);
        await vault.StoreAsync(_user, Credentials(), default);
        await vault.DeleteAsync(_user, default);
        _keyVault.RefusePuts = 1_000; // the name stays in conflict after the recovery

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => vault.StoreAsync(_user, new ExchangeCredentials("relinked-key", StarkPrivateKey.Parse("0xabc123"), 42), default).AsTask());

        Assert.Contains("409", error.Message);
        Assert.Null(await vault.FindAsync(_user, default)); // the recovered old credentials were deleted again
        Assert.True(_keyVault.IsDeleted(Secret));
    }

    [Fact]
    public async Task A_secret_that_does_not_hold_credentials_fails_without_showing_it()
    {
        _keyVault.Seed(Secret, "{\"apiKey\":\"leaky-value-123\",\"starkKey\":\"zz\",\"vault\":1}");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Vault().FindAsync(_user, default).AsTask());
        Assert.Contains(Secret, error.Message);
        Assert.DoesNotContain("leaky-value-123", error.ToString());
    }

    [Fact]
    public async Task Errors_and_logs_name_the_secret_and_the_status_never_a_value()
    {
        var vault = Vault();
        _keyVault.FailNext(1);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => vault.StoreAsync(_user, Credentials(), default).AsTask());
        _keyVault.PurgeProtection = true;
        await vault.StoreAsync(_user, Credentials(), default);
        await vault.DeleteAsync(_user, default);
        await vault.StoreAsync(_user, Credentials(), default);

        var everything = error + string.Join("\n", _log.Lines) + Credentials();
        Assert.Contains("500", error.Message);
        Assert.DoesNotContain(ApiKey, everything);
        Assert.DoesNotContain(PrivateKeyHex[2..], everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Only_https_or_loopback_is_used()
    {
        var vault = new KeyVaultExchangeCredentialVault(_http, new Uri("http://vault.example/"), new FixedToken(), TimeProvider.System, _log);
        await Assert.ThrowsAsync<InvalidOperationException>(() => vault.FindAsync(_user, default).AsTask());
    }

    public void Dispose()
    {
        _http.Dispose();
        _keyVault.Dispose();
    }

    private static ExchangeCredentials Credentials() => new(ApiKey, StarkPrivateKey.Parse(PrivateKeyHex), 7001);

    private KeyVaultExchangeCredentialVault Vault(int attempts = 15) =>
        new(_http, _keyVault.Uri, new FixedToken(), TimeProvider.System, _log) { SettleDelay = TimeSpan.FromMilliseconds(5), SettleAttempts = attempts };

    /// <summary>A credential that hands out a fixed token for the vault scope (a managed identity stands here in Azure).</summary>
    internal sealed class FixedToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal([KeyVaultExchangeCredentialVault.Scope], requestContext.Scopes);
            return new AccessToken("test-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
