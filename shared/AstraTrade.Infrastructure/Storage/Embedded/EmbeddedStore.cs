namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The embedded durable store (ARCHITECTURE.md §3), used when no Cosmos DB is configured: an event store with its
/// feed, and a document store, each an append-only log of checksummed records in one data directory, which a lock
/// file reserves for a single process. A write is acknowledged only once fsynced, so a restart loses nothing that was
/// acknowledged.
/// <code>
/// await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = "./.data" });
/// IEventStore events = store.Events;
/// IEventFeed feed = store.Events;
/// IDocumentStore documents = store.Documents;
/// </code>
/// Opening replays both logs into memory, recovering from a crash if there was one; disposing finishes the writes
/// already queued, closes the files and releases the directory. Anything called after that throws
/// <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class EmbeddedStore : IAsyncDisposable
{
    private readonly DataDirectoryLock _lock;
    private int _disposed;

    private EmbeddedStore(string dataDirectory, DataDirectoryLock directoryLock, EmbeddedEventStore events, EmbeddedDocumentStore documents)
    {
        DataDirectory = dataDirectory;
        _lock = directoryLock;
        Events = events;
        Documents = documents;
    }

    /// <summary>The full path of the data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The event store, which is also the feed (<see cref="Application.Ports.IEventFeed"/>).</summary>
    public EmbeddedEventStore Events { get; }

    public EmbeddedDocumentStore Documents { get; }

    /// <summary>Opens (creating if need be) the store in <see cref="EmbeddedStoreOptions.DataDirectory"/>.</summary>
    /// <param name="timeProvider">The clock for <see cref="Application.Ports.RecordedEvent.RecordedAt"/>; the system clock by default.</param>
    /// <exception cref="DataDirectoryInUseException">The directory is already open, in this process or another.</exception>
    /// <exception cref="LogCorruptedException">A log holds damaged acknowledged data; that log was left as it was.</exception>
    public static EmbeddedStore Open(EmbeddedStoreOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = Path.GetFullPath(options.DataDirectory);
        if (!Directory.Exists(directory))
        {
            // A new data directory must survive a power cut too, not only the files in it.
            Directory.CreateDirectory(directory);
            DirectorySync.Flush(Path.GetDirectoryName(directory)!);
        }

        var directoryLock = DataDirectoryLock.Acquire(directory);
        EmbeddedEventStore? events = null;
        try
        {
            events = EmbeddedEventStore.Open(directory, options, timeProvider ?? TimeProvider.System);
            var documents = EmbeddedDocumentStore.Open(directory, options);
            return new EmbeddedStore(directory, directoryLock, events, documents);
        }
        catch
        {
            // Nothing can be queued yet, so this completes at once.
            events?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            directoryLock.Dispose();
            throw;
        }
    }

    public EmbeddedStoreStatus GetStatus()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return new EmbeddedStoreStatus(
            DataDirectory,
            Events.Head,
            Events.StreamCount,
            Events.LogBytes,
            Documents.Count,
            Documents.LogBytes,
            Events.DiscardedTailBytes + Documents.DiscardedTailBytes);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Events.DisposeAsync().ConfigureAwait(false);
            await Documents.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Dispose();
        }
    }
}
