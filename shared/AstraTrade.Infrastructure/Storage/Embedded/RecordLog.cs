using Microsoft.Win32.SafeHandles;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>Receives each intact record while a log is opened: where its payload lies in the file, and the payload.</summary>
internal delegate void RecordVisitor(long payloadOffset, ReadOnlySpan<byte> payload);

/// <summary>
/// An append-only file of checksummed records (<see cref="RecordFormat"/>). Opening it verifies every record, cuts off
/// a torn final write and refuses damage to acknowledged records (<see cref="RecordLogRecovery"/>). Afterwards one
/// writer appends batches, each durable before <see cref="Append"/> returns, while any thread reads what is durable.
/// </summary>
internal sealed class RecordLog : IDisposable
{
    private readonly SafeFileHandle _file;
    private long _length;

    private RecordLog(string path, SafeFileHandle file, long length, long discardedTailBytes)
    {
        Path = path;
        _file = file;
        _length = length;
        DiscardedTailBytes = discardedTailBytes;
    }

    public string Path { get; }

    /// <summary>The end of the durable records: everything before it has been fsynced.</summary>
    public long Length => Volatile.Read(ref _length);

    /// <summary>How many bytes of a torn final write were cut off when the log was opened.</summary>
    public long DiscardedTailBytes { get; }

    /// <summary>Opens the log at <paramref name="path"/>, creating an empty one if there is none, and shows every
    /// intact record to <paramref name="visitor"/> in file order.</summary>
    /// <exception cref="LogCorruptedException">Acknowledged records are damaged, or the file is not a log.</exception>
    public static RecordLog Open(string path, RecordVisitor visitor)
    {
        if (!File.Exists(path))
        {
            CreateEmpty(path);
        }

        var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var fileLength = RandomAccess.GetLength(file);
            var validLength = RecordLogRecovery.Scan(file, fileLength, path, visitor);
            if (validLength < fileLength)
            {
                RandomAccess.SetLength(file, validLength);
                RandomAccess.FlushToDisk(file);
            }

            return new RecordLog(path, file, validLength, fileLength - validLength);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Creates a log file that holds only the file header, failing if <paramref name="path"/> exists. The caller
    /// makes the new name durable (by renaming it into place and flushing the directory).</summary>
    public static RecordLog CreateNew(string path)
    {
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            RandomAccess.Write(file, RecordFormat.FileHeader, 0);
            RandomAccess.FlushToDisk(file);
            return new RecordLog(path, file, RecordFormat.FileHeaderLength, 0);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="records"/> (whole framed records) at the end in one write and fsyncs.
    /// Only one thread may append.</summary>
    public void Append(ReadOnlySpan<byte> records)
    {
        var end = _length;
        RandomAccess.Write(_file, records, end);
        RandomAccess.FlushToDisk(_file);
        Volatile.Write(ref _length, end + records.Length);
    }

    /// <summary>Fills <paramref name="destination"/> from durable bytes at <paramref name="offset"/>. Thread-safe.</summary>
    public void Read(long offset, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset + destination.Length, Length, nameof(offset));
        ReadExactly(_file, destination, offset);
    }

    public void Dispose() => _file.Dispose();

    internal static void ReadExactly(SafeFileHandle file, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(file, destination, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"The file ended at offset {offset}, before the bytes the index points to.");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    // A crash leaves either no file or a complete header: the header is written under a temporary name first.
    private static void CreateEmpty(string path)
    {
        var temporary = path + ".new";
        File.Delete(temporary);
        using (CreateNew(temporary))
        {
        }

        File.Move(temporary, path);
        DirectorySync.Flush(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
    }
}
