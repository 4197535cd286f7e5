using System.Collections.Concurrent;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>Exchange credentials in process memory: for tests and a developer machine. A restart forgets every link.</summary>
public sealed class InMemoryExchangeCredentialVault : IExchangeCredentialVault
{
    private readonly ConcurrentDictionary<Guid, ExchangeCredentials> _credentials = new();

    public ValueTask<ExchangeCredentials?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_credentials.GetValueOrDefault(userId));

    public ValueTask StoreAsync(Guid userId, ExchangeCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials[userId] = credentials;
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        _credentials.TryRemove(userId, out _);
        return ValueTask.CompletedTask;
    }
}
