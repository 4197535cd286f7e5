using System.Collections.Immutable;
using System.Diagnostics;
using AstraTrade.Domain.Common;

namespace AstraTrade.Domain.Gamification;

/// <summary>
/// The progression decider (ARCHITECTURE.md §3): pure, total and deterministic. Every timestamp comes from the
/// command, and an activity belongs to the UTC day of its own timestamp (team choice 2), never the processing time.
/// </summary>
public static class Progression
{
    public static Decision<IProgressionEvent> Decide(ProgressionState state, ProgressionCommand command, GamificationRules rules) =>
        command switch
        {
            RecordClose close => DecideClose(state, close, rules),
            RecordLiquidation liquidation => DecideLiquidation(state, liquidation, rules),
            CheckIn checkIn => DecideCheckIn(state, checkIn, rules),
            UnlockAchievement unlock => DecideUnlock(state, unlock, rules),
            RecordTournamentPayout payout => DecidePayout(state, payout, rules),
            PayEntryFee fee => DecideEntryFee(state, fee),
            ReturnEntryFee fee => DecideReturn(state, fee),
            _ => throw new UnreachableException($"{command.GetType()} is not a progression command."),
        };

    public static ProgressionState Evolve(ProgressionState state, IProgressionEvent e) => e switch
    {
        QualifyingCloseRecorded close => state with
        {
            QualifyingCloses = state.QualifyingCloses + 1,
            ProfitableCloses = state.ProfitableCloses + (close.Profitable ? 1 : 0),
            AppliedSourceVersions = Applied(state.AppliedSourceVersions, close.SourceStream, close.SourceVersion),
        },
        LiquidationRecorded liquidation => state with
        {
            Liquidations = state.Liquidations + 1,
            AppliedSourceVersions = Applied(state.AppliedSourceVersions, liquidation.SourceStream, liquidation.SourceVersion),
        },
        CheckedIn checkedIn => state with { LastCheckInDay = checkedIn.Day },
        StreakUpdated streak => state with
        {
            Streak = streak.Streak,
            BestStreak = Math.Max(state.BestStreak, streak.Streak),
            LastActivityDay = streak.Day,
        },
        XpAwarded xp => state with
        {
            Xp = state.Xp + xp.Amount,
            TradingXpByDay = DailyTradingXp.IsCapped(xp.Reason)
                ? DailyTradingXp.Add(state.TradingXpByDay, xp.Day, xp.Amount)
                : state.TradingXpByDay,
        },
        AchievementUnlocked unlocked when !state.UnlockedAchievements.ContainsKey(unlocked.AchievementId) => state with
        {
            UnlockedAchievements = state.UnlockedAchievements.Add(unlocked.AchievementId, unlocked.At),
            Shards = state.Shards + unlocked.Shards,
        },

        TournamentPayoutRecorded payout => state with
        {
            Shards = state.Shards + payout.Shards,
            AppliedSourceVersions = Applied(state.AppliedSourceVersions, payout.SourceStream, payout.SourceVersion),
        },
        EntryFeePaid paid when !(state.EntryFees.TryGetValue(paid.TournamentId, out var earlier) && !earlier.Returned) => state with
        {
            Shards = state.Shards - paid.Amount,
            EntryFees = state.EntryFees.SetItem(paid.TournamentId, new PaidEntryFee(paid.Amount, false)),
        },
        EntryFeeReturned returned when state.EntryFees.TryGetValue(returned.TournamentId, out var fee) && !fee.Returned => state with
        {
            Shards = state.Shards + fee.Amount,
            EntryFees = state.EntryFees.SetItem(returned.TournamentId, fee with { Returned = true }),
        },

        // Decide never unlocks twice; should a stream hold a repeat anyway, the first unlock stands.
        AchievementUnlocked => state,

        // The level follows from XP; the event only tells feeds and notifications.
        LevelReached => state,

        // Total: an event this version does not know leaves the state as it is.
        _ => state,
    };

    public static ProgressionState Fold(ProgressionState state, IEnumerable<IProgressionEvent> events) =>
        events.Aggregate(state, Evolve);

