using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Exchange.Extended;
using Azure.Core;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>The Key Vault adapter against a local listener speaking Key Vault's Get/Set Secret REST shapes.</summary>
public sealed class KeyVaultStarkKeyVaultTests : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentQueue<string> _authorizations = new();
    private readonly Uri _vault;
    private readonly HttpClient _http = new();

    public KeyVaultStarkKeyVaultTests()
    {
        (_listener, var port) = LoopbackHttpListener.Start();
        _vault = new Uri($"http://127.0.0.1:{port}/");
        _ = Task.Run(ServeAsync);
    }

    [Fact]
    public async Task Stores_and_finds_a_users_key_under_its_secret_name_with_a_bearer_token()
    {
        var vault = new KeyVaultStarkKeyVault(_http, _vault, new FixedToken());
        var user = Guid.NewGuid();
        Assert.Null(await vault.FindAsync(user, default));

        await vault.StoreAsync(user, StarkPrivateKey.Parse("0xabc123"), default);
        Assert.True(_secrets.ContainsKey($"stark-key-{user:N}"));
        Assert.Equal("0xabc123", (await vault.FindAsync(user, default))!.Reveal());
        Assert.All(_authorizations, a => Assert.Equal("Bearer test-token", a));
    }

    [Fact]
    public async Task A_secret_that_is_not_a_key_fails_without_showing_it()
    {
        var user = Guid.NewGuid();
        _secrets[$"stark-key-{user:N}"] = "not-a-key-secret-text";
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new KeyVaultStarkKeyVault(_http, _vault, new FixedToken()).FindAsync(user, default).AsTask());
        Assert.DoesNotContain("not-a-key-secret-text", error.ToString());
    }

    public void Dispose()
    {
        _http.Dispose();
        _listener.Stop();
        _listener.Close();
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _authorizations.Enqueue(context.Request.Headers["Authorization"] ?? "");
            var name = context.Request.Url!.AbsolutePath["/secrets/".Length..];
            var status = 200;
            object body;
            if (context.Request.QueryString["api-version"] != "7.4")
            {
                (status, body) = (400, new { error = new { code = "BadParameter" } });
            }
            else if (context.Request.HttpMethod == "PUT")
            {
                using var doc = await JsonDocument.ParseAsync(context.Request.InputStream);
                _secrets[name] = doc.RootElement.GetProperty("value").GetString()!;
                body = new { value = _secrets[name], id = $"{_vault}secrets/{name}/1" };
            }
            else if (_secrets.TryGetValue(name, out var value))
            {
                body = new { value, id = $"{_vault}secrets/{name}/1" };
            }
            else
            {
                (status, body) = (404, new { error = new { code = "SecretNotFound" } });
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <summary>A credential that hands out a fixed token for the vault scope (a managed identity stands here in Azure).</summary>
    private sealed class FixedToken : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Assert.Equal([KeyVaultStarkKeyVault.Scope], requestContext.Scopes);
            return new AccessToken("test-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
