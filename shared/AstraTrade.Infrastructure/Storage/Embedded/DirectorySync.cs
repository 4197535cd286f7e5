using System.Runtime.InteropServices;
using System.Text;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// Makes a directory's entries durable. POSIX promises that a created or renamed file survives a power loss only after
/// an fsync of the directory that holds it, and .NET cannot open a directory as a file, hence the three libc calls.
/// Windows has no such call; NTFS journals the change itself.
/// </summary>
internal static class DirectorySync
{
    private const int ReadOnly = 0;
    private const int InvalidArgument = 22;

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Native.open(Encoding.UTF8.GetBytes(directory + "\0"), ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open the directory '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            // Some file systems (network mounts, for instance) have nothing to flush for a directory and say EINVAL.
            if (Native.fsync(descriptor) != 0 && Marshal.GetLastPInvokeError() is var error && error != InvalidArgument)
            {
                throw new IOException($"Cannot flush the directory '{directory}' (errno {error}).");
            }
        }
        finally
        {
            _ = Native.close(descriptor);
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int descriptor);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int descriptor);
    }
}
