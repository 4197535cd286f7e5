using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.UnitTests.Eventing;

public class EventTypesTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<object> Samples()
    {
        var terms = new PositionTerms("BTC-USD", PositionSide.Short, 25, 100.123456m, 2503.0864m, 0.0263456789012345678901234567m,
            95009.60001m, 1.251544m, 0.005m, 0.0005m, At);
        return
        [
            new AccountOpened(AccountKind.Practice, "u", 10_000m, At),
            new PositionOpened(Guid.NewGuid(), Guid.NewGuid(), "key", "fp", terms, 95_000m, At),
            new PositionClosed(Guid.NewGuid(), terms, 99m, 95_100m, 95_090.49m, -1.234567m, 0.1m, 97.665433m, CloseReason.Reset, At),
            new PositionLiquidated(Guid.NewGuid(), terms, 99m, 99_000m, 98_000.1m, -50m, 49m, At),
            new FundingApplied(Guid.NewGuid(), At, -0.001m, 95_000m, 2.5m, 102.5m, At),
            new AccountReset(5_000m, -5_000m, 10_000m, At),
            new OrderPlaced(Guid.NewGuid(), "key", "fp", OrderType.Limit, "BTC-USD", PositionSide.Long, 10, 100m, 1_000m, 0.5m, 94_000m,
                new Protection(90_000m, null), 0.005m, 0.0005m, 95_000m, At),
            new OrderReleased(Guid.NewGuid(), 100.5m, ReleaseReason.Expired, At),
            new ProtectionSet(Guid.NewGuid(), new Protection(null, 99_000m), At),
            new PositionOpened(Guid.NewGuid(), Guid.NewGuid(), "key", "fp", terms, 95_000m, At, new Protection(90_000m, 99_000m)),
            new XpAwarded(75, 25, XpReason.QualifyingClose, "p", DateOnly.FromDateTime(At.UtcDateTime), At),
            new AchievementUnlocked("FIRST_TRADE", 100, 10, "first qualifying close", At),
        ];
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_event_round_trips_exactly(object @event)
    {
        var data = EventTypes.Serialize(@event);
        var recorded = new RecordedEvent("s", 1, data.EventId, data.Type, data.Data, At);

        Assert.Equal(@event, EventTypes.Deserialize(recorded));
    }

    [Fact]
    public void Unknown_types_read_as_null_so_consumers_can_skip_them() =>
        Assert.Null(EventTypes.Deserialize(new RecordedEvent("s", 1, Guid.NewGuid(), "future.thing.v9", "{}"u8.ToArray(), At)));

    [Fact]
    public void Names_are_unique_and_versioned() =>
        Assert.All(EventTypes.Names, name => Assert.Matches(@"^[a-z]+\.[a-z-]+\.v\d+$", name));
}
