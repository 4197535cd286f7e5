using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// Every known instance (id, workflow, status, created/updated times, owner, generation), in memory, ordered by
/// created time: the list query and the source of recovery. It is a projection of the runtime's streams, fed two ways:
/// by this process's own appends as they happen (read-your-writes), and by the event feed (the writes of other
/// processes, and the whole history when the host starts). Both are idempotent: an entry remembers the generation and
/// version it has applied and ignores anything not newer.
/// </summary>
internal sealed class InstanceIndex : IFeedHandler
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IndexEntry> _entries = new(StringComparer.Ordinal);
    private readonly SortedSet<IndexEntry> _byCreatedTime = new(IndexEntry.CreatedOrder);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byCreatedTime.Count;
            }
        }
    }

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            if (recorded.Type.StartsWith(RuntimeEvents.Prefix, StringComparison.Ordinal)
                && InstanceStore.TryParseStreamId(recorded.StreamId, out var instanceId, out var generation))
            {
                Apply(instanceId, generation, recorded.Version, recorded.Type, () => RuntimeEvents.Deserialize(recorded), recorded.RecordedAt);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Applies events this process has just appended (first at <paramref name="firstVersion"/>).</summary>
    public void ApplyLocal(string instanceId, int generation, long firstVersion, IReadOnlyList<object> events, DateTimeOffset at)
    {
        for (var i = 0; i < events.Count; i++)
        {
            var runtimeEvent = events[i];
            Apply(instanceId, generation, firstVersion + i, RuntimeEvents.NameOf(runtimeEvent), () => runtimeEvent, at);
        }
    }

    /// <summary>The latest generation seen, or 0.</summary>
    public int GenerationHint(string instanceId)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(instanceId, out var entry) ? entry.Generation : 0;
        }
    }

    public WorkflowSummary? Find(string instanceId)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(instanceId, out var entry) && !entry.Purged ? entry.ToSummary() : null;
        }
    }

    /// <summary>The ids of instances not finished: the ones recovery must look at.</summary>
    public List<string> Unfinished()
    {
        lock (_gate)
        {
            return [.. _byCreatedTime.Where(e => e.Status is WorkflowRuntimeStatus.Pending or WorkflowRuntimeStatus.Running or WorkflowRuntimeStatus.Suspended)
                .Select(e => e.InstanceId)];
        }
    }

    public WorkflowPage Query(WorkflowQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.PageSize, nameof(query.PageSize));
        var after = query.ContinuationToken is { } token ? ParseToken(token) : null;
        var page = new List<WorkflowSummary>();
        string? next = null;
        lock (_gate)
        {
            if (_byCreatedTime.Count == 0)
            {
                return new WorkflowPage(page, null);
            }

            var lower = after ?? new IndexEntry(string.Empty, query.CreatedFrom ?? DateTimeOffset.MinValue);
            if (query.CreatedFrom is { } from && lower.CreatedTime < from)
            {
                lower = new IndexEntry(string.Empty, from);
            }

            var upper = query.CreatedTo is { } to
                ? new IndexEntry(string.Empty, to) // the empty id sorts first: entries created exactly at 'to' are out
                : _byCreatedTime.Max!;
            if (IndexEntry.CreatedOrder.Compare(lower, upper) > 0)
            {
                return new WorkflowPage(page, null);
            }

            foreach (var entry in _byCreatedTime.GetViewBetween(lower, upper))
            {
                if ((after is not null && IndexEntry.CreatedOrder.Compare(entry, after) <= 0) || !Matches(entry, query))
                {
                    continue;
                }

                if (page.Count == query.PageSize)
                {
                    next = Token(page[^1]);
                    break;
                }

                page.Add(entry.ToSummary());
            }
        }

        return new WorkflowPage(page, next);
    }

    private static bool Matches(IndexEntry entry, WorkflowQuery query) =>
        (query.Statuses is not { Count: > 0 } statuses || statuses.Contains(entry.Status))
        && (query.Name is null || query.Name == entry.Name)
        && (query.Owner is null || query.Owner == entry.Owner);

    private static string Token(WorkflowSummary last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(
            string.Create(CultureInfo.InvariantCulture, $"{last.CreatedTime.UtcTicks}.{last.InstanceId}")));

    private static IndexEntry ParseToken(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            var ticks = long.Parse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture);
            return new IndexEntry(text[(dot + 1)..], new DateTimeOffset(ticks, TimeSpan.Zero));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            throw new ArgumentException("The continuation token is not one this runtime issued.", nameof(token), ex);
        }
    }

    private void Apply(string instanceId, int generation, long version, string type, Func<object?> read, DateTimeOffset at)
    {
        lock (_gate)
        {
            _entries.TryGetValue(instanceId, out var entry);
            if (entry is not null && (generation, version).CompareTo((entry.Generation, entry.Version)) <= 0)
            {
                return;
            }

            if (type == RuntimeEvents.Created)
            {
                if (read() is not InstanceCreated created)
                {
                    return;
                }

                if (entry is not null)
                {
                    _byCreatedTime.Remove(entry);
                }

                entry = new IndexEntry(instanceId, created.CreatedTime) { Name = created.Name, Owner = created.Owner };
                _entries[instanceId] = entry;
                _byCreatedTime.Add(entry);
                entry.Status = WorkflowRuntimeStatus.Pending;
            }
            else if (entry is null)
            {
                // Not seen from its creation (cannot happen when fed from the feed's start): leave it to the feed.
                return;
            }
            else if (type == RuntimeEvents.Step)
            {
                if (entry.Status == WorkflowRuntimeStatus.Pending)
                {
                    entry.Status = WorkflowRuntimeStatus.Running;
                }
            }
            else if (type == RuntimeEvents.Suspended)
            {
                entry.Status = WorkflowRuntimeStatus.Suspended;
            }
            else if (type == RuntimeEvents.Resumed)
            {
                entry.Status = read() is InstanceResumed resumed ? resumed.Status : WorkflowRuntimeStatus.Running;
            }
            else if (type == RuntimeEvents.Completed)
            {
                entry.Status = WorkflowRuntimeStatus.Completed;
            }
            else if (type == RuntimeEvents.Failed)
            {
                entry.Status = WorkflowRuntimeStatus.Failed;
            }
            else if (type == RuntimeEvents.Terminated)
            {
                entry.Status = WorkflowRuntimeStatus.Terminated;
            }
            else if (type == RuntimeEvents.Purged)
            {
                entry.Purged = true;
                _byCreatedTime.Remove(entry);
            }

            entry.Generation = generation;
            entry.Version = version;
            entry.LastUpdatedTime = at;
        }
    }

    private sealed class IndexEntry(string instanceId, DateTimeOffset createdTime)
    {
        /// <summary>By created time, then id (ordinal): a total order, so keyset paging has no gaps or duplicates.</summary>
        public static IComparer<IndexEntry> CreatedOrder { get; } = Comparer<IndexEntry>.Create((a, b) =>
        {
            var byTime = a.CreatedTime.UtcTicks.CompareTo(b.CreatedTime.UtcTicks);
            return byTime != 0 ? byTime : string.CompareOrdinal(a.InstanceId, b.InstanceId);
        });

        public string InstanceId { get; } = instanceId;

        public DateTimeOffset CreatedTime { get; } = createdTime;

        public string Name { get; init; } = string.Empty;

        public string? Owner { get; init; }

        public WorkflowRuntimeStatus Status { get; set; }

        public DateTimeOffset LastUpdatedTime { get; set; }

        public int Generation { get; set; }

        public long Version { get; set; }

        public bool Purged { get; set; }

        public WorkflowSummary ToSummary() => new(InstanceId, Name, Status, CreatedTime, LastUpdatedTime, Owner, Generation);
    }
}
