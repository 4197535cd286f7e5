using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Application.Tournaments;

/// <summary>
/// Carries a tournament's outcomes to its players (durable checkpoint, at-least-once): prizes (Stellar Shards and
/// uncapped XP) and refunds go to each player's progression once per source event, the winner unlocks
/// TOURNAMENT_CHAMPION. It also finishes every join whose entry fee was paid (<see cref="TournamentService.CompleteJoinAsync"/>),
/// so a crash between paying and entering never keeps a fee without an entry.
/// </summary>
public sealed class TournamentReactor(ProgressionService progression, TournamentService tournaments) : IFeedHandler
{
    private static readonly HashSet<string> Relevant =
    [
        EventTypes.NameOf<PrizeAwarded>(),
        EventTypes.NameOf<EntryFeeRefunded>(),
        EventTypes.NameOf<ChampionDeclared>(),
        EventTypes.NameOf<EntryFeePaid>(),
    ];

    public async ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            if (!Relevant.Contains(recorded.Type))
            {
                continue;
            }

            if (StreamIds.TryParseProgression(recorded.StreamId, out var payer))
            {
                if (EventTypes.Deserialize(recorded) is EntryFeePaid paid)
                {
                    await tournaments.CompleteJoinAsync(payer, paid.TournamentId, cancellationToken);
                }

                continue;
            }

            if (!StreamIds.TryParseTournament(recorded.StreamId, out var tournamentId))
            {
                continue;
            }

            var (user, command) = EventTypes.Deserialize(recorded) switch
            {
                PrizeAwarded e => (e.UserId, (ProgressionCommand)new RecordTournamentPayout(recorded.StreamId, recorded.Version, tournamentId, e.Xp, e.Shards, e.At)),
                EntryFeeRefunded e => (e.UserId, new RecordTournamentPayout(recorded.StreamId, recorded.Version, tournamentId, 0, e.Amount, e.At)),
                ChampionDeclared e => (e.UserId, Tournament.ChampionUnlock(tournamentId, e)),
                _ => (null, null),
            };

            if (command is null || !Guid.TryParse(user, out var userId))
            {
                continue;
            }

            var result = await progression.Repository.ExecuteAsync(
                StreamIds.Progression(userId), state => Progression.Decide(state, command, progression.Rules), cancellationToken);
            if (!result.IsSuccess)
            {
                // These commands cannot be refused by the rules; anything else must retry the batch.
                throw new InvalidOperationException($"Tournament payout {command} for {userId} failed: {result.Error}");
            }
        }
    }
}
