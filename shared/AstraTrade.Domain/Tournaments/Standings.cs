namespace AstraTrade.Domain.Tournaments;

/// <summary>One line of the standings. <see cref="Rank"/> is 1..n over qualified entries, null for the others.</summary>
public sealed record Standing(
    int? Rank,
    string UserId,
    int EntryNumber,
    DateTimeOffset JoinedAt,
    decimal Equity,
    decimal Return,
    int ClosedTrades,
    bool Qualified);

/// <summary>
/// Ranking (DOMAIN.md §3), one pure function for live and final standings alike. Score = return = (equity − starting
/// balance) / starting balance. Qualified entries (≥ <see cref="TournamentTerms.MinClosedTrades"/> closed trades) rank
/// 1..n without gaps by return, highest first; equal returns: the earlier entry (join time, then entry number, which
/// is unique) ranks higher, so the order is total and ranks never tie. Unqualified entries follow, unranked, in the
/// same order.
/// </summary>
public static class Standings
{
    public static decimal ReturnOf(decimal equity, decimal startingBalance) => (equity - startingBalance) / startingBalance;

    /// <summary>Standings of <paramref name="entries"/>; an entry without a result counts as untouched (starting
    /// balance, no closed trades). Results of users without an entry are ignored; of two results for one user the last counts.</summary>
    public static IReadOnlyList<Standing> Rank(
        IEnumerable<TournamentEntry> entries,
        IEnumerable<EntryResult> results,
        decimal startingBalance,
        int minClosedTrades)
    {
        var byUser = new Dictionary<string, EntryResult>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            byUser[result.UserId] = result;
        }

        var lines = entries
            .Select(entry =>
            {
                var result = byUser.GetValueOrDefault(entry.UserId);
                var equity = result?.Equity ?? startingBalance;
                var trades = result?.ClosedTrades ?? 0;
                return new Standing(null, entry.UserId, entry.EntryNumber, entry.JoinedAt, equity, ReturnOf(equity, startingBalance), trades, trades >= minClosedTrades);
            })
            .OrderByDescending(s => s.Qualified)
            .ThenByDescending(s => s.Return)
            .ThenBy(s => s.JoinedAt)
            .ThenBy(s => s.EntryNumber)
            .ToList();

        for (var i = 0; i < lines.Count && lines[i].Qualified; i++)
        {
            lines[i] = lines[i] with { Rank = i + 1 };
        }

        return lines;
    }

    /// <summary>
    /// The standings to show for <paramref name="state"/>: live from <paramref name="current"/> results (equity at the
    /// current marks, closed trades so far) until the tournament is finalized; from then on the frozen final standings,
    /// whatever <paramref name="current"/> says.
    /// </summary>
    public static IReadOnlyList<Standing> Of(TournamentState state, IEnumerable<EntryResult> current)
    {
        if (state.Terms is null)
        {
            return [];
        }

        return state.Status == TournamentStatus.Completed
            ? state.FinalStandings
            : Rank(state.Entries.Values, current, state.Terms.StartingBalance, state.Terms.MinClosedTrades);
    }
}

/// <summary>One qualified entry's prize.</summary>
public sealed record PrizeAllocation(int Rank, string UserId, long Shards, long Xp);

/// <summary>
/// Prizes (DOMAIN.md §3) as pure functions of the ranking.
/// <list type="bullet">
/// <item>Stellar Shards: the pool is split over the podium places that are filled, in the table's proportions:
/// 50/30/20 with three or more qualified entries; with two, 50:30 renormalised (62.5 % / 37.5 %); with one, all of
/// it. Each share is rounded down to whole SS and what rounding leaves goes to rank 1, so the shares add up to the
/// pool exactly. With no qualified entry nothing is awarded (the decider refunds fees and returns the sponsor amount).</item>
/// <item>XP: ranks 1, 2, 3 get the podium XP; a lower rank r gets the top-band XP when r is within the top 10 % of
/// the n qualified entries, i.e. r × 100 ≤ 10 × n (so the band below the podium needs n ≥ 40); every other
/// qualified entry gets the qualified XP. Unqualified entries get nothing.</item>
/// </list>
/// </summary>
public static class Prizes
{
    /// <summary>The shares of ranks 1..min(3, <paramref name="qualified"/>); they add up to <paramref name="pool"/>
    /// (empty when nobody qualified).</summary>
    public static IReadOnlyList<long> SplitPool(long pool, PrizeTable table, int qualified)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pool);
        long[] weights = [table.FirstPercent, table.SecondPercent, table.ThirdPercent];
        var places = Math.Clamp(qualified, 0, weights.Length);
        if (places == 0)
        {
            return [];
        }

        var total = weights.Take(places).Sum();
        var shares = weights.Take(places).Select(w => (long)((Int128)pool * w / total)).ToArray();
        shares[0] += pool - shares.Sum();
        return shares;
    }

    public static bool InTopBand(int rank, int qualified, int topBandPercent) => (long)rank * 100 <= (long)topBandPercent * qualified;

    public static long XpFor(int rank, int qualified, PrizeTable table) => rank switch
    {
        1 => table.FirstXp,
        2 => table.SecondXp,
        3 => table.ThirdXp,
        _ when InTopBand(rank, qualified, table.TopBandPercent) => table.TopBandXp,
        _ => table.QualifiedXp,
    };

    /// <summary>One allocation per ranked line of <paramref name="standings"/>, in rank order.</summary>
    public static IReadOnlyList<PrizeAllocation> Allocate(IReadOnlyList<Standing> standings, long pool, PrizeTable table)
    {
        var ranked = standings.Where(s => s.Rank is not null).OrderBy(s => s.Rank).ToList();
        var shares = SplitPool(pool, table, ranked.Count);
        return
        [
            .. ranked.Select((s, i) => new PrizeAllocation(
                s.Rank!.Value,
                s.UserId,
                i < shares.Count ? shares[i] : 0,
                XpFor(s.Rank!.Value, ranked.Count, table))),
        ];
    }
}
