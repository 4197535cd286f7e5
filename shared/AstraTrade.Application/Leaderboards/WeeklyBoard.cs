using AstraTrade.Domain.Common;

namespace AstraTrade.Application.Leaderboards;

/// <summary>A board for the current ISO week: it starts empty every Monday 00:00 UTC. Not thread-safe.</summary>
public sealed class WeeklyBoard
{
    private readonly RankedBoard _board = new();
    private DateTimeOffset _week = DateTimeOffset.MinValue;

    /// <summary>Adds to a user's score for the week of <paramref name="at"/>; scores of past weeks are ignored.</summary>
    public void Add(Guid userId, long delta, DateTimeOffset at)
    {
        var week = UtcDay.StartOfIsoWeek(at);
        RollTo(week);
        if (week == _week)
        {
            _board.Set(new BoardEntry(userId, (_board.Find(userId)?.Score ?? 0) + delta, at));
        }
    }

    /// <summary>The board of the week containing <paramref name="now"/>: empty if nothing was scored in it yet.</summary>
    public RankedBoard AsOf(DateTimeOffset now)
    {
        RollTo(UtcDay.StartOfIsoWeek(now));
        return _board;
    }

    private void RollTo(DateTimeOffset week)
    {
        if (week > _week)
        {
            _board.Clear();
            _week = week;
        }
    }
}
