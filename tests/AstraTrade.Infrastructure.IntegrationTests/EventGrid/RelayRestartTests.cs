using System.Net;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Integration;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Events;
using AstraTrade.Domain.Gamification;
using AstraTrade.Infrastructure.EventGrid;
using AstraTrade.Infrastructure.IntegrationTests.Storage;
using AstraTrade.Infrastructure.Storage.Embedded;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Infrastructure.IntegrationTests.EventGrid;

/// <summary>
/// The outbox over the real embedded store and the real SDK: the relay dies, or the topic refuses a request, in the
/// middle of a batch; the relay resumes from its durable checkpoint; the topic has then received every event at least
/// once, and a consumer fed everything the topic received (duplicates included) handles each event once.
/// </summary>
public sealed class RelayRestartTests : IAsyncDisposable
{
    private const string Subscription = "integration-events";
    private readonly TempDirectory _directory = new();
    private readonly LocalTopic _topic = new();

    public async ValueTask DisposeAsync()
    {
        await _topic.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task A_relay_killed_mid_batch_restarts_from_its_checkpoint_loses_nothing_and_its_duplicates_change_nothing()
    {
        List<IntegrationEvent> expected;
        await using (var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path }))
        {
            expected = await AppendProgressionAsync(store, users: 4, perUser: 6);

            // First life: the process dies while the topic is accepting its 5th request (3 events each, feed pages of 8
            // stored events): the topic keeps that request, the relay never hears back.
            using var kill = new CancellationTokenSource();
            _topic.Respond = n =>
            {
                if (n == 4)
                {
                    kill.Cancel();
                }

                return HttpStatusCode.OK;
            };
            var (firstLife, _) = Start(store, kill.Token);
            await firstLife.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(5, _topic.Requests.Count);
            var checkpoint = await new CheckpointStore(store.Documents).LoadAsync(Subscription, default);
            Assert.False(checkpoint.IsStart); // some pages were done before the kill...
            Assert.True(Accepted().Distinct().Count() < expected.Count); // ...and some events were not published yet

            // Second life, on the same store.
            _topic.Respond = _ => HttpStatusCode.OK;
            using var stop = new CancellationTokenSource();
            var (secondLife, subscription) = Start(store, stop.Token);
            await subscription.CaughtUp.WaitAsync(TimeSpan.FromSeconds(30));
            await stop.CancelAsync();
            await secondLife;
        }

        var accepted = Accepted();
        Assert.Equal(expected.Select(e => e.Id).Order(), accepted.Distinct().Order()); // nothing lost
        Assert.True(accepted.Count > expected.Count, "the events of the unfinished page were published again");
        Assert.Equal(expected.Select(e => e.Id), accepted.Distinct()); // first publications in feed order

        await AssertConsumerHandlesEachOnceAsync(expected, accepted.Count - expected.Count);
    }

    [Fact]
    public async Task A_request_the_topic_refuses_mid_batch_is_retried_with_the_rest_of_the_batch_until_it_goes_through()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path });
        var expected = await AppendProgressionAsync(store, users: 2, perUser: 5);
        _topic.Respond = n => n is 2 or 3 ? HttpStatusCode.BadRequest : HttpStatusCode.OK; // refused twice, not retried by the SDK
        using var stop = new CancellationTokenSource();

        var (running, subscription) = Start(store, stop.Token);
        await subscription.CaughtUp.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await running;

        Assert.Equal(2, _topic.Requests.Count(r => r.Status == HttpStatusCode.BadRequest));
        Assert.Equal(expected.Select(e => e.Id), Accepted().Distinct());
        Assert.Null(subscription.LastError);
    }

    /// <summary>Runs the relay as the app does: a durable feed subscription, requests of 3 events, pages of 8 stored events.</summary>
    private (Task Running, FeedSubscription Subscription) Start(EmbeddedStore store, CancellationToken stop)
    {
        var publisher = new EventGridIntegrationPublisher(EventGridIntegrationPublisher.CreateClient(new EventGridOptions
        {
            TopicEndpoint = _topic.Endpoint,
            TopicKey = "local",
            MaxRetries = 0,
        }));
        var relay = new IntegrationEventRelay(publisher, new IntegrationRelayOptions { MaxEventsPerRequest = 3 }, TimeProvider.System, NullLogger<IntegrationEventRelay>.Instance);
        var subscription = new FeedSubscription(
            Subscription, store.Events, relay, new CheckpointStore(store.Documents), TimeProvider.System, NullLogger.Instance, batchSize: 8);
        return (subscription.RunAsync(stop), subscription);
    }

    /// <summary>Ids of the events in every request the topic accepted, in the order it received them.</summary>
    private List<string> Accepted() =>
        [.. _topic.Requests.Where(r => r.Status == HttpStatusCode.OK).SelectMany(r => EventGridPayloads.Parse(r.Body)).Select(e => e.Id)];

    private async Task AssertConsumerHandlesEachOnceAsync(List<IntegrationEvent> expected, int duplicates)
    {
        await using var consumerStore = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Path.Combine(_directory.Path, "consumer") });
        var handler = new Recorder();
        var consumer = new IntegrationEventConsumer([handler], new IntegrationDeliveryLog(consumerStore.Documents, TimeProvider.System), NullLogger<IntegrationEventConsumer>.Instance);

        var received = _topic.Requests.Where(r => r.Status == HttpStatusCode.OK).SelectMany(r => EventGridPayloads.Parse(r.Body)).ToList();
        var handled = 0;
        var skipped = 0;
        foreach (var delivery in received.Chunk(2))
        {
            var result = await consumer.ConsumeAsync(delivery, default);
            (handled, skipped) = (handled + result.Handled, skipped + result.Duplicates);
        }

        Assert.Equal(expected.Select(e => e.Id), handler.Handled);
        Assert.Equal((expected.Count, duplicates), (handled, skipped));
    }

    /// <summary>Appends, per user, achievements and levels (published) between XP awards (not published); returns what the
    /// relay must publish, in feed order.</summary>
    private static async Task<List<IntegrationEvent>> AppendProgressionAsync(EmbeddedStore store, int users, int perUser)
    {
        var ids = Enumerable.Range(0, users).Select(_ => Guid.NewGuid()).ToList();
        var at = new DateTimeOffset(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < perUser; i++)
        {
            foreach (var user in ids)
            {
                object published = i % 2 == 0 ? new AchievementUnlocked("A" + i, 10, 1, "r", at) : new LevelReached(i + 1, at);
                await store.Events.AppendAsync(StreamIds.Progression(user), ExpectedVersion.Any,
                    [EventTypes.Serialize(new XpAwarded(10, 0, XpReason.Achievement, null, DateOnly.FromDateTime(at.UtcDateTime), at)), EventTypes.Serialize(published)]);
            }
        }

        var page = await store.Events.ReadFeedAsync(FeedCheckpoint.Start, 10_000);
        return [.. page.Events.Select(IntegrationEventMapper.Map).OfType<IntegrationEvent>()];
    }

    private sealed class Recorder : IIntegrationEventHandler
    {
        public List<string> Handled { get; } = [];

        public IReadOnlyCollection<string> EventTypes { get; } = [IntegrationEventTypes.AchievementUnlocked, IntegrationEventTypes.LevelReached];

        public ValueTask HandleAsync(IntegrationEvent integrationEvent, CancellationToken cancellationToken)
        {
            Handled.Add(integrationEvent.Id);
            return ValueTask.CompletedTask;
        }
    }
}
