using System.Text.Json;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Integration;
using AstraTrade.Contracts.Events;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.UnitTests.Integration;

/// <summary>Every stored event of the catalog (docs/integration-events.md) → its integration event, field by field.</summary>
public class IntegrationEventMapperTests
{
    private static readonly Guid User = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
    private static readonly DateTimeOffset At = Stored.At;

    // Recorded a little after the domain event's own time, to show that the CloudEvents time is the recorded one.
    private static readonly DateTimeOffset RecordedAt = At.AddMilliseconds(250);

    private static readonly PositionTerms Terms = new(
        "BTC-USD", PositionSide.Short, 25, 100m, 2_500m, 0.025m, 100_000m, 1.25m, 0.005m, 0.0005m, At.AddMinutes(-5));

    [Fact]
    public void An_unlocked_achievement_is_achievement_unlocked_v1_about_its_user()
    {
        var e = Map(StreamIds.Progression(User), new AchievementUnlocked("FIRST_TRADE", 100, 10, "first qualifying close", At));

        AssertEnvelope(e, IntegrationEventTypes.AchievementUnlocked, IntegrationEventSources.Gamification, "users/" + User.ToString("N"));
        Assert.Equal(new AchievementUnlockedV1(User, "FIRST_TRADE", At), Data(e, IntegrationEventJson.Default.AchievementUnlockedV1));
        Assert.Equal(
            $$"""{"userId":"{{User}}","achievementId":"FIRST_TRADE","unlockedAt":"2026-11-02T12:00:00+00:00"}""",
            e.Data.GetRawText());
    }

    [Fact]
    public void A_level_reached_is_level_reached_v1_about_its_user()
    {
        var e = Map(StreamIds.Progression(User), new LevelReached(3, At));

        AssertEnvelope(e, IntegrationEventTypes.LevelReached, IntegrationEventSources.Gamification, "users/" + User.ToString("N"));
        Assert.Equal(new LevelReachedV1(User, 3, At), Data(e, IntegrationEventJson.Default.LevelReachedV1));
    }

    [Theory]
    [InlineData(CloseReason.User, "user")]
    [InlineData(CloseReason.StopLoss, "stop-loss")]
    [InlineData(CloseReason.TakeProfit, "take-profit")]
    [InlineData(CloseReason.Reset, "reset")]
    [InlineData(CloseReason.Settlement, "settlement")]
    public void A_practice_close_is_position_closed_v1_with_the_APIs_reason(CloseReason reason, string expected)
    {
        var position = Guid.NewGuid();
        var e = Map(StreamIds.PracticeAccount(User), new PositionClosed(position, Terms, 99.5m, 99_000m, 99_010m, 24.75m, 1.2375m, 123.0125m, reason, At));

        AssertEnvelope(e, IntegrationEventTypes.PositionClosed, IntegrationEventSources.Trading, "users/" + User.ToString("N"));
        Assert.Equal(
            new PositionClosedV1(User, "practice", position, "BTC-USD", "short", 25, 99.5m, 2_500m, 100_000m, 99_010m, 24.75m, 1.2375m, 123.0125m,
                expected, At.AddMinutes(-5), At),
            Data(e, IntegrationEventJson.Default.PositionClosedV1));
    }

    [Fact]
    public void A_close_in_a_tournament_account_names_the_tournament_account()
    {
        var e = Map(StreamIds.TournamentAccount("daily-2026-11-02", User),
            new PositionClosed(Guid.NewGuid(), Terms, 100m, 99_000m, 99_010m, 24.75m, 1.2375m, 123.5125m, CloseReason.Settlement, At));

        var data = Data(e, IntegrationEventJson.Default.PositionClosedV1);
        Assert.Equal((User, "tournament:daily-2026-11-02", "settlement"), (data.UserId, data.Account, data.CloseReason));
        Assert.Equal("users/" + User.ToString("N"), e.Subject);
    }

    [Fact]
    public void A_close_in_the_live_account_names_the_live_account()
    {
        var e = Map(StreamIds.LiveAccount(User),
            new PositionClosed(Guid.NewGuid(), Terms, 100m, 99_000m, 99_010m, 24.75m, 1.2375m, 123.5125m, CloseReason.User, At));

        var data = Data(e, IntegrationEventJson.Default.PositionClosedV1);
        Assert.Equal((User, "live", "user"), (data.UserId, data.Account, data.CloseReason));
    }

    [Fact]
    public void A_liquidation_is_a_position_closed_v1_with_reason_liquidation_at_the_liquidation_price_and_no_payout()
    {
        var position = Guid.NewGuid();
        var e = Map(StreamIds.PracticeAccount(User), new PositionLiquidated(position, Terms, 100m, 103_600m, 103_500m, -87.5m, 12.5m, At));

        AssertEnvelope(e, IntegrationEventTypes.PositionClosed, IntegrationEventSources.Trading, "users/" + User.ToString("N"));
        Assert.Equal(
            new PositionClosedV1(User, "practice", position, "BTC-USD", "short", 25, 100m, 2_500m, 100_000m, 103_500m, -87.5m, 0m, 0m,
                "liquidation", At.AddMinutes(-5), At),
            Data(e, IntegrationEventJson.Default.PositionClosedV1));
    }

    [Fact]
    public void A_completed_tournament_is_tournament_completed_v1_about_the_tournament()
    {
        var e = Map(StreamIds.Tournament("weekly-2026-w45"), new TournamentCompleted(12, 9, 1_300, 1_300, 0, At));

        AssertEnvelope(e, IntegrationEventTypes.TournamentCompleted, IntegrationEventSources.Tournaments, "tournaments/weekly-2026-w45");
        Assert.Equal(new TournamentCompletedV1("weekly-2026-w45", 12, 9, 1_300, 1_300, 0, At), Data(e, IntegrationEventJson.Default.TournamentCompletedV1));
    }

