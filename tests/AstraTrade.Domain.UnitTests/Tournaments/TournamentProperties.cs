using AstraTrade.Domain.Tournaments;
using FsCheck;
using FsCheck.Fluent;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

/// <summary>Properties of ranking, prizes and the tournament decider over random inputs and random command histories.</summary>
public class TournamentProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300);
    private static readonly PrizeTable Table = TournamentRules.Default.PrizeTable();

    // ---- ranking -------------------------------------------------------------------------------------------------

    private sealed record Line(int ReturnStep, int JoinMinute, int Trades);

    /// <summary>Few distinct returns and join times, so ties are common.</summary>
    private static readonly Gen<Line[]> Lines = Gen.ArrayOf(
            from returnStep in Gen.Choose(-4, 4)
            from joinMinute in Gen.Choose(0, 4)
            from trades in Gen.Choose(0, 5)
            select new Line(returnStep, joinMinute, trades))
        .Resize(40);

    private static (TournamentEntry[] Entries, EntryResult[] Results) Field(Line[] lines) =>
    (
        [.. lines.Select((l, i) => new TournamentEntry($"u{99 - i:D2}", i + 1, Start.AddMinutes(l.JoinMinute), 0))],
        [.. lines.Select((l, i) => new EntryResult($"u{99 - i:D2}", 100_000m + (l.ReturnStep * 1_000m), l.Trades))]
    );

    [Fact]
    public void Ranking_is_a_permutation_sorted_by_return_then_entry_time_with_ranks_1_to_n()
    {
        var cases =
            from lines in Lines
            from order in Gen.Shuffle(Enumerable.Range(0, lines.Length).ToArray())
            select (lines, order);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var (entries, results) = Field(c.lines);
            var standings = Standings.Rank(c.order.Select(i => entries[i]), c.order.Reverse().Select(i => results[i]), 100_000m, 3);

            // A permutation of the entries, whatever order they came in.
            Assert.Equal(entries.Select(e => e.UserId).Order(StringComparer.Ordinal), standings.Select(s => s.UserId).Order(StringComparer.Ordinal));
            Assert.Equal(
                standings.Select(s => s.UserId),
                Standings.Rank(entries, results, 100_000m, 3).Select(s => s.UserId));

            // Qualified exactly with ≥ 3 closed trades; qualified first, ranked 1..q without gaps; the rest unranked.
            Assert.All(standings, s => Assert.Equal(s.ClosedTrades >= 3, s.Qualified));
            var qualified = standings.TakeWhile(s => s.Qualified).ToList();
            Assert.Equal(standings.Count(s => s.Qualified), qualified.Count);
            Assert.Equal(Enumerable.Range(1, qualified.Count), qualified.Select(s => s.Rank!.Value));
            Assert.All(standings.Skip(qualified.Count), s => Assert.Null(s.Rank));

            // Strictly ordered within each group: return desc, then join time asc, then entry number asc.
            foreach (var group in new[] { qualified, standings.Skip(qualified.Count).ToList() })
            {
                foreach (var (a, b) in group.Zip(group.Skip(1)))
                {
                    Assert.True(
                        a.Return > b.Return
                        || (a.Return == b.Return && a.JoinedAt < b.JoinedAt)
                        || (a.Return == b.Return && a.JoinedAt == b.JoinedAt && a.EntryNumber < b.EntryNumber),
                        $"{a} before {b}");
                }
            }

            // Each line reports its own entry's numbers.
            Assert.All(standings, s =>
            {
                var i = 99 - int.Parse(s.UserId[1..], System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(results[i].Equity, s.Equity);
                Assert.Equal(Standings.ReturnOf(results[i].Equity, 100_000m), s.Return);
                Assert.Equal(entries[i].JoinedAt, s.JoinedAt);
            });
        }).Check(Runs);
    }

    // ---- prizes --------------------------------------------------------------------------------------------------

    [Fact]
    public void The_pool_split_conserves_every_shard_and_never_pays_more()
    {
        var tables =
            from first in Gen.Choose(1, 100)
            from second in Gen.Choose(0, 100 - first)
            select Table with { FirstPercent = first, SecondPercent = second, ThirdPercent = 100 - first - second };
        var cases =
            from table in Gen.Frequency((1, Gen.Constant(Table)), (2, tables))
            from pool in Gen.Frequency((3, Gen.Choose(0, 10_000).Select(p => (long)p)), (1, Gen.Choose(0, int.MaxValue).Select(p => (long)p * 4_000_000_000L)))
            from qualified in Gen.Choose(0, 60)
            select (table, pool, qualified);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var shares = Prizes.SplitPool(c.pool, c.table, c.qualified);

            Assert.Equal(Math.Min(c.qualified, 3), shares.Count);
            Assert.All(shares, s => Assert.InRange(s, 0, c.pool));
            Assert.Equal(c.qualified == 0 ? 0 : c.pool, shares.Sum());
            if (c.table == Table)
            {
                Assert.Equal(shares.OrderDescending(), shares); // 50 ≥ 30 ≥ 20 keeps the podium in order
            }
        }).Check(Runs);
    }

    [Fact]
    public void Every_qualified_rank_gets_the_xp_of_its_band()
    {
        Prop.ForAll(Gen.Choose(1, 500).ToArbitrary(), n =>
        {
            var xp = Enumerable.Range(1, n).Select(rank => Prizes.XpFor(rank, n, Table)).ToList();
            var topBand = Math.Max(0, Math.Min(n, n / 10) - 3); // ranks 4..⌊n/10⌋

            Assert.Equal(new long[] { 1_000, 500, 250 }.Take(n), xp.Take(3));
            Assert.Equal(topBand, xp.Skip(3).Count(x => x == 150));
            Assert.All(xp.Skip(3).Take(topBand), x => Assert.Equal(150, x));
            Assert.All(xp.Skip(3 + topBand), x => Assert.Equal(100, x));
        }).Check(Runs);
    }

    // ---- random histories ----------------------------------------------------------------------------------------

    private enum StepKind
    {
        Join,
        Open,
        Start,
        End,
        Advance,
        Cancel,
        Finalize,
        CreateAgain,
    }

    private enum ResultsKind
    {
        Valid,
        MissingOne,
        UnknownUser,
        Duplicate,
    }

    private sealed record Step(
        StepKind Kind,
        int Minutes,
        int User,
        bool Suspended,
        bool ByAdmin,
        ResultsKind Results,
        int[] ReturnSteps,
        int[] Trades);

    private sealed record Setup(long EntryFee, long Sponsor, int? MaxEntries, int DurationHours, int CreatedHoursBefore);

    private const int Users = 12;

    private static readonly Gen<Setup> SetupGen =
        from fee in Gen.Frequency((1, Gen.Constant(0)), (1, Gen.Constant(1)), (3, Gen.Choose(2, 100)))
        from sponsor in Gen.Frequency((1, Gen.Constant(0)), (2, Gen.Choose(1, 1_000)))
        from max in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(3, 8).Select(m => (int?)m)))
        from duration in Gen.Choose(1, 48)
        from before in Gen.Choose(1, 40)
        select new Setup(fee, sponsor, max, duration, before);

    private static readonly Gen<Step> StepGen =
        from kind in Gen.Frequency(
            (50, Gen.Constant(StepKind.Join)),
            (4, Gen.Constant(StepKind.Open)),
            (8, Gen.Constant(StepKind.Start)),
            (4, Gen.Constant(StepKind.End)),
            (8, Gen.Constant(StepKind.Advance)),
            (1, Gen.Constant(StepKind.Cancel)),
            (20, Gen.Constant(StepKind.Finalize)),
            (4, Gen.Constant(StepKind.CreateAgain)))
        from minutes in Gen.Frequency((8, Gen.Choose(0, 90)), (1, Gen.Choose(0, 12 * 60)))
        from user in Gen.Choose(1, Users)
        from suspended in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from byAdmin in Gen.Frequency((1, Gen.Constant(false)), (3, Gen.Constant(true)))
        from results in Gen.Frequency(
            (6, Gen.Constant(ResultsKind.Valid)),
            (1, Gen.Constant(ResultsKind.MissingOne)),
            (1, Gen.Constant(ResultsKind.UnknownUser)),
            (1, Gen.Constant(ResultsKind.Duplicate)))
        from returns in Gen.ArrayOf(Gen.Choose(-3, 3), Users + 1)
        from trades in Gen.ArrayOf(Gen.Choose(0, 5), Users + 1)
        select new Step(kind, minutes, user, suspended, byAdmin, results, returns, trades);

    private static readonly Arbitrary<(Setup, Step[])> Histories =
        (from setup in SetupGen from steps in Gen.ArrayOf(StepGen).Resize(80) select (setup, steps)).ToArbitrary();

    private sealed record Run(TournamentScenario Scenario, List<(TournamentState Before, TournamentCommand Command, IReadOnlyList<ITournamentEvent> Events)> Accepted);

    private static Run Play(Setup setup, Step[] steps)
    {
        var scenario = new TournamentScenario();
        var create = Create(setup.EntryFee, setup.Sponsor, setup.MaxEntries) with
        {
            EndsAt = Start.AddHours(setup.DurationHours),
            Now = Start.AddHours(-setup.CreatedHoursBefore),
        };
        var accepted = new List<(TournamentState, TournamentCommand, IReadOnlyList<ITournamentEvent>)>
        {
            (scenario.State, create, scenario.Execute(create)),
        };
        var now = create.Now;
        foreach (var step in steps)
        {
            now = now.AddMinutes(step.Minutes);
            TournamentCommand command = step.Kind switch
            {
                StepKind.Join => new JoinTournament(User(step.User), step.Suspended, now),
                StepKind.Open => new OpenRegistration(now),
                StepKind.Start => new StartTournament(now),
                StepKind.End => new EndTournament(now),
                StepKind.Advance => new AdvanceTournament(now),
                StepKind.Cancel => new CancelTournament(step.ByAdmin ? Admin : Player, "because", now),
                StepKind.Finalize => new FinalizeTournament(ResultsFor(scenario.State, step), now),
                _ => create with { Now = now, Name = step.ByAdmin ? create.Name : "Another Cup" },
            };
            var before = scenario.State;
            var decision = scenario.Try(command);
            if (!decision.IsRejected)
            {
                accepted.Add((before, command, decision.Events));
            }
        }

        return new Run(scenario, accepted);
    }

    private static List<EntryResult> ResultsFor(TournamentState state, Step step)
    {
        var results = state.Entries.Values
            .Select(e => new EntryResult(e.UserId, 100_000m + (step.ReturnSteps[e.EntryNumber % step.ReturnSteps.Length] * 1_000m), step.Trades[e.EntryNumber % step.Trades.Length]))
            .ToList();
        switch (step.Results)
        {
            case ResultsKind.MissingOne when results.Count > 0:
                results.RemoveAt(step.User % results.Count);
                break;
            case ResultsKind.UnknownUser:
                results.Add(new EntryResult("stranger", 100_000m, 3));
                break;
            case ResultsKind.Duplicate when results.Count > 0:
                results.Add(results[step.User % results.Count]);
                break;
        }

        return results;
    }

    [Fact]
    public void Shards_are_conserved_prizes_plus_refunds_equal_the_pool_and_never_exceed_it()
    {
        Prop.ForAll(Histories, h =>
        {
            var (setup, steps) = h;
            var run = Play(setup, steps);
            var state = TournamentState.Initial;
            foreach (var e in run.Scenario.History)
            {
                state = Tournament.Evolve(state, e);
                var pool = run.Scenario.History.TakeWhile(x => !ReferenceEquals(x, e)).Append(e).OfType<EntryJoined>().Sum(j => j.EntryFee) + setup.Sponsor;
                var paid = state.ShardsAwarded + state.ShardsReturned;
                Assert.Equal(pool, state.Pool);
                Assert.True(paid <= pool, $"paid {paid} of a pool of {pool}");
                Assert.True(!state.IsClosed || paid == pool, $"closed with {paid} of {pool} paid");
            }

            var final = run.Scenario.State;
            var history = run.Scenario.History;
            Assert.Equal(final.ShardsAwarded, history.OfType<PrizeAwarded>().Sum(p => p.Shards));
            Assert.Equal(final.ShardsReturned, history.OfType<EntryFeeRefunded>().Sum(r => r.Amount) + history.OfType<SponsorAmountReturned>().Sum(r => r.Amount));
            Assert.All(history.OfType<EntryFeeRefunded>(), r => Assert.Equal(final.Entries[r.UserId].EntryFee, r.Amount));
            Assert.Equal(history.OfType<EntryFeeRefunded>().Count(), history.OfType<EntryFeeRefunded>().Select(r => r.UserId).Distinct().Count());
            Assert.True(history.OfType<PrizeAwarded>().Any() == false || history.OfType<EntryFeeRefunded>().Any() == false, "both prizes and refunds");
        }).Check(Runs);
    }

    [Fact]
    public void A_tournament_closes_at_most_once_and_nothing_happens_after()
    {
        Prop.ForAll(Histories, h =>
        {
            var (setup, steps) = h;
            var run = Play(setup, steps);
            var history = run.Scenario.History;

            Assert.True(history.OfType<TournamentCompleted>().Count() + history.OfType<TournamentCancelled>().Count() <= 1);
            Assert.Single(history.OfType<TournamentCreated>());
            Assert.True(history.OfType<TournamentStarted>().Count() <= 1);
            Assert.True(history.OfType<TournamentEnded>().Count() <= 1);
            Assert.True(history.OfType<ChampionDeclared>().Count() <= 1);
            Assert.All(run.Accepted, a => Assert.True(!a.Before.IsClosed || a.Events.Count == 0, $"{a.Command} after close"));

            // The lifecycle only moves forward.
            foreach (var (before, _, events) in run.Accepted)
            {
                var after = Tournament.Fold(before, events);
                Assert.True(Order(after.Status) >= Order(before.Status), $"{before.Status} → {after.Status}");
            }

            if (run.Scenario.State.Cancellation == CancellationReason.NotEnoughPlayers)
            {
                Assert.True(run.Scenario.State.Entries.Count < 3);
                Assert.Null(run.Scenario.State.StartedAt);
            }
        }).Check(Runs);
    }

    [Fact]
    public void Joins_respect_the_window_one_entry_per_user_and_the_cap()
    {
        Prop.ForAll(Histories, h =>
        {
            var (setup, steps) = h;
            var run = Play(setup, steps);
            var terms = run.Scenario.State.Terms!;
            var joins = run.Scenario.History.OfType<EntryJoined>().ToList();

            Assert.Equal(joins.Count, joins.Select(j => j.UserId).Distinct().Count());
            Assert.Equal(Enumerable.Range(1, joins.Count), joins.Select(j => j.EntryNumber));
            Assert.True(joins.Count <= (setup.MaxEntries ?? int.MaxValue));
            Assert.All(joins, j => Assert.InRange(j.At, terms.RegistrationOpensAt, terms.JoinClosesAt));
            Assert.All(joins, j => Assert.True(j.At < terms.EndsAt));
            Assert.All(joins, j => Assert.Equal((setup.EntryFee, 100_000m), (j.EntryFee, j.StartingBalance)));
            Assert.All(
                run.Accepted.Where(a => a.Command is JoinTournament { Suspended: true }),
                a => Assert.Empty(a.Events.OfType<EntryJoined>()));

            // Nobody joins a tournament that was due to be cancelled at its start.
            var started = run.Scenario.History.OfType<TournamentStarted>().SingleOrDefault();
            Assert.All(joins.Where(j => j.At >= terms.StartsAt), j => Assert.NotNull(started));
        }).Check(Runs);
    }

    [Fact]
    public void Every_qualified_entry_gets_exactly_one_prize_by_band_and_nobody_else_gets_any()
    {
        Prop.ForAll(Histories, h =>
        {
            var (setup, steps) = h;
            var run = Play(setup, steps);
            var state = run.Scenario.State;
            var prizes = run.Scenario.History.OfType<PrizeAwarded>().ToList();
            if (state.Status != TournamentStatus.Completed)
            {
                Assert.Empty(prizes);
                return;
            }

            var scored = run.Scenario.History.OfType<EntryScored>().ToList();
            var qualified = scored.Where(s => s.Qualified).ToList();
            Assert.Equal(state.Entries.Keys.Order(StringComparer.Ordinal), scored.Select(s => s.UserId).Order(StringComparer.Ordinal));
            Assert.Equal(qualified.Select(s => (s.UserId, s.Rank!.Value)), prizes.Select(p => (p.UserId, p.Rank)));
            Assert.All(prizes, p => Assert.Equal(Prizes.XpFor(p.Rank, qualified.Count, Table), p.Xp));
            Assert.Equal(Prizes.SplitPool(state.Pool, Table, qualified.Count), prizes.Take(3).Select(p => p.Shards));
            Assert.All(prizes.Skip(3), p => Assert.Equal(0, p.Shards));
            Assert.Equal(prizes.FirstOrDefault()?.UserId, state.Champion);
            var completed = run.Scenario.History.OfType<TournamentCompleted>().Single();
            Assert.Equal((state.Entries.Count, qualified.Count, state.Pool), (completed.Entries, completed.Qualified, completed.Pool));
            Assert.Equal(state.Pool, completed.ShardsAwarded + completed.ShardsReturned);
        }).Check(Runs);
    }

    [Fact]
    public void Folding_the_events_reproduces_the_state_and_its_decisions()
    {
        Prop.ForAll(Histories, h =>
        {
            var (setup, steps) = h;
            var run = Play(setup, steps);

            var folded = Tournament.Fold(TournamentState.Initial, run.Scenario.History);
            Assert.Equal(TournamentJson.Of(run.Scenario.State), TournamentJson.Of(folded));

            // Every accepted decision, replayed on the state folded from the events before it, decides the same.
            var history = new List<ITournamentEvent>();
            foreach (var (before, command, events) in run.Accepted)
            {
                var rebuilt = Tournament.Fold(TournamentState.Initial, history);
                Assert.Equal(TournamentJson.Of(before), TournamentJson.Of(rebuilt));
                Assert.Equal(events, Tournament.Decide(rebuilt, command, TournamentRules.Default).Events);
                history.AddRange(events);
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    // ---- exactly-once payout ---------------------------------------------------------------------------------------

    private sealed record Attempt(int MinutesAfterEnd, ResultsKind Results, int[] ReturnSteps, int[] Trades, int Interleave);

    [Fact]
    public void Prizes_are_paid_exactly_once_under_repeated_and_reordered_finalize_commands()
    {
        var attempts =
            from minutes in Gen.Choose(-120, 600)
            from results in Gen.Frequency((3, Gen.Constant(ResultsKind.Valid)), (1, Gen.Elements(ResultsKind.MissingOne, ResultsKind.UnknownUser, ResultsKind.Duplicate)))
            from returns in Gen.ArrayOf(Gen.Choose(-3, 3), Users + 1)
            from trades in Gen.ArrayOf(Gen.Choose(0, 5), Users + 1)
            from interleave in Gen.Choose(0, 5)
            select new Attempt(minutes, results, returns, trades, interleave);
        var cases =
            from players in Gen.Choose(3, Users)
            from fee in Gen.Choose(0, 50)
            from list in Gen.ArrayOf(attempts).Resize(12)
            select (players, fee, list);

        Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var scenario = Live(c.players, entryFee: c.fee, sponsor: 10);
            IReadOnlyList<ITournamentEvent>? payout = null;
            foreach (var attempt in c.list)
            {
                var now = End.AddMinutes(attempt.MinutesAfterEnd);
                var step = new Step(StepKind.Finalize, 0, attempt.Interleave, false, true, attempt.Results, attempt.ReturnSteps, attempt.Trades);
                var statusBefore = scenario.State.Status;
                var decision = scenario.Try(new FinalizeTournament(ResultsFor(scenario.State, step), now));
                if (!decision.IsRejected && decision.Events.OfType<TournamentCompleted>().Any())
                {
                    Assert.Null(payout); // a second payout
                    payout = decision.Events;
                }

                var expectAccepted = statusBefore switch
                {
                    TournamentStatus.Completed => true,
                    TournamentStatus.Cancelled => false,
                    _ => attempt.Results == ResultsKind.Valid && now >= End,
                };
                Assert.Equal(expectAccepted, !decision.IsRejected);
                Assert.True(statusBefore != TournamentStatus.Completed || decision.Events.Count == 0);

                // Timer commands in between change nothing once completed.
                TournamentCommand other = attempt.Interleave switch
                {
                    0 => new EndTournament(now),
                    1 => new AdvanceTournament(now),
                    2 => new StartTournament(now),
                    3 => new CancelTournament(Admin, "late", now),
                    _ => new OpenRegistration(now),
                };
                var completedBefore = scenario.State.Status == TournamentStatus.Completed;
                var otherDecision = scenario.Try(other);
                if (completedBefore)
                {
                    Assert.Empty(otherDecision.Events);
                }
            }

            var history = scenario.History;
            Assert.True(history.OfType<TournamentCompleted>().Count() <= 1);
            Assert.Equal(history.OfType<PrizeAwarded>().Count(), history.OfType<PrizeAwarded>().Select(p => p.UserId).Distinct().Count());
            Assert.Equal(payout?.OfType<PrizeAwarded>() ?? [], history.OfType<PrizeAwarded>());
            if (scenario.State.Status == TournamentStatus.Completed)
            {
                Assert.Equal(scenario.State.Pool, scenario.State.ShardsAwarded + scenario.State.ShardsReturned);
            }
        }).Check(Runs);
    }

    private static int Order(TournamentStatus status) => status switch
    {
        TournamentStatus.Cancelled => 10,
        _ => (int)status,
    };
}