    private static Decision<IProgressionEvent> DecideClose(ProgressionState state, RecordClose close, GamificationRules rules)
    {
        if (InvalidFeedCommand(close.SourceStream, close.PositionId) is { } invalid)
        {
            return invalid;
        }

        if (!Enum.IsDefined(close.Venue))
        {
            return new DomainError("invalid-venue", $"Unknown trading venue {(int)close.Venue}.");
        }

        // Qualification depends on the command alone, so a non-qualifying close can leave no trace at all:
        // a redelivery of it decides the same nothing again.
        if (IsRedelivery(state, close.SourceStream, close.SourceVersion) || !Qualifies(close, rules))
        {
            return Decision<IProgressionEvent>.Accept();
        }

        var profitable = close.RealizedPnl > 0;
        var xp = (close.Venue == TradingVenue.Live ? rules.LiveCloseXp : rules.VirtualCloseXp)
            + (profitable ? rules.ProfitableCloseBonusXp : 0);
        var decision = new DecisionInProgress(state, rules);
        decision.Emit(new QualifyingCloseRecorded(close.SourceStream, close.SourceVersion, close.PositionId, close.Venue, profitable, close.ClosedAt));
        decision.QualifyingActivity(_ => xp, XpReason.QualifyingClose, close.PositionId, UtcDay.Of(close.ClosedAt), close.ClosedAt);
        return decision.Complete(close.ClosedAt);
    }

    // A liquidation is a lesson, not a qualifying activity (team choice 1): it earns (capped) XP but never
    // touches the streak.
    private static Decision<IProgressionEvent> DecideLiquidation(ProgressionState state, RecordLiquidation liquidation, GamificationRules rules)
    {
        if (InvalidFeedCommand(liquidation.SourceStream, liquidation.PositionId) is { } invalid)
        {
            return invalid;
        }

        if (IsRedelivery(state, liquidation.SourceStream, liquidation.SourceVersion))
        {
            return Decision<IProgressionEvent>.Accept();
        }

        var decision = new DecisionInProgress(state, rules);
        decision.Emit(new LiquidationRecorded(liquidation.SourceStream, liquidation.SourceVersion, liquidation.PositionId, liquidation.At));
        decision.Award(rules.LiquidationXp, XpReason.Liquidation, liquidation.PositionId, UtcDay.Of(liquidation.At), liquidation.At);
        return decision.Complete(liquidation.At);
    }

    private static Decision<IProgressionEvent> DecideCheckIn(ProgressionState state, CheckIn checkIn, GamificationRules rules)
    {
        var day = UtcDay.Of(checkIn.Now);

        // Also refuses a day before the last check-in: only the last day is stored, and a clock that went
        // back must not open a second check-in for a day already past.
        if (state.LastCheckInDay is { } last && day <= last)
        {
            return new DomainError("already-checked-in", $"Already checked in on {last:yyyy-MM-dd} (UTC); one check-in per UTC day.");
        }

        var decision = new DecisionInProgress(state, rules);
        decision.Emit(new CheckedIn(day, checkIn.Now));
        decision.QualifyingActivity(streak => CheckInXp(streak, rules), XpReason.CheckIn, null, day, checkIn.Now);
        return decision.Complete(checkIn.Now);
    }

    private static Decision<IProgressionEvent> DecideUnlock(ProgressionState state, UnlockAchievement unlock, GamificationRules rules)
    {
        var achievement = Achievements.Find(unlock.AchievementId, rules);
        if (achievement is null)
        {
            return new DomainError("unknown-achievement", $"No achievement '{unlock.AchievementId}'.");
        }

        // Achievements with a condition on the progression unlock only when it holds, never on request.
        if (!achievement.IsDecidedElsewhere)
        {
            return new DomainError("achievement-not-external", $"{achievement.Id} unlocks by its own condition ({achievement.Condition}).");
        }

        if (state.UnlockedAchievements.ContainsKey(achievement.Id))
        {
            return Decision<IProgressionEvent>.Accept();
        }

        var decision = new DecisionInProgress(state, rules);
        decision.Unlock(achievement, unlock.Reason, unlock.At);
        return decision.Complete(unlock.At);
    }

