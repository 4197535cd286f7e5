using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>
/// Identity-based access, as with a managed identity in Azure, against Azurite over https with <c>--oauth basic</c>:
/// Azurite checks a bearer token's audience, issuer and lifetime (not its signature, which only Entra ID could make),
/// so the tokens here are unsigned JWTs from a stand-in credential.
/// </summary>
public sealed class BearerTokenTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.HttpsQueueServiceWithOAuthAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Requests_carry_a_storage_scoped_token_that_is_fetched_once_and_reused()
    {
        var credential = new JwtCredential("https://storage.azure.com", TimeSpan.FromHours(1));
        using var queue = new AzureStorageQueue(QueueServiceEndpoint.WithTokenCredential(_azurite.QueueEndpoint, credential),
            Azurite.NewQueueName("bearer"), handler: _azurite.TrustingHandler());

        await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero);
        var message = Assert.Single(await queue.ReceiveAsync(1, Lease));
        await queue.DeleteAsync(message.MessageId, message.PopReceipt);

        Assert.Equal("m", Encoding.UTF8.GetString(message.Body.Span));
        var scopes = Assert.Single(credential.Requests);
        Assert.Equal(["https://storage.azure.com/.default"], scopes);
    }

    [Fact]
    public async Task A_token_near_its_expiry_is_fetched_again()
    {
        var credential = new JwtCredential("https://storage.azure.com", TimeSpan.FromMinutes(4));
        using var queue = new AzureStorageQueue(QueueServiceEndpoint.WithTokenCredential(_azurite.QueueEndpoint, credential),
            Azurite.NewQueueName("expiring"), handler: _azurite.TrustingHandler());

        await queue.EnqueueAsync("a"u8.ToArray(), TimeSpan.Zero);
        await queue.EnqueueAsync("b"u8.ToArray(), TimeSpan.Zero);

        Assert.Equal(3, credential.Requests.Count); // create, put, put: within 5 minutes of expiry, never reused
    }

    [Fact]
    public async Task A_token_for_another_audience_is_refused_with_a_clear_error()
    {
        var credential = new JwtCredential("https://vault.azure.net", TimeSpan.FromHours(1));
        using var queue = new AzureStorageQueue(QueueServiceEndpoint.WithTokenCredential(_azurite.QueueEndpoint, credential),
            Azurite.NewQueueName("audience"), handler: _azurite.TrustingHandler());

        var error = await Assert.ThrowsAsync<StorageRequestException>(async () => await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero));

        Assert.Equal((HttpStatusCode.Forbidden, "AuthenticationFailed"), (error.Status, error.ErrorCode));
        Assert.Contains("data role on the queue", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_based_access_needs_https()
    {
        Assert.Throws<ArgumentException>(() => QueueServiceEndpoint.WithTokenCredential(
            new Uri("http://127.0.0.1:10001/devstoreaccount1"), new JwtCredential("https://storage.azure.com", TimeSpan.FromHours(1))));
    }

    /// <summary>Hands out unsigned JWTs for one audience, and records the scopes each call asked for.</summary>
    private sealed class JwtCredential(string audience, TimeSpan lifetime) : TokenCredential
    {
        public ConcurrentQueue<string[]> RequestsQueue { get; } = new();

        public IReadOnlyList<string[]> Requests => [.. RequestsQueue];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            RequestsQueue.Enqueue(requestContext.Scopes);
            var now = DateTimeOffset.UtcNow;
            var expires = now + lifetime;
            var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
            var payload = Base64Url(JsonSerializer.Serialize(new
            {
                aud = audience,
                iss = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/",
                iat = now.AddMinutes(-1).ToUnixTimeSeconds(),
                nbf = now.AddMinutes(-1).ToUnixTimeSeconds(),
                exp = expires.ToUnixTimeSeconds(),
            }));
            return new AccessToken($"{header}.{payload}.unsigned", expires);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));

        private static string Base64Url(string json) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
