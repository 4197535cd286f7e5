namespace AstraTrade.Application.Leaderboards;

/// <summary>
/// Scores ranked by DOMAIN.md §2's order: higher score first, then whoever reached the score earlier, then the sequence, then user id
/// (only so the order is total). An order-statistic treap (a balanced binary search tree whose nodes know their
/// subtree size) gives O(log n) updates, rank of a user, and the entry at any rank. Not thread-safe.
/// </summary>
public sealed class RankedBoard
{
    private readonly Dictionary<Guid, BoardEntry> _entries = [];
    private Node? _root;

    public int Count => _entries.Count;

    public BoardEntry? Find(Guid userId) => _entries.GetValueOrDefault(userId);

    /// <summary>Sets a user's score, replacing any previous entry.</summary>
    public void Set(BoardEntry entry)
    {
        if (_entries.Remove(entry.UserId, out var previous))
        {
            _root = Remove(_root, previous);
        }

        _entries[entry.UserId] = entry;
        var (less, greater) = Split(_root, entry);
        _root = Merge(Merge(less, new Node(entry)), greater);
    }

    public void Clear()
    {
        _entries.Clear();
        _root = null;
    }

    /// <summary>1-based rank, or null when the user has no entry.</summary>
    public int? RankOf(Guid userId)
    {
        if (!_entries.TryGetValue(userId, out var entry))
        {
            return null;
        }

        var rank = 1;
        var node = _root;
        while (node is not null)
        {
            var c = Compare(entry, node.Entry);
            if (c == 0)
            {
                return rank + Size(node.Left);
            }

            if (c > 0)
            {
                rank += Size(node.Left) + 1;
                node = node.Right;
            }
            else
            {
                node = node.Left;
            }
        }

        throw new InvalidOperationException("Board index and entries disagree.");
    }

    /// <summary>Entries ranked <paramref name="fromRank"/> to <paramref name="fromRank"/> + count − 1 (1-based), best first.</summary>
    public IReadOnlyList<(int Rank, BoardEntry Entry)> Range(int fromRank, int count)
    {
        var result = new List<(int, BoardEntry)>(Math.Max(0, Math.Min(count, Count - fromRank + 1)));
        for (var rank = Math.Max(1, fromRank); rank < fromRank + count && rank <= Count; rank++)
        {
            result.Add((rank, At(rank)));
        }

        return result;
    }

    private BoardEntry At(int rank)
    {
        var node = _root;
        var index = rank - 1;
        while (node is not null)
        {
            var left = Size(node.Left);
            if (index == left)
            {
                return node.Entry;
            }

            if (index < left)
            {
                node = node.Left;
            }
            else
            {
                index -= left + 1;
                node = node.Right;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(rank));
    }

    public static int Compare(BoardEntry a, BoardEntry b)
    {
        var byScore = b.Score.CompareTo(a.Score);
        if (byScore != 0)
        {
            return byScore;
        }

        var byTime = a.ReachedAt.CompareTo(b.ReachedAt);
        if (byTime != 0)
        {
            return byTime;
        }

        var bySequence = a.Sequence.CompareTo(b.Sequence);
        return bySequence != 0 ? bySequence : a.UserId.CompareTo(b.UserId);
    }

    private static int Size(Node? node) => node?.Size ?? 0;

    /// <summary>Splits into entries ranked before <paramref name="pivot"/> and the rest.</summary>
    private static (Node? Less, Node? Greater) Split(Node? node, BoardEntry pivot)
    {
        if (node is null)
        {
            return (null, null);
        }

        if (Compare(node.Entry, pivot) < 0)
        {
            var (less, greater) = Split(node.Right, pivot);
            node.Right = less;
            node.Update();
            return (node, greater);
        }
        else
        {
            var (less, greater) = Split(node.Left, pivot);
            node.Left = greater;
            node.Update();
            return (less, node);
        }
    }

    private static Node? Merge(Node? left, Node? right)
    {
        if (left is null || right is null)
        {
            return left ?? right;
        }

        if (left.Priority > right.Priority)
        {
            left.Right = Merge(left.Right, right);
            left.Update();
            return left;
        }

        right.Left = Merge(left, right.Left);
        right.Update();
        return right;
    }

    private static Node? Remove(Node? node, BoardEntry entry)
    {
        if (node is null)
        {
            return null;
        }

        var c = Compare(entry, node.Entry);
        if (c == 0)
        {
            return Merge(node.Left, node.Right);
        }

        if (c < 0)
        {
            node.Left = Remove(node.Left, entry);
        }
        else
        {
            node.Right = Remove(node.Right, entry);
        }

        node.Update();
        return node;
    }

    private sealed class Node(BoardEntry entry)
    {
        public BoardEntry Entry { get; } = entry;

        // Random priorities keep the expected depth logarithmic whatever order scores arrive in.
        public int Priority { get; } = Random.Shared.Next();

        public Node? Left { get; set; }

        public Node? Right { get; set; }

        public int Size { get; private set; } = 1;

        public void Update() => Size = 1 + (Left?.Size ?? 0) + (Right?.Size ?? 0);
    }
}

/// <param name="Sequence">Breaks ties of equal times before the user id does (a tournament's entry number).</param>
public sealed record BoardEntry(Guid UserId, long Score, DateTimeOffset ReachedAt, long Sequence = 0);
