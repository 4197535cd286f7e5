using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;

namespace AstraTrade.Application.UnitTests;

/// <summary>A real embedded store in a temporary directory, on a manual clock: for use cases whose effect is what they
/// write. Deleted with its directory on dispose.</summary>
public sealed class TemporaryStore : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "astratrade-unit-" + Guid.NewGuid().ToString("N"));

    public TemporaryStore() => Store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory }, Time);

    public ManualTimeProvider Time { get; } = new();

    public EmbeddedStore Store { get; }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
