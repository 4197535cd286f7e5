using Microsoft.Win32.SafeHandles;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// The scan that opens a log. The first record that is incomplete or fails a checksum ends the valid log. What follows
/// it is normally the rest of the write that was in flight when the process or machine stopped: never acknowledged,
/// because the writer acknowledges only after fsync and starts a write only when the previous one is durable. A crash
/// may persist the later pages of that last write but not the earlier ones, so intact records after the damage are
/// no proof of anything while they belong to the same write. An intact record that starts a write of its own is: the
/// damaged write was followed by another, so it had been acknowledged, and the log is refused instead of truncated.
/// </summary>
/// <remarks>The one case this cannot tell apart: bit rot inside the final write after it was acknowledged, with
/// nothing written since, looks exactly like that write being torn, and is cut off.</remarks>
internal static class RecordLogRecovery
{
    /// <summary>Shows every intact record to <paramref name="visitor"/> and returns where the valid log ends.</summary>
    public static long Scan(SafeFileHandle file, long fileLength, string path, RecordVisitor visitor)
    {
        var window = new FileWindow(file, fileLength);
        if (!window.Get(0, RecordFormat.FileHeaderLength).SequenceEqual(RecordFormat.FileHeader))
        {
            throw new LogCorruptedException(path, 0, "the file does not start with the header of a version 1 AstraTrade log.");
        }

        var position = (long)RecordFormat.FileHeaderLength;
        while (TryRead(window, position, out var payload))
        {
            var payloadOffset = position + RecordFormat.HeaderLength;
            try
            {
                visitor(payloadOffset, payload);
            }
            catch (InvalidDataException ex)
            {
                throw new LogCorruptedException(path, position, $"the record's checksum holds but its content does not: {ex.Message}", ex);
            }

            position = payloadOffset + payload.Length;
        }

        if (position < fileLength && FindWriteStart(window, position + 1) is var later and >= 0)
        {
            throw new LogCorruptedException(
                path,
                position,
                $"the record there fails its checksum, yet an intact write starts later, at offset {later}, so the damaged record had been acknowledged.");
        }

        return position;
    }

    private static bool TryRead(FileWindow window, long position, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (!RecordFormat.TryReadHeader(window.Get(position, RecordFormat.HeaderLength), out var header))
        {
            return false;
        }

        payload = window.Get(position + RecordFormat.HeaderLength, header.PayloadLength);
        return header.Matches(payload);
    }

    private static long FindWriteStart(FileWindow window, long from)
    {
        for (var position = from; position + RecordFormat.HeaderLength <= window.FileLength; position++)
        {
            if (RecordFormat.TryReadHeader(window.Get(position, RecordFormat.HeaderLength), out var header)
                && header.FirstOfWrite
                && header.Matches(window.Get(position + RecordFormat.HeaderLength, header.PayloadLength)))
            {
                return position;
            }
        }

        return -1;
    }

    /// <summary>Buffered reads over the file being scanned; a span it returns is valid until the next call.</summary>
    private sealed class FileWindow(SafeFileHandle file, long fileLength)
    {
        private byte[] _buffer = new byte[1 << 20];
        private long _start;
        private int _count;

        public long FileLength => fileLength;

        /// <summary>The <paramref name="count"/> bytes at <paramref name="offset"/>, or fewer where the file ends.</summary>
        public ReadOnlySpan<byte> Get(long offset, int count)
        {
            count = (int)Math.Clamp(fileLength - offset, 0, count);
            if (count == 0)
            {
                return [];
            }

            if (offset < _start || offset + count > _start + _count)
            {
                if (count > _buffer.Length)
                {
                    _buffer = new byte[Math.Max(count, _buffer.Length * 2)];
                }

                _start = offset;
                _count = (int)Math.Min(_buffer.Length, fileLength - offset);
                RecordLog.ReadExactly(file, _buffer.AsSpan(0, _count), offset);
            }

            return _buffer.AsSpan((int)(offset - _start), count);
        }
    }
}
