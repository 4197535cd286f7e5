using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Tournaments;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.Tournaments;

/// <summary>
/// Connects the tournament streams to their workflow instances (durable checkpoint, at-least-once): a created tournament
/// gets its instance, a cancelled one has the cancellation raised to it. Both are idempotent: an instance that exists
/// already (a redelivered batch) is what was wanted, and an instance that has finished, or was purged, needs no event.
/// One subscription does both, in feed order, so an instance always exists before its cancellation is raised.
/// </summary>
public sealed class TournamentWorkflowReactor(WorkflowClient workflows) : IFeedHandler
{
    private static readonly string Created = EventTypes.NameOf<TournamentCreated>();
    private static readonly string Cancelled = EventTypes.NameOf<TournamentCancelled>();

    public async ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            if ((recorded.Type != Created && recorded.Type != Cancelled) || !StreamIds.TryParseTournament(recorded.StreamId, out var tournamentId))
            {
                continue;
            }

            var instanceId = TournamentWorkflow.InstanceId(tournamentId);
            switch (EventTypes.Deserialize(recorded))
            {
                case TournamentCreated:
                    var started = await workflows.StartNewAsync(
                        TournamentWorkflow.WorkflowName, new TournamentWorkflowInput(tournamentId), new StartOptions(instanceId), cancellationToken);
                    if (started.Outcome is not (StartOutcome.Started or StartOutcome.AlreadyExists))
                    {
                        throw new InvalidOperationException($"Starting the instance of tournament {tournamentId} failed: {started.Outcome} {started.Error}");
                    }

                    break;
                case TournamentCancelled cancelled:
                    await workflows.RaiseEventAsync(instanceId, TournamentActivities.Cancelled, TournamentViews.Reason(cancelled.Reason), cancellationToken);
                    break;
            }
        }
    }
}
