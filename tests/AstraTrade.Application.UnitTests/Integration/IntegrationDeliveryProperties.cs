using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Integration;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Gamification;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Application.UnitTests.Integration;

/// <summary>
/// The outbox end to end, standalone: stored events → the relay on a real <see cref="FeedSubscription"/> with a durable
/// checkpoint → the in-process publisher → the deduplicating consumer → two handlers. Whatever fails along the way —
/// handlers refusing events, publish requests failing, checkpoint saves failing, delivery-record reads failing, the
/// relay dying between requests and restarting from its checkpoint, batch and request sizes — each handler's effect
/// happens exactly once per event it consumes, and each user's events reach it in their stream's order.
/// (A failed write of the delivery record, after the handler succeeded, is the one window where a handler sees an event
/// twice; IntegrationEventConsumerTests shows it. Handlers are idempotent for that reason.)
/// </summary>
public class IntegrationDeliveryProperties
{
    private static readonly Guid[] Users = [.. Enumerable.Range(1, 3).Select(i => new Guid(i, 0, 0, new byte[8]))];

    [Fact]
    public void Every_event_reaches_every_handler_exactly_once_in_stream_order_whatever_fails() =>
        Prop.ForAll(Scenarios().ToArbitrary(), scenario => RunAsync(scenario).GetAwaiter().GetResult())
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150));

    private static async Task RunAsync(Scenario scenario)
    {
        var events = Feed(scenario.Events);
        var feed = new InMemoryFeed(events);
        var documents = new InMemoryDocuments();
        var faults = new Faults(scenario);
        documents.Fault = faults.Document;
        var achievements = new AchievementsHandler { Fault = _ => faults.Next(ref faults.AchievementCalls, scenario.AchievementFaults) };
        var progress = new ProgressHandler { Fault = _ => faults.Next(ref faults.ProgressCalls, scenario.ProgressFaults) };
        var options = new IntegrationRelayOptions { MaxEventsPerRequest = scenario.RequestSize };

        for (var run = 0; ; run++)
        {
            Assert.True(run < 100, "the relay kept crashing");
            using var crash = new CancellationTokenSource();
            var consumer = new IntegrationEventConsumer([achievements, progress], new IntegrationDeliveryLog(documents, TimeProvider.System), NullLogger<IntegrationEventConsumer>.Instance);
            using var relay = new IntegrationEventRelay(
                new Crashing(new InProcessIntegrationEventPublisher(consumer), faults, crash), options, TimeProvider.System, NullLogger<IntegrationEventRelay>.Instance);
            var subscription = new FeedSubscription(
                "integration-events", feed, relay, new CheckpointStore(documents), new InstantTimeProvider(), NullLogger.Instance, scenario.BatchSize);

            var running = subscription.RunAsync(crash.Token);
            var first = await Task.WhenAny(running, feed.Drained, Task.Delay(TimeSpan.FromSeconds(20)));
            Assert.True(first != running || crash.IsCancellationRequested, "the subscription stopped by itself");
            if (first == feed.Drained)
            {
                await crash.CancelAsync();
                await running;
                break;
            }

            Assert.True(first == running, "the relay did not drain the feed within 20 s");
        }

        var published = events.Select(IntegrationEventMapper.Map).OfType<IntegrationEvent>().ToList();
        AssertExactlyOnceInStreamOrder(published, achievements);
        AssertExactlyOnceInStreamOrder(published, progress);
    }

    private static void AssertExactlyOnceInStreamOrder(IReadOnlyList<IntegrationEvent> published, RecordingHandler handler)
    {
        var expected = published.Where(e => handler.EventTypes.Contains(e.Type)).ToList();
        var handled = handler.Handled;
        Assert.Equal(expected.Select(e => e.Id).Order(), handled.Select(e => e.Id).Order());
        foreach (var user in expected.GroupBy(e => e.Subject))
        {
            Assert.Equal(user.Select(e => e.Id), handled.Where(e => e.Subject == user.Key).Select(e => e.Id));
        }
    }

    /// <summary>Each user's progression stream, interleaved: achievements and levels (published) among XP awards (not).</summary>
    private static List<RecordedEvent> Feed(IReadOnlyList<(int User, int Kind)> plan)
    {
        var versions = new int[Users.Length];
        return
        [
            .. plan.Select(step =>
            {
                var at = Stored.At.AddSeconds(versions.Sum());
                object e = step.Kind switch
                {
                    0 => new AchievementUnlocked("A" + versions[step.User], 10, 1, "r", at),
                    1 => new LevelReached(versions[step.User] + 2, at),
                    _ => new XpAwarded(50, 0, XpReason.QualifyingClose, "p", DateOnly.FromDateTime(at.UtcDateTime), at),
                };
                return Stored.Event(StreamIds.Progression(Users[step.User]), ++versions[step.User], e, at);
            }),
        ];
    }

    private static Gen<Scenario> Scenarios()
    {
        var faults = Gen.ListOf(Gen.Choose(0, 3).Select(x => x == 0)).Select(l => l.Take(25).ToArray());
        return
            from steps in Gen.ListOf(Gen.Choose(0, Users.Length - 1).Zip(Gen.Choose(0, 2))).Select(l => l.Take(40).ToArray())
            from batchSize in Gen.Choose(1, 6)
            from requestSize in Gen.Choose(1, 4)
            from achievementFaults in faults
            from progressFaults in faults
            from publishFaults in faults
            from crashes in Gen.ListOf(Gen.Choose(0, 5).Select(x => x == 0)).Select(l => l.Take(15).ToArray())
            from checkpointFaults in faults
            from readFaults in faults
            select new Scenario(steps, batchSize, requestSize, achievementFaults, progressFaults, publishFaults, crashes, checkpointFaults, readFaults);
    }

    public sealed record Scenario(
        IReadOnlyList<(int User, int Kind)> Events,
        int BatchSize,
        int RequestSize,
        bool[] AchievementFaults,
        bool[] ProgressFaults,
        bool[] PublishFaults,
        bool[] Crashes,
        bool[] CheckpointFaults,
        bool[] ReadFaults)
    {
        public override string ToString() =>
            $"{Events.Count} events {string.Join(",", Events.Select(e => $"{e.User}{"ALX"[e.Kind]}"))}; batch {BatchSize}; request {RequestSize}; " +
            $"faults: achievements {Bits(AchievementFaults)} progress {Bits(ProgressFaults)} publish {Bits(PublishFaults)} crashes {Bits(Crashes)} " +
            $"checkpoints {Bits(CheckpointFaults)} reads {Bits(ReadFaults)}";

        private static string Bits(bool[] bits) => string.Concat(bits.Select(b => b ? '1' : '0'));
    }

    /// <summary>Consumes the scenario's fault lists call by call; past their end nothing fails, so every run ends.</summary>
    private sealed class Faults(Scenario scenario)
    {
        public int AchievementCalls;
        public int ProgressCalls;
        public int PublishCalls;
        public int CrashCalls;
        public int CheckpointCalls;
        public int ReadCalls;

        public bool Next(ref int counter, bool[] schedule)
        {
            var call = Interlocked.Increment(ref counter) - 1;
            return call < schedule.Length && schedule[call];
        }

        public void Document(string kind, string collection)
        {
            if ((kind, collection) == ("put", "checkpoints") && Next(ref CheckpointCalls, scenario.CheckpointFaults))
            {
                throw new IOException("checkpoint save failed");
            }

            if ((kind, collection) == ("get", "integration-deliveries") && Next(ref ReadCalls, scenario.ReadFaults))
            {
                throw new IOException("delivery record read failed");
            }
        }

        public bool Publish() => Next(ref PublishCalls, scenario.PublishFaults);

        public bool Crash() => Next(ref CrashCalls, scenario.Crashes);
    }

    /// <summary>Between two publish requests the relay may die (its subscription is cancelled, in-memory state lost) or the
    /// request may fail before reaching the consumer.</summary>
    private sealed class Crashing(IIntegrationEventPublisher inner, Faults faults, CancellationTokenSource process) : IIntegrationEventPublisher
    {
        public async ValueTask PublishAsync(IReadOnlyList<IntegrationEvent> events, CancellationToken cancellationToken)
        {
            if (faults.Crash())
            {
                await process.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (faults.Publish())
            {
                throw new HttpRequestException("topic unavailable");
            }

            await inner.PublishAsync(events, cancellationToken);
        }
    }
}
