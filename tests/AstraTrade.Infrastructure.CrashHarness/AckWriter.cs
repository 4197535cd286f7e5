using System.Text;

namespace AstraTrade.Infrastructure.CrashHarness;

/// <summary>Writes each line with one write to stdout, so a kill can cut off at most the last line, never mix two.</summary>
internal sealed class AckWriter(Stream stdout)
{
    private readonly Lock _gate = new();

    public void Append(string stream, long firstVersion, IEnumerable<Guid> eventIds) =>
        Write($"EVT {stream} {firstVersion} {string.Join(',', eventIds)}\n");

    public void Put(string collection, string id, string etag, long counter) => Write($"DOC {collection} {id} {etag} {counter}\n");

    public void Error(string message) => Write($"ERR {message.ReplaceLineEndings(" ")}\n");

    private void Write(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        lock (_gate)
        {
            stdout.Write(bytes);
            stdout.Flush();
        }
    }
}
