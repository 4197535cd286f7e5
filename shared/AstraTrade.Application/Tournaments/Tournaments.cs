using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Application.Tournaments;

/// <summary>The tournament streams (one per tournament, "tournament-{id}") and the rules new tournaments are created with.</summary>
public sealed class Tournaments(IEventStore store, TournamentRules rules)
{
    public EventSourcedRepository<TournamentState, ITournamentEvent> Repository { get; } =
        new(store, _ => TournamentState.Initial, Tournament.Evolve);

    public TournamentRules Rules => rules;

    public async ValueTask<TournamentState> LoadAsync(string tournamentId, CancellationToken cancellationToken) =>
        (await Repository.LoadAsync(StreamIds.Tournament(tournamentId), cancellationToken)).State;
}
