using System.Globalization;
using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Application.Tournaments;

/// <summary>
/// Every tournament's state, folded from the feed (in memory, rebuilt at start): the list the API pages through. The
/// tournament streams stay the truth; this may lag them by a batch.
/// </summary>
public sealed class TournamentDirectory(TimeProvider time) : IFeedHandler
{
    public const int MaxPageSize = 100;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (TournamentState State, long Version)> _tournaments = new(StringComparer.Ordinal);

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            if (!StreamIds.TryParseTournament(recorded.StreamId, out var id) || EventTypes.Deserialize(recorded) is not ITournamentEvent e)
            {
                continue;
            }

            lock (_gate)
            {
                var (state, version) = _tournaments.GetValueOrDefault(id, (TournamentState.Initial, 0L));
                if (recorded.Version > version)
                {
                    _tournaments[id] = (Tournament.Evolve(state, e), recorded.Version);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A page of tournaments, soonest start first (then id), optionally only those with <paramref name="status"/> now.</summary>
    public Result<TournamentsPage> List(TournamentStatus? status, string? cursor, int limit)
    {
        if (!TryDecode(cursor, out var after))
        {
            return ApplicationErrors.InvalidCursor();
        }

        var now = time.GetUtcNow();
        List<TournamentState> matching;
        lock (_gate)
        {
            matching = [.. _tournaments.Values
                .Select(t => t.State)
                .Where(s => s.Terms is not null && (status is null || Tournament.StatusAt(s, now) == status))
                .OrderBy(s => s.Terms!.StartsAt)
                .ThenBy(s => s.TournamentId, StringComparer.Ordinal)
                .Where(s => after is null || Key(s).CompareTo(after.Value) > 0)
                .Take(limit + 1)];
        }

        var page = matching.Take(limit).ToList();
        var next = matching.Count > limit ? Encode(Key(page[^1])) : null;
        return new TournamentsPage([.. page.Select(s => TournamentViews.Tournament(s, now))], next);
    }

    private static (long, string) Key(TournamentState s) => (s.Terms!.StartsAt.UtcTicks, s.TournamentId!);

    private static string Encode((long Ticks, string Id) key) =>
        PageCursor.Encode(key.Ticks.ToString(CultureInfo.InvariantCulture) + ":" + key.Id);

    private static bool TryDecode(string? cursor, out (long, string)? key)
    {
        key = null;
        if (cursor is null)
        {
            return true;
        }

        if (!PageCursor.TryDecode(cursor, out var text) || text.IndexOf(':', StringComparison.Ordinal) is not (> 0 and var colon)
            || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }

        key = (ticks, text[(colon + 1)..]);
        return true;
    }
}
