using System.Text.Json;
using AstraTrade.Application.Integration;
using AstraTrade.Contracts.Events;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Application.UnitTests.Integration;

/// <summary>Dispatch by type, deduplication per handler through the document store, failures and unknown types.</summary>
public class IntegrationEventConsumerTests
{
    private readonly InMemoryDocuments _documents = new();
    private readonly AchievementsHandler _achievements = new();
    private readonly ProgressHandler _progress = new();

    [Fact]
    public async Task Each_event_goes_in_order_to_every_handler_that_consumes_its_type_and_no_other()
    {
        var consumer = Consumer(_achievements, _progress);
        var unlocked = Event(IntegrationEventTypes.AchievementUnlocked);
        var level = Event(IntegrationEventTypes.LevelReached);
        var closed = Event(IntegrationEventTypes.PositionClosed);

        var result = await consumer.ConsumeAsync([unlocked, level, closed], default);

        Assert.Equal([unlocked.Id], _achievements.Handled.Select(e => e.Id));
        Assert.Equal([unlocked.Id, level.Id], _progress.Handled.Select(e => e.Id));
        Assert.Equal(new IntegrationConsumeResult(Handled: 3, Duplicates: 0, Unhandled: 1), result);
    }

    [Fact]
    public async Task A_redelivered_event_is_dropped_per_handler_even_by_a_new_consumer_on_the_same_store()
    {
        var first = Event(IntegrationEventTypes.AchievementUnlocked);
        await Consumer(_achievements, _progress).ConsumeAsync([first], default);

        var second = Event(IntegrationEventTypes.AchievementUnlocked);
        var result = await Consumer(_achievements, _progress).ConsumeAsync([first, second, first], default);

        Assert.Equal([first.Id, second.Id], _achievements.Handled.Select(e => e.Id));
        Assert.Equal([first.Id, second.Id], _progress.Handled.Select(e => e.Id));
        Assert.Equal(new IntegrationConsumeResult(Handled: 2, Duplicates: 4, Unhandled: 0), result);
        Assert.Equal(4, _documents.Count("integration-deliveries"));
    }

    [Fact]
    public async Task A_failing_handler_stops_the_delivery_and_gets_the_event_again_while_the_others_do_not()
    {
        var consumer = Consumer(_achievements, _progress);
        var a = Event(IntegrationEventTypes.AchievementUnlocked);
        var b = Event(IntegrationEventTypes.AchievementUnlocked);
        var c = Event(IntegrationEventTypes.LevelReached);
        _progress.Fault = e => e.Id == b.Id;

        var failure = await Assert.ThrowsAsync<IntegrationEventHandlerException>(() => consumer.ConsumeAsync([a, b, c], default).AsTask());

        Assert.Equal((typeof(ProgressHandler).FullName, b.Id), (failure.Handler, failure.EventId));
        Assert.Contains(b.Id, failure.Message, StringComparison.Ordinal);
        Assert.Equal([a.Id, b.Id], _achievements.Handled.Select(e => e.Id)); // handled b before the progress handler refused it
        Assert.Equal([a.Id], _progress.Handled.Select(e => e.Id)); // and c was not handed out ahead of b

        _progress.Fault = null;
        var retried = await consumer.ConsumeAsync([a, b, c], default);

        Assert.Equal([a.Id, b.Id], _achievements.Handled.Select(e => e.Id));
        Assert.Equal([a.Id, b.Id, c.Id], _progress.Handled.Select(e => e.Id));
        Assert.Equal(new IntegrationConsumeResult(Handled: 2, Duplicates: 3, Unhandled: 0), retried);
    }

    [Fact]
    public async Task Types_nobody_here_consumes_and_types_this_version_does_not_know_are_acknowledged()
    {
        var consumer = Consumer(_achievements);

        var result = await consumer.ConsumeAsync(
            [Event(IntegrationEventTypes.TournamentCompleted), Event("astratrade.social.post-liked.v3"), Event("Microsoft.Storage.BlobCreated")], default);

        Assert.Equal(new IntegrationConsumeResult(0, 0, 3), result);
        Assert.Empty(_achievements.Handled);
    }

    [Fact]
    public async Task With_no_handlers_everything_is_acknowledged()
    {
        var result = await Consumer().ConsumeAsync([Event(IntegrationEventTypes.AchievementUnlocked)], default);

        Assert.Equal(new IntegrationConsumeResult(0, 0, 1), result);
    }

    [Fact]
    public void One_handler_type_registered_twice_is_refused_because_both_would_share_its_delivery_records()
    {
        var error = Assert.Throws<ArgumentException>(() => Consumer(new AchievementsHandler(), new AchievementsHandler()));

        Assert.Contains(typeof(AchievementsHandler).FullName!, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_delivery_record_cannot_be_written_the_handler_sees_the_event_again_so_handlers_must_be_idempotent()
    {
        var consumer = Consumer(_achievements);
        var e = Event(IntegrationEventTypes.AchievementUnlocked);
        _documents.Fault = (kind, _) =>
        {
            if (kind == "put")
            {
                throw new IOException("disk full");
            }
        };

        await Assert.ThrowsAsync<IOException>(() => consumer.ConsumeAsync([e], default).AsTask());
        _documents.Fault = null;
        await consumer.ConsumeAsync([e], default);
        await consumer.ConsumeAsync([e], default);

        Assert.Equal([e.Id, e.Id], _achievements.Handled.Select(x => x.Id)); // at least once: the window IIntegrationEventHandler warns about
    }

    [Fact]
    public void Delivery_records_of_long_external_ids_fit_the_stores_id_limit()
    {
        var id = IntegrationDeliveryLog.DocumentId(typeof(AchievementsHandler).FullName!, new string('x', 500));

        Assert.True(id.Length <= 200);
        Assert.StartsWith("sha256-", id, StringComparison.Ordinal);
        Assert.Equal("h/e-1", IntegrationDeliveryLog.DocumentId("h", "e-1"));
    }

    private IntegrationEventConsumer Consumer(params IIntegrationEventHandler[] handlers) =>
        new(handlers, new IntegrationDeliveryLog(_documents, TimeProvider.System), NullLogger<IntegrationEventConsumer>.Instance);

    private static IntegrationEvent Event(string type) =>
        new(Guid.NewGuid().ToString(), type, IntegrationEventSources.Gamification, "users/x", Stored.At, JsonDocument.Parse("{}").RootElement.Clone());
}
