namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// A log file holds damaged records that were already acknowledged (or is not a log of this format at all).
/// The store refuses to open rather than silently dropping data; the file is left exactly as it was, for a person to
/// inspect or restore from a backup.
/// </summary>
public sealed class LogCorruptedException(string path, long offset, string reason, Exception? innerException = null)
    : IOException($"The log '{path}' is damaged at offset {offset}: {reason} It was not opened and has not been changed.", innerException)
{
    public string Path { get; } = path;

    public long Offset { get; } = offset;
}
