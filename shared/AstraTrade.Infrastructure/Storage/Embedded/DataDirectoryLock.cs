namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// Reserves a data directory for one store: a lock file held open without sharing. .NET backs that with an OS lock
/// (flock on Unix), which the OS drops when the process dies, even by SIGKILL, so a crash never leaves it stuck.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <exception cref="DataDirectoryInUseException">Someone else holds the directory.</exception>
    public static DataDirectoryLock Acquire(string directory)
    {
        try
        {
            return new DataDirectoryLock(new FileStream(Path.Combine(directory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            throw new DataDirectoryInUseException(directory, ex);
        }
    }

    public void Dispose() => _file.Dispose();

    // Windows reports a sharing or lock violation; on Unix the HResult is flock's EWOULDBLOCK (11 on Linux, 35 on macOS).
    private static bool IsHeldElsewhere(IOException ex) =>
        OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 : ex.HResult == (OperatingSystem.IsMacOS() ? 35 : 11);
}
