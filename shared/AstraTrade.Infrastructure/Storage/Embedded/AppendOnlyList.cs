using System.Numerics;

namespace AstraTrade.Infrastructure.Storage.Embedded;

/// <summary>
/// A list that one writer appends to while any number of readers read it without locks. The writer stages items
/// (stored but invisible) and publishes them together; readers see exactly the published prefix, which they must
/// bound by reading <see cref="Count"/> first. Storage is a series of segments that double in size, so growing never
/// copies items (no pause at millions of entries) and an array, once handed to a reader, never changes under it
/// except in slots beyond what that reader may see.
/// </summary>
internal sealed class AppendOnlyList<T>
{
    private const int FirstSegmentShift = 2;

    private T[][] _segments = [];
    private int _staged;
    private int _published;

    /// <summary>Published items: the ones readers may see.</summary>
    public int Count => Volatile.Read(ref _published);

    /// <summary>Published and staged items. Writer only.</summary>
    public int StagedCount => _staged;

    /// <summary>An item below <see cref="Count"/> (any thread) or below <see cref="StagedCount"/> (writer).</summary>
    public T this[int index]
    {
        get
        {
            var (segment, offset) = Locate(index);
            return Volatile.Read(ref _segments)[segment][offset];
        }
    }

    /// <summary>Adds an item that readers will see after the next <see cref="Publish"/>. Writer only.</summary>
    public void Stage(T item)
    {
        var (segment, offset) = Locate(_staged);
        var segments = _segments;
        if (segment == segments.Length)
        {
            var grown = new T[segment + 1][];
            segments.CopyTo(grown, 0);
            grown[segment] = new T[1 << (FirstSegmentShift + segment)];
            Volatile.Write(ref _segments, grown);
            segments = grown;
        }

        segments[segment][offset] = item;
        _staged++;
    }

    /// <summary>Makes every staged item visible to readers. Writer only.</summary>
    public void Publish() => Volatile.Write(ref _published, _staged);

    // Segment k holds 4·2^k items and starts at index 4·(2^k − 1).
    private static (int Segment, int Offset) Locate(int index)
    {
        var segment = BitOperations.Log2((uint)(index >> FirstSegmentShift) + 1);
        return (segment, index - (((1 << segment) - 1) << FirstSegmentShift));
    }
}
