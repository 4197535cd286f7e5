namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>Settings of the embedded store (<see cref="EmbeddedStore"/>).</summary>
public sealed class EmbeddedStoreOptions
{
    /// <summary>The largest <see cref="MaxAppendBytes"/> and <see cref="MaxDocumentBytes"/> allowed: the event index
    /// packs an event's length into 24 bits.</summary>
    public const int MaxWriteBytesLimit = 8 << 20;

    /// <summary>Where the logs (events.log, documents.log) and the lock file live; created if missing.
    /// A relative path is resolved against the current directory.</summary>
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>The largest append, measured as its encoded size: stream id, and each event's id, type and data plus
    /// a few dozen bytes of framing. Default 1 MiB.</summary>
    public int MaxAppendBytes { get; set; } = 1 << 20;

    /// <summary>The largest document body. Default 1 MiB.</summary>
    public int MaxDocumentBytes { get; set; } = 1 << 20;

    /// <summary>documents.log is compacted when the store opens if the file is larger than this and more than half
    /// of it is overwritten or deleted documents. Default 1 MiB.</summary>
    public long DocumentCompactionThresholdBytes { get; set; } = 1 << 20;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("EmbeddedStoreOptions.DataDirectory must name a directory.", nameof(DataDirectory));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAppendBytes, 1024, nameof(MaxAppendBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxAppendBytes, MaxWriteBytesLimit, nameof(MaxAppendBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDocumentBytes, 1, nameof(MaxDocumentBytes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxDocumentBytes, MaxWriteBytesLimit, nameof(MaxDocumentBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(DocumentCompactionThresholdBytes, nameof(DocumentCompactionThresholdBytes));
    }
}
