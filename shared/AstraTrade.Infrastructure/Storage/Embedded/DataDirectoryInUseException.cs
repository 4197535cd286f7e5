namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>Another process (or another <see cref="EmbeddedStore"/> in this one) has the data directory open.</summary>
public sealed class DataDirectoryInUseException(string dataDirectory, Exception innerException)
    : IOException(
        $"The data directory '{dataDirectory}' is already open in another process or store instance; only one may use it at a time.",
        innerException)
{
    public string DataDirectory { get; } = dataDirectory;
}
