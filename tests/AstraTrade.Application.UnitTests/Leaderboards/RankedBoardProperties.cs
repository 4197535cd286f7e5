using AstraTrade.Application.Leaderboards;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Application.UnitTests.Leaderboards;

/// <summary>The board's order against the obvious reference: sort all current entries by DOMAIN.md §2's rule.</summary>
public class RankedBoardProperties
{
    private static readonly Guid[] Users = [.. Enumerable.Range(1, 40).Select(i => new Guid(i, 0, 0, new byte[8]))];

    [Fact]
    public void Ranks_follow_score_then_who_reached_it_first_after_any_updates()
    {
        var updates =
            from user in Gen.Choose(0, Users.Length - 1)
            from score in Gen.Choose(0, 50) // few distinct scores, so ties are common
            from second in Gen.Choose(0, 30)
            select (User: Users[user], Score: (long)score, At: DateTimeOffset.UnixEpoch.AddSeconds(second));

        Prop.ForAll(Gen.ListOf(updates).Resize(200).ToArbitrary(), list =>
        {
            var board = new RankedBoard();
            var latest = new Dictionary<Guid, BoardEntry>();
            foreach (var (user, score, at) in list)
            {
                var entry = new BoardEntry(user, score, at);
                board.Set(entry);
                latest[user] = entry;
            }

            var expected = latest.Values
                .OrderByDescending(e => e.Score).ThenBy(e => e.ReachedAt).ThenBy(e => e.UserId)
                .ToList();

            Assert.Equal(expected.Count, board.Count);
            Assert.Equal(expected, board.Range(1, expected.Count).Select(x => x.Entry));
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(i + 1, board.RankOf(expected[i].UserId));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Equal_scores_rank_whoever_reached_the_score_first_higher()
    {
        var board = new RankedBoard();
        var early = Guid.NewGuid();
        var late = Guid.NewGuid();
        board.Set(new BoardEntry(late, 500, DateTimeOffset.UnixEpoch.AddMinutes(2)));
        board.Set(new BoardEntry(early, 500, DateTimeOffset.UnixEpoch.AddMinutes(1)));

        Assert.Equal(1, board.RankOf(early));
        Assert.Equal(2, board.RankOf(late));
    }

    [Fact]
    public void Ranges_past_the_end_are_cut_and_unknown_users_have_no_rank()
    {
        var board = new RankedBoard();
        board.Set(new BoardEntry(Users[0], 1, DateTimeOffset.UnixEpoch));

        Assert.Single(board.Range(-3, 10));
        Assert.Empty(board.Range(2, 10));
        Assert.Null(board.RankOf(Users[1]));
    }
}
