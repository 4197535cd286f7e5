using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Leaderboards;

/// <summary>
/// The leaderboards of DOMAIN.md §2 as one projection of the feed:
/// <list type="bullet">
/// <item><c>xp-all-time</c> and <c>xp-weekly</c>: the sum of a user's <see cref="XpAwarded"/> (all time / this ISO week);</item>
/// <item><c>pnl-weekly</c>: realized practice PnL this ISO week (closes, resets and liquidations: side × q × (exit −
/// entry), fees not included, as DOMAIN.md §1 defines PnL), ranked in micro-dollars.</item>
/// </list>
/// Ties rank whoever reached the score first (the time of the event that brought it). In memory, rebuilt from the feed
/// on start; delivery is at least once, so an event counts only if its stream version is past the last one counted.
/// </summary>
public sealed class LeaderboardProjection(TimeProvider time) : IFeedHandler
{
    public const string XpAllTime = "xp-all-time";
    public const string XpWeekly = "xp-weekly";
    public const string PnlWeekly = "pnl-weekly";
    public const int MaxTop = 100;
    public const int MaxAround = 50;
    private const decimal MicroDollars = 1_000_000m;

    private static readonly HashSet<string> Relevant =
    [
        EventTypes.NameOf<XpAwarded>(),
        EventTypes.NameOf<UserRegistered>(),
        EventTypes.NameOf<PositionClosed>(),
        EventTypes.NameOf<PositionLiquidated>(),
    ];

    private readonly Lock _gate = new();
    private readonly RankedBoard _xpAllTime = new();
    private readonly WeeklyBoard _xpWeekly = new();
    private readonly WeeklyBoard _pnlWeekly = new();
    private readonly Dictionary<Guid, string> _usernames = [];
    private readonly Dictionary<string, long> _appliedVersions = new(StringComparer.Ordinal);

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var recorded in batch)
            {
                // Most events matter to no board; they are skipped by type name, never deserialized.
                if (!Relevant.Contains(recorded.Type) || recorded.Version <= _appliedVersions.GetValueOrDefault(recorded.StreamId))
                {
                    continue;
                }

                _appliedVersions[recorded.StreamId] = recorded.Version;
                Apply(recorded);
            }
        }

        return ValueTask.CompletedTask;
    }

    public Result<LeaderboardResponse> Top(string board, int top)
    {
        lock (_gate)
        {
            if (Board(board) is not var (ranked, periodStart, unit))
            {
                return Unknown(board);
            }

            return new LeaderboardResponse(board, periodStart, ranked.Count, [.. ranked.Range(1, top).Select(x => View(x, unit))]);
        }
    }

    public Result<LeaderboardAroundResponse> Around(string board, Guid userId, int around)
    {
        lock (_gate)
        {
            if (Board(board) is not var (ranked, periodStart, unit))
            {
                return Unknown(board);
            }

            if (ranked.RankOf(userId) is not { } rank)
            {
                return new LeaderboardAroundResponse(board, periodStart, ranked.Count, null, []);
            }

            var neighbours = ranked.Range(rank - around, (2 * around) + 1).Select(x => View(x, unit)).ToList();
            return new LeaderboardAroundResponse(board, periodStart, ranked.Count, neighbours.Single(e => e.UserId == userId), neighbours);
        }
    }

    private void Apply(RecordedEvent recorded)
    {
        switch (EventTypes.Deserialize(recorded))
        {
            case XpAwarded { Amount: > 0 } award when StreamIds.TryParseProgression(recorded.StreamId, out var userId):
                _xpAllTime.Set(new BoardEntry(userId, (_xpAllTime.Find(userId)?.Score ?? 0) + award.Amount, award.At));
                _xpWeekly.Add(userId, award.Amount, award.At);
                break;
            case PositionClosed closed when IsPractice(recorded.StreamId, out var userId):
                _pnlWeekly.Add(userId, ToMicros(closed.RealizedPnl), closed.At);
                break;
            case PositionLiquidated liquidated when IsPractice(recorded.StreamId, out var userId):
                _pnlWeekly.Add(userId, ToMicros(liquidated.PnlAtLiquidationPrice), liquidated.At);
                break;
            case UserRegistered registered:
                _usernames[registered.UserId] = registered.Username;
                break;
        }
    }

    private (RankedBoard Board, DateTimeOffset? PeriodStart, decimal Unit)? Board(string board)
    {
        var now = time.GetUtcNow();
        return board switch
        {
            XpAllTime => (_xpAllTime, null, 1m),
            XpWeekly => (_xpWeekly.AsOf(now), UtcDay.StartOfIsoWeek(now), 1m),
            PnlWeekly => (_pnlWeekly.AsOf(now), UtcDay.StartOfIsoWeek(now), MicroDollars),
            _ => null,
        };
    }

    private static bool IsPractice(string streamId, out Guid userId) =>
        StreamIds.TryParseAccount(streamId, out userId, out var kind) && kind == AccountKind.Practice;

    // Realized PnL is quantised to micro-dollars when booked, so this is exact.
    private static long ToMicros(decimal usd) => (long)(usd * MicroDollars);

    private LeaderboardEntryResponse View((int Rank, BoardEntry Entry) x, decimal unit) =>
        new(x.Rank, x.Entry.UserId, _usernames.GetValueOrDefault(x.Entry.UserId, "unknown"), Money.Normalize(x.Entry.Score / unit));

    private static DomainError Unknown(string board) => ApplicationErrors.UnknownLeaderboard(board);
}
