using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Tournaments;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;
using FsCheck;
using FsCheck.Fluent;

namespace AstraTrade.Application.UnitTests.Tournaments;

/// <summary>
/// The live standings projection ranks exactly as <see cref="Standings.Rank"/> (DOMAIN.md §3: qualified entries by
/// return, ties to the earlier entry, the rest unranked after them), whatever order its O(log n) board receives the
/// changes in. Join times and payouts come from small sets so that ties are common.
/// </summary>
public class StandingsProjectionProperties
{
    private const string Id = "custom-cup";
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TournamentRules Rules = TournamentRules.Default;
    private static readonly TournamentTerms Terms = new(
        TournamentKind.Custom, "Cup", Start, Start.AddHours(2), Start.AddHours(-24), Start.AddHours(1), 0, 0, null,
        Rules.StartingBalance, Rules.MinPlayers, Rules.MinClosedTrades, Rules.PrizeTable());

    [Fact]
    public void Live_standings_are_in_the_order_of_the_ranking_rule() =>
        Prop.ForAll(Entries().ToArbitrary(), entries =>
        {
            var projection = new TournamentStandings();
            var log = new List<RecordedEvent>();
            Record(log, StreamIds.Tournament(Id), new TournamentCreated(Id, Terms, "admin", Start.AddDays(-2)));
            var results = new List<EntryResult>();
            for (var i = 0; i < entries.Length; i++)
            {
                var (user, joinedAt, payouts) = entries[i];
                Record(log, StreamIds.Tournament(Id), new EntryJoined(user.ToString(), i + 1, 0, Terms.StartingBalance, joinedAt));
                var account = StreamIds.TournamentAccount(Id, user);
                Record(log, account, new AccountOpened(AccountKind.Tournament, user.ToString(), Terms.StartingBalance, joinedAt));
                foreach (var payout in payouts)
                {
                    var position = Guid.NewGuid();
                    var terms = new PositionTerms("BTC-USD", PositionSide.Long, 2, 100m, 200m, 0.004m, 50_000m, 0m, 0.005m, 0.0005m, Start.AddMinutes(1));
                    Record(log, account, new PositionOpened(position, Guid.NewGuid(), position.ToString(), "f", terms, 50_000m, Start.AddMinutes(1)));
                    Record(log, account, new PositionClosed(position, terms, 100m, 50_000m, 50_000m, payout - 100m, 0m, payout, CloseReason.User, Start.AddMinutes(2)));
                }

                results.Add(new EntryResult(user.ToString(), Terms.StartingBalance + payouts.Sum(p => p - 100m), payouts.Length));
            }

            // Delivered in several batches, as the feed does.
            foreach (var batch in log.Chunk(3))
            {
                projection.HandleAsync(batch, CancellationToken.None).AsTask().Wait();
            }

            var tournament = Tournament.Fold(TournamentState.Initial, log.Where(r => r.StreamId == StreamIds.Tournament(Id)).Select(r => (ITournamentEvent)EventTypes.Deserialize(r)!));
            var expected = Standings.Rank(tournament.Entries.Values, results, Terms.StartingBalance, Terms.MinClosedTrades);
            var actual = projection.Top(Id, TournamentStandings.MaxTop).Value.Entries;
            return expected.Select(s => (s.Rank, s.UserId, s.Equity, s.ClosedTrades))
                .SequenceEqual(actual.Select(a => (a.Rank, a.UserId.ToString(), a.Equity, a.ClosedTrades)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(200));

    private static Gen<(Guid User, DateTimeOffset JoinedAt, decimal[] Payouts)[]> Entries()
    {
        var entry =
            from minute in Gen.Choose(0, 2)
            from payouts in Gen.ListOf(Gen.Elements(0m, 90m, 100m, 110m, 150m)).Select(p => p.Take(5).ToArray())
            select (Guid.NewGuid(), Start.AddHours(-2).AddMinutes(minute), payouts);
        return Gen.Choose(1, 30).SelectMany(n => Gen.ArrayOf(entry, n));
    }

    private static void Record(List<RecordedEvent> log, string stream, object e)
    {
        var data = EventTypes.Serialize(e);
        var version = log.Count(r => r.StreamId == stream) + 1;
        log.Add(new RecordedEvent(stream, version, data.EventId, data.Type, data.Data, Start));
    }
}
