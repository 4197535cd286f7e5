using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Testing;

namespace AstraTrade.Infrastructure.IntegrationTests.Exchange.Extended;

/// <summary>The in-memory cache in front of Key Vault: reads within the lifetime stay local, changes here apply at once.</summary>
public sealed class CachingExchangeCredentialVaultTests
{
    private readonly ManualTimeProvider _time = new();
    private readonly CountingVault _inner = new();
    private readonly Guid _user = Guid.NewGuid();

    [Fact]
    public async Task Reads_within_the_lifetime_are_served_from_memory_and_later_ones_read_again()
    {
        var cache = new CachingExchangeCredentialVault(_inner, _time, TimeSpan.FromMinutes(1));
        await _inner.StoreAsync(_user, Credentials("first"), default);

        Assert.Equal("first", (await cache.FindAsync(_user, default))!.ApiKey);
        Assert.Equal("first", (await cache.FindAsync(_user, default))!.ApiKey);
        Assert.Equal(1, _inner.Finds);

        await _inner.StoreAsync(_user, Credentials("changed elsewhere"), default); // another instance relinked
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal("changed elsewhere", (await cache.FindAsync(_user, default))!.ApiKey);
        Assert.Equal(2, _inner.Finds);
    }

    [Fact]
    public async Task A_link_or_unlink_through_the_cache_applies_at_once()
    {
        var cache = new CachingExchangeCredentialVault(_inner, _time, TimeSpan.FromMinutes(1));
        await cache.StoreAsync(_user, Credentials("first"), default);
        Assert.Equal("first", (await cache.FindAsync(_user, default))!.ApiKey);

        await cache.StoreAsync(_user, Credentials("second"), default);
        Assert.Equal("second", (await cache.FindAsync(_user, default))!.ApiKey);

        await cache.DeleteAsync(_user, default);
        Assert.Null(await cache.FindAsync(_user, default));
    }

    [Fact]
    public async Task A_user_without_credentials_is_not_remembered_as_such()
    {
        var cache = new CachingExchangeCredentialVault(_inner, _time, TimeSpan.FromMinutes(1));
        Assert.Null(await cache.FindAsync(_user, default));
        await _inner.StoreAsync(_user, Credentials("linked elsewhere"), default);
        Assert.Equal("linked elsewhere", (await cache.FindAsync(_user, default))!.ApiKey);
    }

    private static ExchangeCredentials Credentials(string apiKey) => new(apiKey, StarkPrivateKey.Parse("0xabc"), 1);

    private sealed class CountingVault : IExchangeCredentialVault
    {
        private readonly InMemoryExchangeCredentialVault _store = new();

        public int Finds { get; private set; }

        public ValueTask<ExchangeCredentials?> FindAsync(Guid userId, CancellationToken cancellationToken)
        {
            Finds++;
            return _store.FindAsync(userId, cancellationToken);
        }

        public ValueTask StoreAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken) =>
            _store.StoreAsync(userId, credentials, cancellationToken);

        public ValueTask DeleteAsync(Guid userId, CancellationToken cancellationToken) => _store.DeleteAsync(userId, cancellationToken);
    }
}