    private static Decision<IProgressionEvent> DecidePayout(ProgressionState state, RecordTournamentPayout payout, GamificationRules rules)
    {
        if (InvalidFeedCommand(payout.SourceStream, payout.TournamentId) is { } invalid)
        {
            return invalid;
        }

        if (payout.Xp < 0 || payout.Shards < 0)
        {
            return new DomainError("invalid-payout", "A tournament payout cannot take XP or Stellar Shards away.");
        }

        if (IsRedelivery(state, payout.SourceStream, payout.SourceVersion))
        {
            return Decision<IProgressionEvent>.Accept();
        }

        // Tournament XP is not trading activity: uncapped, and it does not extend the streak.
        var decision = new DecisionInProgress(state, rules);
        decision.Emit(new TournamentPayoutRecorded(payout.SourceStream, payout.SourceVersion, payout.TournamentId, payout.Xp, payout.Shards, payout.At));
        decision.Award(payout.Xp, XpReason.Tournament, payout.TournamentId, UtcDay.Of(payout.At), payout.At);
        return decision.Complete(payout.At);
    }

    private static Decision<IProgressionEvent> DecideEntryFee(ProgressionState state, PayEntryFee fee)
    {
        if (string.IsNullOrWhiteSpace(fee.TournamentId) || fee.Amount <= 0)
        {
            return new DomainError("invalid-entry-fee", "An entry fee needs its tournament and a positive amount of Stellar Shards.");
        }

        // Paid and not returned: a retried join goes on with the fee it paid. A returned fee (a refused join) is
        // paid again by a new attempt.
        if (state.EntryFees.TryGetValue(fee.TournamentId, out var paid) && !paid.Returned)
        {
            return Decision<IProgressionEvent>.Accept();
        }

        if (state.Shards < fee.Amount)
        {
            return new DomainError(
                "insufficient-shards", $"The entry fee is {fee.Amount} Stellar Shards; you have {state.Shards}.");
        }

        return Decision<IProgressionEvent>.Accept(new EntryFeePaid(fee.TournamentId, fee.Amount, fee.At));
    }

    private static Decision<IProgressionEvent> DecideReturn(ProgressionState state, ReturnEntryFee fee) =>
        state.EntryFees.TryGetValue(fee.TournamentId, out var paid) && !paid.Returned
            ? Decision<IProgressionEvent>.Accept(new EntryFeeReturned(fee.TournamentId, paid.Amount, fee.At))
            : Decision<IProgressionEvent>.Accept();

    private static DomainError? InvalidFeedCommand(string sourceStream, string positionId) =>
        string.IsNullOrWhiteSpace(sourceStream) ? new DomainError("invalid-source", "A feed command needs its source stream.")
        : string.IsNullOrWhiteSpace(positionId) ? new DomainError("invalid-position", "A feed command needs its position id.")
        : null;

    // The feed delivers each stream in version order, at least once: anything at or below the highest
    // version applied has been seen.
    private static bool IsRedelivery(ProgressionState state, string sourceStream, long sourceVersion) =>
        state.AppliedSourceVersions.TryGetValue(sourceStream, out var applied) && sourceVersion <= applied;

    private static bool Qualifies(RecordClose close, GamificationRules rules) =>
        close.ClosedAt - close.OpenedAt >= rules.MinimumHold && close.Notional >= rules.MinimumNotional;

    private static long CheckInXp(int streak, GamificationRules rules) => rules.CheckInXp + (
        streak >= rules.CheckInLongStreakDays ? rules.CheckInLongStreakBonusXp
        : streak >= rules.CheckInStreakDays ? rules.CheckInStreakBonusXp
        : 0);

    private static ImmutableSortedDictionary<string, long> Applied(ImmutableSortedDictionary<string, long> applied, string sourceStream, long sourceVersion) =>
        applied.SetItem(sourceStream, Math.Max(sourceVersion, applied.GetValueOrDefault(sourceStream, long.MinValue)));
}
