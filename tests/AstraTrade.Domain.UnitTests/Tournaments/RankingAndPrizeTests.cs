using AstraTrade.Domain.Tournaments;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class RankingTests
{
    private static readonly DateTimeOffset T = Start;

    [Fact]
    public void Return_is_the_change_of_equity_over_the_starting_balance()
    {
        Assert.Equal(0.25m, Standings.ReturnOf(125_000m, 100_000m));
        Assert.Equal(-1m, Standings.ReturnOf(0m, 100_000m));
        Assert.Equal(0.00000123m, Standings.ReturnOf(100_000.123m, 100_000m));
    }

    [Fact]
    public void Qualified_entries_rank_by_return_then_earlier_join_then_entry_number()
    {
        TournamentEntry[] entries =
        [
            new("a", 1, T.AddMinutes(5), 0),
            new("z", 2, T.AddMinutes(1), 0),
            new("c", 3, T.AddMinutes(1), 0),
            new("d", 4, T, 0),
            new("e", 5, T, 0),
        ];
        EntryResult[] results = [new("a", 110m, 3), new("z", 110m, 3), new("c", 110m, 3), new("d", 90m, 3), new("e", 500m, 2)];

        var standings = Standings.Rank(entries.Reverse(), results, 100m, 3);

        Assert.Equal(["z", "c", "a", "d", "e"], standings.Select(s => s.UserId));
        Assert.Equal<int?>([1, 2, 3, 4, null], standings.Select(s => s.Rank));
        Assert.Equal([true, true, true, true, false], standings.Select(s => s.Qualified));
    }

    [Fact]
    public void Live_standings_count_an_entry_without_a_result_as_untouched()
    {
        var scenario = Live(3);

        var standings = Standings.Of(scenario.State, [new("user-3", 101_000m, 3), new("someone-else", 999_999m, 9)]);

        Assert.Equal(["user-3", "user-1", "user-2"], standings.Select(s => s.UserId));
        Assert.Equal(new Standing(null, "user-1", 1, Opens.AddMinutes(1), 100_000m, 0m, 0, false), standings[1]);
        Assert.Equal(0.01m, standings[0].Return);
        Assert.Equal(1, standings[0].Rank);
    }

    [Fact]
    public void Live_standings_of_a_tournament_that_does_not_exist_are_empty()
    {
        Assert.Empty(Standings.Of(TournamentState.Initial, [new("user-1", 1m, 1)]));
    }

    [Fact]
    public void The_last_live_result_of_a_user_counts()
    {
        var standings = Standings.Rank([new("a", 1, T, 0)], [new("a", 90m, 1), new("a", 120m, 4)], 100m, 3);

        Assert.Equal((120m, 4, 1), (standings[0].Equity, standings[0].ClosedTrades, standings[0].Rank!.Value));
    }
}

public class PrizeTests
{
    private static readonly PrizeTable Table = TournamentRules.Default.PrizeTable();

    [Theory]
    [InlineData(1_000, 0, new long[0])]
    [InlineData(1_000, 1, new long[] { 1_000 })]
    [InlineData(1_000, 2, new long[] { 625, 375 })]
    [InlineData(1_000, 3, new long[] { 500, 300, 200 })]
    [InlineData(1_000, 50, new long[] { 500, 300, 200 })]
    [InlineData(101, 3, new long[] { 51, 30, 20 })]
    [InlineData(7, 2, new long[] { 5, 2 })]
    [InlineData(1, 3, new long[] { 1, 0, 0 })]
    [InlineData(0, 3, new long[] { 0, 0, 0 })]
    public void The_pool_is_split_over_the_filled_podium_places_in_whole_shards_with_the_remainder_to_first(long pool, int qualified, long[] shares)
    {
        Assert.Equal(shares, Prizes.SplitPool(pool, Table, qualified));
    }

