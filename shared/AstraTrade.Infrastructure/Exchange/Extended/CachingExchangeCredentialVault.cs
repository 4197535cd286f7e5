using System.Collections.Concurrent;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>
/// Keeps credentials read from a remote vault in memory for a while: a live order's lifecycle polls Extended every few
/// seconds, and each poll needs the API key, which would otherwise be a Key Vault read each time. Links and unlinks
/// through this instance take effect at once; one made on another instance of the app takes effect here once the
/// entry expires. Only found credentials are kept (a user who links is seen at the next read).
/// </summary>
public sealed class CachingExchangeCredentialVault(IExchangeCredentialVault inner, TimeProvider time, TimeSpan lifetime) : IExchangeCredentialVault
{
    private readonly ConcurrentDictionary<Guid, (ExchangeCredentials Credentials, DateTimeOffset Expires)> _entries = new();
    private readonly Lock _gate = new();
    private long _generation; // moves on every store and delete, so a read that overlapped one is not kept

    public async ValueTask<ExchangeCredentials?> FindAsync(Guid userId, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(userId, out var entry) && entry.Expires > time.GetUtcNow())
        {
            return entry.Credentials;
        }

        long generation;
        lock (_gate)
        {
            generation = _generation;
        }

        var found = await inner.FindAsync(userId, cancellationToken);
        lock (_gate)
        {
            if (found is null)
            {
                _entries.TryRemove(userId, out _);
            }
            else if (lifetime > TimeSpan.Zero && _generation == generation)
            {
                _entries[userId] = (found, time.GetUtcNow() + lifetime);
            }
        }

        return found;
    }

    public async ValueTask StoreAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken)
    {
        Forget(userId);
        try
        {
            await inner.StoreAsync(userId, credentials, cancellationToken);
        }
        finally
        {
            Forget(userId); // a read that began while the change was under way may have kept the old value
        }
    }

    public async ValueTask DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        Forget(userId);
        try
        {
            await inner.DeleteAsync(userId, cancellationToken);
        }
        finally
        {
            Forget(userId); // a read that began while the change was under way may have kept the old value
        }
    }

    private void Forget(Guid userId)
    {
        lock (_gate)
        {
            _generation++;
            _entries.TryRemove(userId, out _);
        }
    }
}
