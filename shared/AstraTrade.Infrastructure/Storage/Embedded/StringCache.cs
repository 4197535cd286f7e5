using System.Collections.Concurrent;
using System.Text;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// Decodes UTF-8 names that repeat endlessly (event types) to one shared string each, so reading events does not
/// allocate the same few strings over and over. Bounded: past <see cref="Capacity"/> names it stops remembering.
/// </summary>
internal sealed class StringCache
{
    private const int Capacity = 4096;
    private const int MaxCachedBytes = 256;

    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _byChars;
    private int _count;

    public StringCache() => _byChars = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> buffer = stackalloc char[MaxCachedBytes];
        var chars = buffer[..Encoding.UTF8.GetChars(utf8, buffer)];
        if (_byChars.TryGetValue(chars, out var cached))
        {
            return cached;
        }

        var value = chars.ToString();
        if (Volatile.Read(ref _count) < Capacity && _strings.TryAdd(value, value))
        {
            Interlocked.Increment(ref _count);
        }

        return value;
    }
}
