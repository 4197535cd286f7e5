namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>A snapshot of the embedded store for /health.</summary>
/// <param name="DataDirectory">The full path of the data directory.</param>
/// <param name="HeadPosition">The global position of the last event, 0 when there is none.</param>
/// <param name="StreamCount">Streams with at least one event.</param>
/// <param name="EventLogBytes">The size of events.log.</param>
/// <param name="DocumentCount">Documents that exist.</param>
/// <param name="DocumentLogBytes">The size of documents.log.</param>
/// <param name="DiscardedTailBytes">Bytes of torn writes cut off the logs when the store opened (non-zero after a crash
/// in the middle of a write; those writes had not been acknowledged).</param>
public sealed record EmbeddedStoreStatus(
    string DataDirectory,
    long HeadPosition,
    int StreamCount,
    long EventLogBytes,
    int DocumentCount,
    long DocumentLogBytes,
    long DiscardedTailBytes);
