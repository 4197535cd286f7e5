using AstraTrade.Application.Eventing;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Leaderboards;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Application.UnitTests.Gamification;

/// <summary>
/// Exactly-once XP over an at-least-once feed (ARCHITECTURE.md §4): random trading histories are fed to the progression
/// reactor in random batches with redeliveries and rewinds to older checkpoints (what a crash does). The result must
/// equal applying every trading event exactly once, and replaying the whole feed from the start must change nothing.
/// The same holds for the leaderboards projection.
/// </summary>
public sealed class ProgressionReplayProperties
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly Guid[] Users = [.. Enumerable.Range(1, 3).Select(i => new Guid(i, 0, 0, new byte[8]))];
    private static readonly MarketSpec Btc = MarketCatalog.Defaults[0];

    private sealed record Step(int User, bool Long, int Leverage, int Collateral, int MoveBasisPoints, int Minutes);

    private sealed record Delivery(int BatchSize, bool Redeliver, int Rewind);

    private static readonly Gen<Step> Steps =
        from user in Gen.Choose(0, Users.Length - 1)
        from isLong in Gen.Elements(true, false)
        from leverage in Gen.Choose(1, 100)
        from collateral in Gen.Choose(10, 500)
        from move in Gen.Choose(-300, 300)
        from minutes in Gen.Frequency((5, Gen.Choose(0, 30)), (1, Gen.Choose(600, 2_000)))
        select new Step(user, isLong, leverage, collateral, move, minutes);

    private static readonly Gen<Delivery> Deliveries =
        from size in Gen.Choose(1, 12)
        from redeliver in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from rewind in Gen.Frequency((6, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
        select new Delivery(size, redeliver, rewind);

    [Fact]
    public void Xp_levels_streaks_and_achievements_are_applied_exactly_once_whatever_the_delivery()
    {
        var cases = from steps in Gen.ListOf(Steps).Resize(40)
                    from plan in Gen.NonEmptyListOf(Deliveries).Resize(30)
                    select (steps, plan);

        Prop.ForAll(cases.ToArbitrary(), c => RunAsync(c.steps, c.plan).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(25));
    }

    private static async Task RunAsync(IReadOnlyList<Step> steps, IReadOnlyList<Delivery> plan)
    {
        var directory = Path.Combine(Path.GetTempPath(), "astratrade-replay-" + Guid.NewGuid().ToString("N"));
        var time = new ManualTimeProvider(Start);
        try
        {
            await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory }, time);
            var accounts = new Accounts(store.Events, TradingRules.Default);
            var progression = new ProgressionService(store.Events, GamificationRules.Default, time);
            var reactor = new ProgressionReactor(progression, NullLogger<ProgressionReactor>.Instance);
            var tradingEvents = await TradeAsync(accounts, steps, time);

            // At-least-once delivery: batches of random size, sometimes handled twice, sometimes rewound.
            var boardAtLeastOnce = new LeaderboardProjection(time);
            var checkpoints = new List<FeedCheckpoint> { FeedCheckpoint.Start };
            var turn = 0;
            while (true)
            {
                var delivery = plan[turn++ % plan.Count];
                var from = checkpoints[Math.Max(0, checkpoints.Count - 1 - delivery.Rewind)];
                var page = await store.Events.ReadFeedAsync(from, delivery.BatchSize);
                if (page.Events.Count == 0 && from == checkpoints[^1])
                {
                    break;
                }

                await reactor.HandleAsync(page.Events, default);
                await boardAtLeastOnce.HandleAsync(page.Events, default);
                if (delivery.Redeliver)
                {
                    await reactor.HandleAsync(page.Events, default);
                    await boardAtLeastOnce.HandleAsync(page.Events, default);
                }

                checkpoints.Add(page.Next);
            }

            // Exactly-once reference: each user's trading events turned into commands once, folded purely.
            foreach (var user in Users)
            {
                var expected = Reference(tradingEvents.Where(e => e.User == user));
                var (actual, version) = await progression.Repository.LoadAsync(StreamIds.Progression(user));
                Assert.Equal(Describe(expected), Describe(actual));

                // A full replay from the start finds nothing new to do.
                var everything = await store.Events.ReadFeedAsync(FeedCheckpoint.Start, int.MaxValue);
                await reactor.HandleAsync(everything.Events, default);
                Assert.Equal(version, (await progression.Repository.LoadAsync(StreamIds.Progression(user))).Version);
            }

            // The leaderboard fed at least once equals one fed each event exactly once.
            var boardOnce = new LeaderboardProjection(time);
            await boardOnce.HandleAsync((await store.Events.ReadFeedAsync(FeedCheckpoint.Start, int.MaxValue)).Events, default);
            Assert.Equal(
                boardOnce.Top(LeaderboardProjection.XpAllTime, 100).Value.Entries,
                boardAtLeastOnce.Top(LeaderboardProjection.XpAllTime, 100).Value.Entries);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Appends the random history through the account decider; returns each resulting event with its source.</summary>
    private static async Task<List<(Guid User, string Stream, long Version, IAccountEvent Event)>> TradeAsync(
        Accounts accounts, IReadOnlyList<Step> steps, ManualTimeProvider time)
    {
        var recorded = new List<(Guid, string, long, IAccountEvent)>();
        var mark = 95_000m;
        var trader = (Guid user) => new Trader(user.ToString(), 100, false);
        foreach (var step in steps)
        {
            time.Advance(TimeSpan.FromMinutes(step.Minutes));
            var now = time.GetUtcNow();
            mark *= 1 + (step.MoveBasisPoints / 10_000m);
            var user = Users[step.User];
            var stream = StreamIds.PracticeAccount(user);
            var price = new MarkPrice(mark, now);
            var result = await accounts.Repository.ExecuteAsync(stream, state =>
            {
                var open = state.OpenPositions.Values.OrderBy(p => p.Terms.OpenedAt).FirstOrDefault();
                if (open is not null && step.Collateral % 3 != 0)
                {
                    var closing = Account.Decide(state, new ClosePosition(open.Id, price, now), accounts.Rules);
                    return closing.IsRejected ? AstraTrade.Domain.Common.Decision<IAccountEvent>.Accept() : closing;
                }

                // An order's whole life in the account: placed (reserved), then filled.
                var order = new PlaceOrder(Guid.NewGuid(), Guid.NewGuid().ToString(), trader(user), Btc,
                    step.Long ? PositionSide.Long : PositionSide.Short, step.Leverage, step.Collateral, OrderType.Market, null, Protection.None, price, now);
                var placing = Account.Decide(state, order, accounts.Rules);
                if (placing.IsRejected)
                {
                    return AstraTrade.Domain.Common.Decision<IAccountEvent>.Accept();
                }

                var filling = Account.Decide(Account.Fold(state, placing.Events, accounts.Rules), new FillOrder(order.OrderId, price, now), accounts.Rules);
                return AstraTrade.Domain.Common.Decision<IAccountEvent>.Accept([.. placing.Events, .. filling.Events]);
            });
            var events = result.Value.Events;
            for (var i = 0; i < events.Count; i++)
            {
                recorded.Add((user, stream, result.Value.Version - events.Count + 1 + i, events[i]));
            }
        }

        return recorded;
    }

    private static ProgressionState Reference(IEnumerable<(Guid User, string Stream, long Version, IAccountEvent Event)> events)
    {
        var state = ProgressionState.Initial;
        foreach (var (_, stream, version, e) in events)
        {
            ProgressionCommand? command = e switch
            {
                PositionClosed { Reason: CloseReason.User } c => new RecordClose(
                    stream, version, c.PositionId.ToString(), TradingVenue.Practice, c.Terms.OpenedAt, c.At, c.Terms.Notional, c.RealizedPnl),
                PositionLiquidated l => new RecordLiquidation(stream, version, l.PositionId.ToString(), l.At),
                _ => null,
            };
            if (command is not null)
            {
                state = Progression.Fold(state, Progression.Decide(state, command, GamificationRules.Default).Events);
            }
        }

        return state;
    }

    private static string Describe(ProgressionState s) =>
        $"xp={s.Xp} level={s.Level} streak={s.Streak}/{s.BestStreak} closes={s.QualifyingCloses}/{s.ProfitableCloses} " +
        $"liquidations={s.Liquidations} shards={s.Shards} achievements={string.Join(",", s.UnlockedAchievements.Keys)}";
}
