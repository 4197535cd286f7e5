using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using AstraTrade.Application.Live;
using AstraTrade.Functions.Http;

namespace AstraTrade.Functions.Live;

public static class LiveEndpoints
{
    /// <summary>Idle streams get a heartbeat so proxies and mobile networks keep the connection open.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void MapLiveEndpoints(this RouteGroupBuilder api) =>
        api.MapGet("/stream", (ClaimsPrincipal user, UserEventHub hub, TimeProvider time, CancellationToken ct) =>
                TypedResults.ServerSentEvents(StreamAsync(hub.Subscribe(user.UserId(), time.GetUtcNow()), time, ct)))
            .WithTags("Live")
            .WithSummary("Server-sent events for the caller: xp, level-up, achievement, order, position (see docs/live-updates.md)")
            .RequireAuthorization();

    public static async IAsyncEnumerable<SseItem<string>> StreamAsync(
        LiveSubscription subscription, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var _ = subscription;
        yield return new SseItem<string>("{}", "ready");
        while (!cancellationToken.IsCancellationRequested)
        {
            using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            beat.CancelAfter(Heartbeat);
            bool more;
            try
            {
                more = await subscription.Messages.WaitToReadAsync(beat.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                more = true; // the heartbeat interval passed with nothing to send
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            var sent = false;
            while (subscription.Messages.TryRead(out var message))
            {
                sent = true;
                yield return new SseItem<string>(message.Data, message.Event) { EventId = message.Id };
            }

            if (!sent)
            {
                yield return new SseItem<string>($"{{\"at\":\"{time.GetUtcNow():O}\"}}", "heartbeat");
            }
        }
    }
}
