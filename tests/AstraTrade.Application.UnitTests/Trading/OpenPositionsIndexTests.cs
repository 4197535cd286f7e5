using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.UnitTests.Trading;

/// <summary>Live positions are Extended's to liquidate, fund and trigger: the index lists them for the reconciler and
/// never hands them to our liquidation engine, funding or trigger watch.</summary>
public sealed class OpenPositionsIndexTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    private static readonly Guid Owner = Guid.Parse("0197a3a0-0000-7000-8000-000000000001");

    [Fact]
    public async Task A_live_position_is_listed_for_the_reconciler_and_never_a_candidate_for_liquidation_funding_or_triggers()
    {
        var index = new OpenPositionsIndex();
        var practice = Opened(Guid.NewGuid(), new Protection(48_000m, null));
        var live = Opened(Guid.NewGuid(), Protection.None);

        await index.HandleAsync([Recorded(StreamIds.PracticeAccount(Owner), 1, practice), Recorded(StreamIds.LiveAccount(Owner), 1, live)], default);

        Assert.Equal([practice.PositionId], index.LiquidationCandidates("BTC-USD", 30_000m).Select(e => e.PositionId));
        Assert.Equal([practice.PositionId], index.TakeTriggered("BTC-USD", 30_000m).Select(e => e.PositionId));
        Assert.Equal([StreamIds.PracticeAccount(Owner)], index.AccountsWithOpenPositions());
        var listed = Assert.Single(index.LivePositions());
        Assert.Equal((live.PositionId, StreamIds.LiveAccount(Owner)), (listed.PositionId, listed.AccountStream));

        var closed = new PositionClosed(live.PositionId, live.Terms, 100m, 51_000m, 51_000m, 20m, 0.51m, 119.49m, CloseReason.User, T0.AddMinutes(5));
        await index.HandleAsync([Recorded(StreamIds.LiveAccount(Owner), 2, closed)], default);

        Assert.Empty(index.LivePositions());
        Assert.Equal(1, index.Count);
    }

    private static PositionOpened Opened(Guid id, Protection protection)
    {
        var terms = new PositionTerms("BTC-USD", PositionSide.Long, 10, 100m, 1_000m, 0.02m, 50_000m, 0.5m, 0.005m, 0.0005m, T0);
        return new PositionOpened(id, id, "key-" + id.ToString("N"), "fingerprint", terms, 50_000m, T0, protection);
    }

    private static RecordedEvent Recorded(string stream, long version, IAccountEvent e)
    {
        var data = EventTypes.Serialize(e);
        return new RecordedEvent(stream, version, data.EventId, data.Type, data.Data, e.At);
    }
}
