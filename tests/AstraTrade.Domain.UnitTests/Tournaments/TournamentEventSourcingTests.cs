using System.Text.Json;
using AstraTrade.Domain.Tournaments;
using static AstraTrade.Domain.UnitTests.Tournaments.TournamentScenario;

namespace AstraTrade.Domain.UnitTests.Tournaments;

public class TournamentEventSourcingTests
{
    public static TheoryData<ITournamentEvent> OneOfEach() =>
    [
        new TournamentCreated(Id, Custom(entryFee: 5, maxEntries: 10).State.Terms!, "admin-1", Created),
        new TournamentCreated(Id, Custom().State.Terms!, "admin-1", Created),
        new RegistrationOpened(Opens),
        new EntryJoined("user-1", 1, 5, 100_000m, Opens),
        new TournamentStarted(3, Start),
        new EntryFeeRefunded("user-1", 5, Start),
        new SponsorAmountReturned(100, Start),
        new TournamentCancelled(CancellationReason.NotEnoughPlayers, 2, null, null, Start),
        new TournamentCancelled(CancellationReason.ByAdmin, 2, "admin-1", "outage", Start),
        new TournamentEnded(End),
        new EntryScored(1, "user-1", 1, Opens, 123_456.789012m, 0.23456789012m, 3, true, End),
        new EntryScored(null, "user-2", 2, Opens, 1m, -0.99999m, 0, false, End),
        new PrizeAwarded("user-1", 1, 500, 1_000, End),
        new ChampionDeclared("user-1", "TOURNAMENT_CHAMPION", End),
        new TournamentCompleted(4, 3, 1_000, 1_000, 0, End),
    ];

    [Theory]
    [MemberData(nameof(OneOfEach))]
    public void Events_round_trip_through_the_stored_json_shape(ITournamentEvent e)
    {
        var json = JsonSerializer.Serialize(e, e.GetType(), TournamentJson.Options);

        Assert.Equal(e, JsonSerializer.Deserialize(json, e.GetType(), TournamentJson.Options));
        Assert.DoesNotContain("$type", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Enums_are_stored_by_name()
    {
        var json = JsonSerializer.Serialize(new TournamentCancelled(CancellationReason.ByAdmin, 2, "admin-1", "outage", Start), TournamentJson.Options);

        Assert.Contains("\"reason\":\"ByAdmin\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void State_snapshot_round_trips_through_json()
    {
        var scenario = Live(4, entryFee: 3, sponsor: 10);
        scenario.Finalize((1, 100_000m, 3), (2, 130_000m, 3), (3, 100_000m, 3), (4, 100_000m, 1));
        var json = TournamentJson.Of(scenario.State);

        Assert.Equal(json, TournamentJson.Of(JsonSerializer.Deserialize<TournamentState>(json, TournamentJson.Options)!));
    }

    [Fact]
    public void Folding_the_history_reproduces_the_state()
    {
        var scenario = Live(4, entryFee: 3, sponsor: 10);
        scenario.Execute(new JoinTournament("user-5", false, HalfWay));
        scenario.Finalize((1, 100_000m, 3), (2, 130_000m, 3), (3, 100_000m, 3), (4, 100_000m, 1), (5, 99_000m, 7));

        Assert.Equal(TournamentJson.Of(scenario.State), TournamentJson.Of(Tournament.Fold(TournamentState.Initial, scenario.History)));
    }

    [Fact]
    public void Evolve_leaves_the_state_as_it_is_for_an_event_it_does_not_know()
    {
        var state = Custom().State;

        Assert.Same(state, Tournament.Evolve(state, new SomeFutureEvent(End)));
    }

    [Fact]
    public void Evolve_keeps_the_first_of_repeated_entries_refunds_and_prizes()
    {
        var state = Tournament.Fold(
            Custom().State,
            [
                new EntryJoined("user-1", 1, 5, 100_000m, Opens),
                new EntryJoined("user-1", 2, 5, 100_000m, Opens.AddMinutes(1)),
                new EntryFeeRefunded("user-1", 5, Start),
                new EntryFeeRefunded("user-1", 5, Start),
                new PrizeAwarded("user-1", 1, 10, 1_000, End),
                new PrizeAwarded("user-1", 1, 10, 1_000, End),
                new ChampionDeclared("user-1", "TOURNAMENT_CHAMPION", End),
                new ChampionDeclared("user-2", "TOURNAMENT_CHAMPION", End),
            ]);

        Assert.Equal((1, 5L, 5L, 10L, "user-1"), (state.Entries["user-1"].EntryNumber, state.EntryFees, state.ShardsReturned, state.ShardsAwarded, state.Champion));
    }

    private sealed record SomeFutureEvent(DateTimeOffset At) : ITournamentEvent;
}
