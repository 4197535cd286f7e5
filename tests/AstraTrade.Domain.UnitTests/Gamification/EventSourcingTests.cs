using System.Text.Json;
using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.UnitTests.Gamification;

public class EventSourcingTests
{
    public static TheoryData<IProgressionEvent> OneOfEach() =>
    [
        new QualifyingCloseRecorded("account-1", 4, "position-4", TradingVenue.Live, true, At.Day(1)),
        new LiquidationRecorded("account-1", 5, "position-5", At.Day(1)),
        new CheckedIn(At.DateOf(1), At.Day(1)),
        new StreakUpdated(3, At.DateOf(1), At.Day(1)),
        new XpAwarded(40, 10, XpReason.QualifyingClose, "position-4", At.DateOf(1), At.Day(1)),
        new XpAwarded(25, 0, XpReason.CheckIn, null, At.DateOf(1), At.Day(1)),
        new AchievementUnlocked(Achievements.FirstTrade, 100, 10, "first qualifying close", At.Day(1)),
        new LevelReached(7, At.Day(1)),
    ];

    [Theory]
    [MemberData(nameof(OneOfEach))]
    public void Events_round_trip_through_system_text_json(IProgressionEvent e)
    {
        var json = JsonSerializer.Serialize(e, e.GetType());

        Assert.Equal(e, JsonSerializer.Deserialize(json, e.GetType()));
    }

    [Fact]
    public void State_snapshot_round_trips_through_system_text_json()
    {
        var scenario = new Scenario();
        scenario.Close(At.Day(1), pnl: 1m);
        scenario.CheckIn(At.Day(2));
        scenario.Liquidate(At.Day(2));

        var json = Json.Of(scenario.State);

        Assert.Equal(json, Json.Of(JsonSerializer.Deserialize<ProgressionState>(json)!));
    }

    [Fact]
    public void Evolve_leaves_the_state_as_it_is_for_an_event_it_does_not_know()
    {
        var state = ProgressionState.Initial with { Xp = 10 };

        Assert.Same(state, Progression.Evolve(state, new SomeFutureEvent()));
    }

    [Fact]
    public void Evolve_keeps_the_first_unlock_time_of_an_achievement()
    {
        var state = Progression.Fold(
            ProgressionState.Initial,
            [
                new AchievementUnlocked(Achievements.TournamentChampion, 0, 0, "t-1", At.Day(1)),
                new AchievementUnlocked(Achievements.TournamentChampion, 0, 0, "t-2", At.Day(2)),
            ]);

        Assert.Equal(At.Day(1), state.UnlockedAchievements[Achievements.TournamentChampion]);
    }

    [Fact]
    public void Folding_the_history_reproduces_the_state()
    {
        var scenario = new Scenario();
        foreach (var day in Enumerable.Range(1, 9))
        {
            scenario.CheckIn(At.Day(day, hour: 8));
            scenario.Close(At.Day(day), pnl: day % 3 == 0 ? 0m : 5m, venue: TradingVenue.Live);
            scenario.Liquidate(At.Day(day, hour: 20));
        }

        Assert.Equal(Json.Of(scenario.State), Json.Of(Progression.Fold(ProgressionState.Initial, scenario.History)));
    }

    private sealed record SomeFutureEvent : IProgressionEvent;
}

internal static class Json
{
    /// <summary>Every public member, collections included: record equality compares immutable collections by reference.</summary>
    public static string Of(ProgressionState state) => JsonSerializer.Serialize(state);
}
