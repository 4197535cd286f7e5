using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Gamification;

namespace AstraTrade.Application.Gamification;

/// <summary>A user's progression: reading it, and the daily check-in.</summary>
public sealed class ProgressionService(IEventStore store, GamificationRules rules, TimeProvider time)
{
    public EventSourcedRepository<ProgressionState, IProgressionEvent> Repository { get; } =
        new(store, _ => ProgressionState.Initial, Progression.Evolve);

    public GamificationRules Rules => rules;

    public async ValueTask<ProgressionResponse> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var (state, _) = await Repository.LoadAsync(StreamIds.Progression(userId), cancellationToken);
        return View(state);
    }

    public async ValueTask<Result<CheckInResponse>> CheckInAsync(Guid userId, CancellationToken cancellationToken)
    {
        var command = new CheckIn(time.GetUtcNow());
        var result = await Repository.ExecuteAsync(StreamIds.Progression(userId), state => Progression.Decide(state, command, rules), cancellationToken);
        return result.IsSuccess
            ? new CheckInResponse(result.Value.Events.OfType<XpAwarded>().Sum(e => e.Amount), View(result.Value.State))
            : result.Error!;
    }

    private ProgressionResponse View(ProgressionState state)
    {
        var today = UtcDay.Of(time.GetUtcNow());
        return new ProgressionResponse(
            state.Xp,
            state.Level,
            state.XpForNextLevel,
            state.StreakAsOf(today),
            state.BestStreak,
            state.MaxLeverage,
            state.Shards,
            state.LastCheckInDay == today,
            [.. state.UnlockedAchievements
                .OrderBy(a => a.Value)
                .Select(a => Achievements.Find(a.Key, rules) is { } info
                    ? new AchievementResponse(a.Key, info.Condition, info.BonusXp, a.Value)
                    : new AchievementResponse(a.Key, a.Key, 0, a.Value))]);
    }
}
