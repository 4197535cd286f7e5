using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Ports;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Trading;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Application.Gamification;

/// <summary>
/// Turns trading events from the feed into progression commands (closes and liquidations earn XP). The feed is at
/// least once; the progression decider drops a source event it has already applied, so each award happens once.
/// Users are handled in parallel, each user's commands in feed order.
/// </summary>
public sealed class ProgressionReactor(ProgressionService progression, ILogger<ProgressionReactor> logger) : IFeedHandler
{
    private static readonly string Closed = EventTypes.NameOf<PositionClosed>();
    private static readonly string Liquidated = EventTypes.NameOf<PositionLiquidated>();

    public async ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        var byUser = new Dictionary<Guid, List<ProgressionCommand>>();
        foreach (var recorded in batch)
        {
            // Only closes and liquidations earn XP: the other events are not even deserialized.
            if ((recorded.Type != Closed && recorded.Type != Liquidated)
                || !StreamIds.TryParseAccount(recorded.StreamId, out var userId, out var kind))
            {
                continue;
            }

            var venue = VenueOf(kind);
            ProgressionCommand? command = EventTypes.Deserialize(recorded) switch
            {
                // Closes by a practice reset or a tournament's settlement are not trading activity (they would turn
                // resets into free XP); a stop-loss or take-profit is the trader's own exit, set in advance; a live
                // position closed on the exchange (in Extended's own app, or deleveraged) is a close, not a liquidation.
                PositionClosed { Reason: CloseReason.User or CloseReason.StopLoss or CloseReason.TakeProfit or CloseReason.Exchange } e => new RecordClose(
                    recorded.StreamId, recorded.Version, e.PositionId.ToString(), venue, e.Terms.OpenedAt, e.At, e.Terms.Notional, e.RealizedPnl),
                PositionLiquidated e => new RecordLiquidation(recorded.StreamId, recorded.Version, e.PositionId.ToString(), e.At),
                _ => null,
            };

            if (command is not null)
            {
                if (!byUser.TryGetValue(userId, out var commands))
                {
                    byUser[userId] = commands = [];
                }

                commands.Add(command);
            }
        }

        // Many users at once lets their appends share group commits; one user's commands stay in order.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(byUser, parallel, async (user, ct) =>
        {
            foreach (var command in user.Value)
            {
                var result = await progression.Repository.ExecuteAsync(
                    StreamIds.Progression(user.Key), state => Progression.Decide(state, command, progression.Rules), ct);
                if (!result.IsSuccess)
                {
                    // The feed commands cannot be refused by the rules; anything else (a conflict storm) must retry the batch.
                    logger.LogWarning("Progression command {Command} for {User} failed: {Error}", command, user.Key, result.Error);
                    throw new InvalidOperationException($"Progression update failed: {result.Error}");
                }
            }
        });
    }

    /// <summary>Where a close happened decides its XP: a live close earns more than a virtual one (DOMAIN.md §2).</summary>
    private static TradingVenue VenueOf(AccountKind kind) => kind switch
    {
        AccountKind.Practice => TradingVenue.Practice,
        AccountKind.Tournament => TradingVenue.Tournament,
        AccountKind.Live => TradingVenue.Live,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "An account kind without a trading venue."),
    };
}
