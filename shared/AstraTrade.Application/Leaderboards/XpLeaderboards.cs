using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Leaderboards;

/// <summary>
/// The XP leaderboards (DOMAIN.md §2) as a projection of the feed: every <see cref="XpAwarded"/> adds to the user's
/// all-time score and, within its ISO week, to the weekly one, which starts empty every Monday 00:00 UTC.
/// Kept in memory and rebuilt from the feed on start; replaying events rebuilds the same order because ties are
/// broken by the time of the award, not by when the projection saw it.
/// </summary>
public sealed class XpLeaderboards(TimeProvider time) : IFeedHandler
{
    public const string XpAllTime = "xp-all-time";
    public const string XpWeekly = "xp-weekly";
    public const string PnlWeekly = "pnl-weekly";
    public const int MaxTop = 100;
    public const int MaxAround = 50;

    private static readonly string Awarded = EventTypes.NameOf<XpAwarded>();
    private static readonly string Registered = EventTypes.NameOf<UserRegistered>();

    private readonly Lock _gate = new();
    private readonly RankedBoard _allTime = new();
    private readonly RankedBoard _weekly = new();
    private readonly Dictionary<Guid, string> _usernames = [];

    // Delivery is at least once: an award is counted only if its stream version is past the last one counted.
    private readonly Dictionary<Guid, long> _appliedVersions = [];
    private DateTimeOffset _week = DateTimeOffset.MinValue;

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var recorded in batch)
            {
                // Only awards and registrations matter here; every other event is skipped by name, undeserialized.
                if (recorded.Type != Awarded && recorded.Type != Registered)
                {
                    continue;
                }

                if (StreamIds.TryParseProgression(recorded.StreamId, out var userId))
                {
                    if (recorded.Version <= _appliedVersions.GetValueOrDefault(userId))
                    {
                        continue;
                    }

                    _appliedVersions[userId] = recorded.Version;
                    if (EventTypes.Deserialize(recorded) is XpAwarded { Amount: > 0 } award)
                    {
                        Add(_allTime, userId, award);
                        var week = UtcDay.StartOfIsoWeek(award.At);
                        if (week > _week)
                        {
                            _weekly.Clear();
                            _week = week;
                        }

                        if (week == _week)
                        {
                            Add(_weekly, userId, award);
                        }
                    }
                }
                else if (StreamIds.TryParseUser(recorded.StreamId, out _) && EventTypes.Deserialize(recorded) is UserRegistered registered)
                {
                    _usernames[registered.UserId] = registered.Username;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public Result<LeaderboardResponse> Top(string board, int top)
    {
        lock (_gate)
        {
            if (Board(board) is not var (ranked, periodStart))
            {
                return Unknown(board);
            }

            return new LeaderboardResponse(board, periodStart, ranked.Count, [.. ranked.Range(1, top).Select(View)]);
        }
    }

    public Result<LeaderboardAroundResponse> Around(string board, Guid userId, int around)
    {
        lock (_gate)
        {
            if (Board(board) is not var (ranked, periodStart))
            {
                return Unknown(board);
            }

            if (ranked.RankOf(userId) is not { } rank)
            {
                return new LeaderboardAroundResponse(board, periodStart, ranked.Count, null, []);
            }

            var neighbours = ranked.Range(rank - around, (2 * around) + 1).Select(View).ToList();
            return new LeaderboardAroundResponse(board, periodStart, ranked.Count, neighbours.Single(e => e.UserId == userId), neighbours);
        }
    }

    private (RankedBoard Board, DateTimeOffset? PeriodStart)? Board(string board) => board switch
    {
        XpAllTime => (_allTime, null),
        XpWeekly => (CurrentWeek(), UtcDay.StartOfIsoWeek(time.GetUtcNow())),
        _ => null,
    };

    // A week with no awards yet still has to read as empty, not as last week's board.
    private RankedBoard CurrentWeek()
    {
        var week = UtcDay.StartOfIsoWeek(time.GetUtcNow());
        if (week > _week)
        {
            _weekly.Clear();
            _week = week;
        }

        return _weekly;
    }

    private static void Add(RankedBoard board, Guid userId, XpAwarded award) =>
        board.Set(new BoardEntry(userId, (board.Find(userId)?.Score ?? 0) + award.Amount, award.At));

    private LeaderboardEntryResponse View((int Rank, BoardEntry Entry) x) =>
        new(x.Rank, x.Entry.UserId, _usernames.GetValueOrDefault(x.Entry.UserId, "unknown"), x.Entry.Score);

    private static DomainError Unknown(string board) => board == PnlWeekly
        ? new DomainError("not-implemented", "The pnl-weekly board is not built yet (it comes with tournaments).")
        : ApplicationErrors.UnknownLeaderboard(board);
}