    [Theory]
    [InlineData(CancellationReason.NotEnoughPlayers, "not-enough-players")]
    [InlineData(CancellationReason.ByAdmin, "by-admin")]
    public void A_cancelled_tournament_is_tournament_cancelled_v1(CancellationReason reason, string expected)
    {
        var e = Map(StreamIds.Tournament("daily-2026-11-02"), new TournamentCancelled(reason, 1, null, null, At));

        AssertEnvelope(e, IntegrationEventTypes.TournamentCancelled, IntegrationEventSources.Tournaments, "tournaments/daily-2026-11-02");
        Assert.Equal(new TournamentCancelledV1("daily-2026-11-02", expected, 1, At), Data(e, IntegrationEventJson.Default.TournamentCancelledV1));
    }

    [Fact]
    public void The_catalog_is_these_stored_types_and_every_integration_type_has_a_producer()
    {
        Assert.Equal(
            [
                "gamification.achievement-unlocked.v1", "gamification.level-reached.v1", "tournaments.tournament-cancelled.v1",
                "tournaments.tournament-completed.v1", "trading.position-closed.v1", "trading.position-liquidated.v1",
            ],
            IntegrationEventMapper.StoredTypes.Order());

        var produced = new[]
        {
            Map(StreamIds.Progression(User), new AchievementUnlocked("X", 0, 0, "r", At)).Type,
            Map(StreamIds.Progression(User), new LevelReached(2, At)).Type,
            Map(StreamIds.PracticeAccount(User), new PositionLiquidated(Guid.NewGuid(), Terms, 1m, 1m, 1m, -1m, 0m, At)).Type,
            Map(StreamIds.Tournament("t"), new TournamentCompleted(0, 0, 0, 0, 0, At)).Type,
            Map(StreamIds.Tournament("t"), new TournamentCancelled(CancellationReason.ByAdmin, 0, "admin", null, At)).Type,
        };
        Assert.Equal(IntegrationEventTypes.All.Order(), produced.Distinct().Order());
    }

    [Fact]
    public void Every_other_stored_type_produces_nothing()
    {
        foreach (var name in EventTypes.Names.Except(IntegrationEventMapper.StoredTypes))
        {
            Assert.Null(IntegrationEventMapper.Map(new Application.Ports.RecordedEvent(StreamIds.Progression(User), 1, Guid.NewGuid(), name, "{}"u8.ToArray(), At)));
        }

        Assert.Null(IntegrationEventMapper.Map(Stored.Event(StreamIds.Progression(User), 1, new XpAwarded(50, 0, XpReason.QualifyingClose, "p", DateOnly.FromDateTime(At.UtcDateTime), At))));
    }

    [Fact]
    public void A_catalog_event_in_a_stream_it_does_not_belong_to_produces_nothing()
    {
        Assert.Null(IntegrationEventMapper.Map(Stored.Event(StreamIds.User(User), 1, new LevelReached(2, At))));
        Assert.Null(IntegrationEventMapper.Map(Stored.Event(StreamIds.Progression(User), 1, new TournamentCompleted(0, 0, 0, 0, 0, At))));
        Assert.Null(IntegrationEventMapper.Map(Stored.Event(StreamIds.Tournament("t"), 1, new PositionLiquidated(Guid.NewGuid(), Terms, 1m, 1m, 1m, -1m, 0m, At))));
    }

    [Fact]
    public void The_id_is_derived_from_the_stored_event_so_a_redelivery_has_the_same_id()
    {
        var recorded = Stored.Event(StreamIds.Progression(User), 7, new LevelReached(4, At), RecordedAt);

        var first = IntegrationEventMapper.Map(recorded)!;
        var again = IntegrationEventMapper.Map(recorded with { })!;
        var other = IntegrationEventMapper.Map(recorded with { EventId = Guid.NewGuid() })!;

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(first.Data.GetRawText(), again.Data.GetRawText());
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(IntegrationEventIds.For(recorded.EventId, IntegrationEventTypes.LevelReached), first.Id);
    }

    [Fact]
    public void Ids_are_version_8_UUIDs_distinct_per_type_and_fixed_forever()
    {
        var stored = Guid.Parse("01937a4e-8c2b-7d10-9a3f-0c1d2e3f4a5b");

        var id = Guid.Parse(IntegrationEventIds.For(stored, IntegrationEventTypes.AchievementUnlocked));

        Assert.Equal(8, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        Assert.NotEqual(id.ToString(), IntegrationEventIds.For(stored, IntegrationEventTypes.LevelReached));

        // Pinned: a change to the derivation would give events already published new ids, and consumers would handle them again.
        Assert.Equal("da33b8cc-7336-8e41-982d-8f7c3d637f34", id.ToString()); // the same as Python's hashlib over RFC 9562 §5.8
    }

    private static IntegrationEvent Map(string stream, object domainEvent)
    {
        var recorded = Stored.Event(stream, 1, domainEvent, RecordedAt);
        var e = IntegrationEventMapper.Map(recorded);
        Assert.NotNull(e);
        Assert.Equal(IntegrationEventIds.For(recorded.EventId, e.Type), e.Id);
        return e;
    }

    private static void AssertEnvelope(IntegrationEvent e, string type, string source, string subject)
    {
        Assert.Equal((type, source, subject, RecordedAt), (e.Type, e.Source, e.Subject, e.Time));
        Assert.Equal(JsonValueKind.Object, e.Data.ValueKind);
    }

    private static T Data<T>(IntegrationEvent e, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(e.Data, info) ?? throw new InvalidOperationException("null data");
}