    [Fact]
    public void A_huge_pool_splits_without_overflow()
    {
        const long third = 2_767_011_611_056_432_742; // ⌊(2^63 − 1) × 30 / 100⌋
        Assert.Equal([long.MaxValue - (2 * third), third, third],
            Prizes.SplitPool(long.MaxValue, Table with { FirstPercent = 40, SecondPercent = 30, ThirdPercent = 30 }, 3));
    }

    [Theory]
    [InlineData(1, new long[] { 1_000 })]
    [InlineData(2, new long[] { 1_000, 500 })]
    [InlineData(3, new long[] { 1_000, 500, 250 })]
    [InlineData(9, new long[] { 1_000, 500, 250, 100, 100, 100, 100, 100, 100 })]
    [InlineData(10, new long[] { 1_000, 500, 250, 100, 100, 100, 100, 100, 100, 100 })]
    [InlineData(11, new long[] { 1_000, 500, 250, 100, 100, 100, 100, 100, 100, 100, 100 })]
    public void Xp_follows_the_bands(int qualified, long[] xp)
    {
        Assert.Equal(xp, Enumerable.Range(1, qualified).Select(rank => Prizes.XpFor(rank, qualified, Table)));
    }

    [Theory]
    [InlineData(25, 0)]
    [InlineData(39, 0)]
    [InlineData(40, 1)]
    [InlineData(49, 1)]
    [InlineData(50, 2)]
    [InlineData(100, 7)]
    public void Below_the_podium_the_top_ten_percent_earn_150_and_the_rest_100(int qualified, int topBand)
    {
        var xp = Enumerable.Range(1, qualified).Select(rank => Prizes.XpFor(rank, qualified, Table)).ToList();

        Assert.Equal([1_000, 500, 250], xp.Take(3));
        Assert.Equal(Enumerable.Repeat(150L, topBand), xp.Skip(3).Take(topBand));
        Assert.All(xp.Skip(3 + topBand), x => Assert.Equal(100, x));
    }

    [Fact]
    public void Rank_r_is_in_the_top_band_exactly_when_r_is_at_most_ten_percent_of_n()
    {
        Assert.True(Prizes.InTopBand(10, 100, 10));
        Assert.False(Prizes.InTopBand(11, 100, 10));
        Assert.True(Prizes.InTopBand(4, 40, 10));
        Assert.False(Prizes.InTopBand(4, 39, 10));
    }

    [Fact]
    public void Finalizing_25_qualified_entries_awards_every_one_of_them_once_by_band()
    {
        var scenario = Live(26, entryFee: 4);

        scenario.Finalize([.. Enumerable.Range(1, 26).Select(i => (i, 100_000m + i, i == 26 ? 2 : 3))]);

        var prizes = scenario.History.OfType<PrizeAwarded>().ToList();
        Assert.Equal(25, prizes.Count);
        Assert.Equal(Enumerable.Range(1, 25), prizes.Select(p => p.Rank));
        Assert.Equal(Enumerable.Range(1, 25).Select(i => User(26 - i)), prizes.Select(p => p.UserId));
        Assert.Equal([1_000, 500, 250, .. Enumerable.Repeat(100L, 22)], prizes.Select(p => p.Xp));
        Assert.Equal([53, 31, 20, .. Enumerable.Repeat(0L, 22)], prizes.Select(p => p.Shards));
    }

    [Theory]
    [InlineData(1, new long[] { 300 })]
    [InlineData(2, new long[] { 188, 112 })]
    [InlineData(3, new long[] { 150, 90, 60 })]
    [InlineData(5, new long[] { 150, 90, 60, 0, 0 })]
    public void Finalize_pays_the_split_with_one_two_three_or_many_qualified(int qualified, long[] shards)
    {
        var scenario = Live(5, entryFee: 60);

        scenario.Finalize([.. Enumerable.Range(1, 5).Select(i => (i, 100_000m - i, i <= qualified ? 3 : 0))]);

        Assert.Equal(shards, scenario.History.OfType<PrizeAwarded>().Select(p => p.Shards));
        Assert.Equal(300, scenario.State.ShardsAwarded);
        Assert.Equal(0, scenario.State.ShardsReturned);
    }
}
