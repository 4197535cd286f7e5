using System.Collections.Concurrent;
using AstraTrade.Application.Ports;

namespace AstraTrade.Infrastructure.Exchange.Extended;

/// <summary>Stark keys in process memory: for tests and a developer machine, never for real keys.</summary>
public sealed class InMemoryStarkKeyVault : IStarkKeyVault
{
    private readonly ConcurrentDictionary<Guid, StarkPrivateKey> _keys = new();

    public ValueTask<StarkPrivateKey?> FindAsync(Guid userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_keys.GetValueOrDefault(userId));

    public ValueTask StoreAsync(Guid userId, StarkPrivateKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        _keys[userId] = key;
        return ValueTask.CompletedTask;
    }
}
