using AstraTrade.Domain.Common;
using AstraTrade.Domain.Gamification;

namespace AstraTrade.Domain.Tournaments;

/// <summary>
/// The tournament aggregate as a decider (ARCHITECTURE.md §3): <see cref="Decide"/> turns a command into events or the
/// rule it broke, <see cref="Evolve"/> folds an event into state. Pure, total and deterministic: every time comes from
/// the command.
/// <para>
/// Phase changes follow the clock, not the timers: every command first catches up with what is due at its
/// <see cref="TournamentCommand.Now"/> (registration opens at start − lead; at the start the tournament goes live or,
/// with too few entries, is cancelled with refunds; at the end trading closes) and its own events follow those. A late
/// timer therefore never lets a join in after the start of a tournament that should have been cancelled, nor a trade
/// after the end. Catch-up events are kept only when the command is accepted; a rejected command changes nothing, and
/// the next command catches up the same way.
/// </para>
/// </summary>
public static class Tournament
{
    public const int MaxIdLength = 64;
    public const int MaxReasonLength = 500;

    public static Decision<ITournamentEvent> Decide(TournamentState state, TournamentCommand command, TournamentRules rules) => command switch
    {
        CreateTournament c => Create(state, c, rules),
        OpenRegistration c => OpenRegistration(state, c),
        JoinTournament c => Join(state, c),
        StartTournament c => Start(state, c),
        EndTournament c => End(state, c),
        AdvanceTournament c => Advance(state, c),
        FinalizeTournament c => Finalize(state, c),
        CancelTournament c => Cancel(state, c),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown tournament command."),
    };

    public static TournamentState Evolve(TournamentState state, ITournamentEvent @event) => @event switch
    {
        TournamentCreated e => state with { TournamentId = e.TournamentId, Terms = e.Terms, CreatedBy = e.CreatedBy, Status = TournamentStatus.Scheduled },
        RegistrationOpened => state with { Status = TournamentStatus.Registration },
        EntryJoined e when !state.Entries.ContainsKey(e.UserId) => state with
        {
            Entries = state.Entries.Add(e.UserId, new TournamentEntry(e.UserId, e.EntryNumber, e.At, e.EntryFee)),
            EntryFees = state.EntryFees + e.EntryFee,
        },
        TournamentStarted e => state with { Status = TournamentStatus.Live, StartedAt = e.At },
        EntryFeeRefunded e when !state.Refunds.ContainsKey(e.UserId) => state with { Refunds = state.Refunds.Add(e.UserId, e.Amount) },
        SponsorAmountReturned e => state with { SponsorReturned = e.Amount },
        TournamentCancelled e => state with { Status = TournamentStatus.Cancelled, Cancellation = e.Reason, ClosedAt = e.At },
        TournamentEnded e => state with { Status = TournamentStatus.Finalizing, EndedAt = e.At },
        EntryScored e => state with
        {
            FinalStandings = state.FinalStandings.Add(
                new Standing(e.Rank, e.UserId, e.EntryNumber, e.JoinedAt, e.Equity, e.Return, e.ClosedTrades, e.Qualified)),
        },
        PrizeAwarded e when !state.Prizes.ContainsKey(e.UserId) => state with { Prizes = state.Prizes.Add(e.UserId, e) },
        ChampionDeclared e => state with { Champion = state.Champion ?? e.UserId },
        TournamentCompleted e => state with { Status = TournamentStatus.Completed, ClosedAt = e.At },

        // Decide never repeats an entry, refund or prize; should a stream hold a repeat anyway, the first stands.
        // Total: an event this version does not know leaves the state as it is.
        _ => state,
    };

    public static TournamentState Fold(TournamentState state, IEnumerable<ITournamentEvent> events) => events.Aggregate(state, Evolve);

    /// <summary>The status <paramref name="state"/> has at <paramref name="now"/> once the phase changes due by then are applied.</summary>
    public static TournamentStatus StatusAt(TournamentState state, DateTimeOffset now) => AsOf(state, now).Status;

    /// <summary><paramref name="state"/> with the phase changes due by <paramref name="now"/> applied (what a reader
    /// should see before the timer that records them has run).</summary>
    public static TournamentState AsOf(TournamentState state, DateTimeOffset now)
    {
        if (state.Terms is null)
        {
            return state;
        }

        var changes = new Changes(state);
        CatchUp(changes, now);
        return changes.State;
    }

    /// <summary>
    /// The guard the application applies before any command to a tournament account (abuse rule: no trading outside
    /// the window): the user has an entry and the tournament is live at <paramref name="now"/>, i.e. started (not
    /// cancelled) and now in [start, end). Null when the trade may go ahead.
    /// </summary>
    public static DomainError? CheckTrading(TournamentState state, string userId, DateTimeOffset now)
    {
        if (state.Terms is null)
        {
            return TournamentErrors.NotFound();
        }

        if (!state.Entries.ContainsKey(userId))
        {
            return TournamentErrors.NotEntered(userId);
        }

        // StatusAt is no longer Live from the end on; the start is checked against a clock behind the one that started it.
        var live = StatusAt(state, now) == TournamentStatus.Live && now >= state.Terms.StartsAt;
        return live ? null : TournamentErrors.NotLive();
    }

    /// <summary>The progression command that unlocks TOURNAMENT_CHAMPION for the winner (DOMAIN.md §2–3).</summary>
    public static UnlockAchievement ChampionUnlock(string tournamentId, ChampionDeclared declared) =>
        new(declared.AchievementId, $"won tournament {tournamentId}", declared.At);

    private static Decision<ITournamentEvent> Create(TournamentState state, CreateTournament c, TournamentRules rules)
    {
        if (rules.Problem() is { } problem)
        {
            return TournamentErrors.InvalidRules(problem);
        }

        if (!Enum.IsDefined(c.Kind))
        {
            return TournamentErrors.InvalidKind(c.Kind);
        }

        var authorized = c.Kind == TournamentKind.Custom
            ? c.CreatedBy.Role == ActorRole.Admin
            : c.CreatedBy.Role is ActorRole.Admin or ActorRole.System;
        if (!authorized)
        {
            return TournamentErrors.NotAuthorized("create custom tournaments");
        }

        // The scheduler may create the same window twice: the same content again is a no-op, even after the start.
        if (state.Terms is { } existing)
        {
            var same = state.TournamentId == c.TournamentId
                       && existing.Kind == c.Kind
                       && existing.Name == (c.Name ?? "").Trim()
                       && existing.StartsAt == c.StartsAt
                       && existing.EndsAt == c.EndsAt
                       && existing.EntryFee == c.EntryFee
                       && existing.SponsorAmount == c.SponsorAmount
                       && existing.MaxEntries == c.MaxEntries;
            return same ? Decision<ITournamentEvent>.Accept() : TournamentErrors.AlreadyExists(state.TournamentId ?? c.TournamentId);
        }

        if (c.Kind == TournamentKind.Custom)
        {
            if (!IsCustomId(c.TournamentId))
            {
                return TournamentErrors.InvalidId(
                    c.TournamentId,
                    $"a custom id is '{TournamentSchedule.CustomPrefix}' and lower-case letters, digits or dashes, at most {MaxIdLength} characters");
            }

            var duration = c.EndsAt - c.StartsAt;
            if (duration < rules.MinCustomDuration || duration > rules.MaxCustomDuration)
            {
                return TournamentErrors.InvalidWindow(
                    $"A custom tournament lasts from {rules.MinCustomDuration} to {rules.MaxCustomDuration}; {duration} was asked.");
            }
        }
        else
        {
            var window = TournamentSchedule.WindowStartingAt(c.Kind, c.StartsAt);
            if (window is null || window.EndsAt != c.EndsAt)
            {
                return TournamentErrors.InvalidWindow(c.Kind == TournamentKind.Daily
                    ? "A daily tournament runs from 00:00 to 24:00 UTC of one day."
                    : "A weekly tournament runs from Monday 00:00 UTC to the next Monday 00:00 UTC.");
            }

            if (c.TournamentId != window.Id)
            {
                return TournamentErrors.InvalidId(c.TournamentId, $"this window's id is '{window.Id}'");
            }
        }

        var name = (c.Name ?? "").Trim();
        if (name.Length == 0 || name.Length > rules.MaxNameLength)
        {
            return TournamentErrors.InvalidName(rules.MaxNameLength);
        }

        if (c.Now >= c.StartsAt)
        {
            return TournamentErrors.StartInPast(c.StartsAt);
        }

        if (c.EntryFee < 0 || c.EntryFee > rules.MaxEntryFee)
        {
            return TournamentErrors.InvalidEntryFee(c.EntryFee, rules.MaxEntryFee);
        }

        if (c.SponsorAmount < 0 || c.SponsorAmount > rules.MaxSponsorAmount)
        {
            return TournamentErrors.InvalidSponsorAmount(c.SponsorAmount, rules.MaxSponsorAmount);
        }

        if (c.MaxEntries is { } max && max < rules.MinPlayers)
        {
            return TournamentErrors.InvalidMaxEntries(max, rules.MinPlayers);
        }

        var startsAt = c.StartsAt.ToUniversalTime();
        var endsAt = c.EndsAt.ToUniversalTime();
        var terms = new TournamentTerms(
            c.Kind,
            name,
            startsAt,
            endsAt,
            startsAt - rules.RegistrationLead,
            startsAt + TimeSpan.FromTicks((long)((Int128)(endsAt - startsAt).Ticks * rules.LateJoinPercent / 100)),
            c.EntryFee,
            c.SponsorAmount,
            c.MaxEntries,
            rules.StartingBalance,
            rules.MinPlayers,
            rules.MinClosedTrades,
            rules.PrizeTable());
        return Decision<ITournamentEvent>.Accept(new TournamentCreated(c.TournamentId, terms, c.CreatedBy.Id, c.Now.ToUniversalTime()));
    }

    private static Decision<ITournamentEvent> OpenRegistration(TournamentState state, OpenRegistration c)
    {
        if (state.Terms is not { } terms)
        {
            return TournamentErrors.NotFound();
        }

        if (state.Status == TournamentStatus.Scheduled && c.Now < terms.RegistrationOpensAt)
        {
            return TournamentErrors.RegistrationNotOpen(terms.RegistrationOpensAt);
        }

        return CatchUpOnly(state, c.Now);
    }

    private static Decision<ITournamentEvent> Join(TournamentState state, JoinTournament c)
    {
        if (state.Terms is not { } terms)
        {
            return TournamentErrors.NotFound();
        }

        if (string.IsNullOrWhiteSpace(c.UserId))
        {
            return TournamentErrors.InvalidUser();
        }

        if (c.Suspended)
        {
            return TournamentErrors.Suspended();
        }

        var changes = new Changes(state);
        CatchUp(changes, c.Now);
        var current = changes.State;
        if (current.Status == TournamentStatus.Cancelled)
        {
            return TournamentErrors.Cancelled();
        }

        if (current.Entries.ContainsKey(c.UserId))
        {
            return TournamentErrors.AlreadyJoined(c.UserId);
        }

        if (c.Now < terms.RegistrationOpensAt)
        {
            return TournamentErrors.RegistrationNotOpen(terms.RegistrationOpensAt);
        }

        // Inclusive: at exactly half the duration, half has not yet passed.
        if (c.Now > terms.JoinClosesAt || current.Status is not (TournamentStatus.Registration or TournamentStatus.Live))
        {
            return TournamentErrors.RegistrationClosed(terms.JoinClosesAt);
        }

        if (terms.MaxEntries is { } max && current.Entries.Count >= max)
        {
            return TournamentErrors.Full(max);
        }

        changes.Emit(new EntryJoined(c.UserId, current.Entries.Count + 1, terms.EntryFee, terms.StartingBalance, c.Now.ToUniversalTime()));
        return changes.Accept();
    }

    private static Decision<ITournamentEvent> Start(TournamentState state, StartTournament c)
    {
        if (state.Terms is not { } terms)
        {
            return TournamentErrors.NotFound();
        }

        if (state.Status is TournamentStatus.Scheduled or TournamentStatus.Registration && c.Now < terms.StartsAt)
        {
            return TournamentErrors.NotStarted(terms.StartsAt);
        }

        return CatchUpOnly(state, c.Now);
    }

    private static Decision<ITournamentEvent> End(TournamentState state, EndTournament c)
    {
        if (state.Terms is not { } terms)
        {
            return TournamentErrors.NotFound();
        }

        if (state.Status is TournamentStatus.Scheduled or TournamentStatus.Registration or TournamentStatus.Live && c.Now < terms.EndsAt)
        {
            return TournamentErrors.NotEnded(terms.EndsAt);
        }

        return CatchUpOnly(state, c.Now);
    }

    private static Decision<ITournamentEvent> Advance(TournamentState state, AdvanceTournament c) =>
        state.Terms is null ? TournamentErrors.NotFound() : CatchUpOnly(state, c.Now);

    private static Decision<ITournamentEvent> Finalize(TournamentState state, FinalizeTournament c)
    {
        if (state.Terms is not { } terms)
        {
            return TournamentErrors.NotFound();
        }

        // Exactly once: the prizes were decided with the completion; a retry, whatever its results, changes nothing.
        if (state.Status == TournamentStatus.Completed)
        {
            return Decision<ITournamentEvent>.Accept();
        }

        if (state.Status == TournamentStatus.Cancelled)
        {
            return TournamentErrors.Cancelled();
        }

        if (c.Now < terms.EndsAt)
        {
            return TournamentErrors.NotEnded(terms.EndsAt);
        }

        var changes = new Changes(state);
        CatchUp(changes, c.Now);
        if (changes.State.Status == TournamentStatus.Cancelled)
        {
            return changes.Accept(); // it never started: too few entries
        }

        var current = changes.State;
        if (InvalidResults(current, c.Results) is { } invalid)
        {
            return invalid;
        }

        var at = c.Now.ToUniversalTime();
        var standings = Standings.Rank(current.Entries.Values, c.Results!, terms.StartingBalance, terms.MinClosedTrades);
        foreach (var s in standings)
        {
            changes.Emit(new EntryScored(s.Rank, s.UserId, s.EntryNumber, s.JoinedAt, s.Equity, s.Return, s.ClosedTrades, s.Qualified, at));
        }

        var prizes = Prizes.Allocate(standings, current.Pool, terms.Prizes);
        foreach (var prize in prizes)
        {
            changes.Emit(new PrizeAwarded(prize.UserId, prize.Rank, prize.Shards, prize.Xp, at));
        }

        if (prizes.Count > 0)
        {
            changes.Emit(new ChampionDeclared(prizes[0].UserId, Achievements.TournamentChampion, at));
        }
        else
        {
            // Nobody qualified, so nobody won anything: the pool goes back where it came from.
            ReturnPool(changes, at);
        }

        changes.Emit(new TournamentCompleted(
            current.Entries.Count, prizes.Count, current.Pool, changes.State.ShardsAwarded, changes.State.ShardsReturned, at));
        return changes.Accept();
    }

    private static Decision<ITournamentEvent> Cancel(TournamentState state, CancelTournament c)
    {
        if (state.Terms is null)
        {
            return TournamentErrors.NotFound();
        }

        if (c.By.Role != ActorRole.Admin)
        {
            return TournamentErrors.NotAuthorized("cancel a tournament");
        }

        var reason = (c.Reason ?? "").Trim();
        if (reason.Length == 0 || reason.Length > MaxReasonLength)
        {
            return TournamentErrors.InvalidReason(MaxReasonLength);
        }

        if (state.Status == TournamentStatus.Cancelled)
        {
            return Decision<ITournamentEvent>.Accept();
        }

        var changes = new Changes(state);
        CatchUp(changes, c.Now);
        switch (changes.State.Status)
        {
            case TournamentStatus.Cancelled:
                return changes.Accept(); // it had just been cancelled for too few entries
            case TournamentStatus.Finalizing or TournamentStatus.Completed:
                return TournamentErrors.NotCancellable(changes.State.Status); // standings are frozen at the end
        }

        var at = c.Now.ToUniversalTime();
        var entries = changes.State.Entries.Count;
        ReturnPool(changes, at);
        changes.Emit(new TournamentCancelled(CancellationReason.ByAdmin, entries, c.By.Id, reason, at));
        return changes.Accept();
    }

    private static DomainError? InvalidResults(TournamentState state, IReadOnlyList<EntryResult>? results)
    {
        if (results is null)
        {
            return TournamentErrors.InvalidResults("Results are required: one per entry.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in results)
        {
            if (result.UserId is null || !state.Entries.ContainsKey(result.UserId))
            {
                return TournamentErrors.InvalidResults($"User {result.UserId} has no entry in this tournament.");
            }

            if (!seen.Add(result.UserId))
            {
                return TournamentErrors.InvalidResults($"There are two results for user {result.UserId}.");
            }

            if (result.Equity < 0 || result.ClosedTrades < 0)
            {
                return TournamentErrors.InvalidResults($"The result of user {result.UserId} has a negative equity or trade count.");
            }
        }

        var missing = state.Entries.Keys.FirstOrDefault(user => !seen.Contains(user));
        return missing is null ? null : TournamentErrors.InvalidResults($"There is no result for user {missing}; every entry needs one.");
    }

    private static Decision<ITournamentEvent> CatchUpOnly(TournamentState state, DateTimeOffset now)
    {
        var changes = new Changes(state);
        CatchUp(changes, now);
        return changes.Accept();
    }

    /// <summary>The phase changes due at <paramref name="now"/>, in order.</summary>
    private static void CatchUp(Changes changes, DateTimeOffset now)
    {
        var terms = changes.State.Terms!;
        var at = now.ToUniversalTime();
        if (changes.State.Status == TournamentStatus.Scheduled && now >= terms.RegistrationOpensAt)
        {
            changes.Emit(new RegistrationOpened(at));
        }

        if (changes.State.Status == TournamentStatus.Registration && now >= terms.StartsAt)
        {
            var entries = changes.State.Entries.Count;
            if (entries < terms.MinPlayers)
            {
                ReturnPool(changes, at);
                changes.Emit(new TournamentCancelled(CancellationReason.NotEnoughPlayers, entries, null, null, at));
            }
            else
            {
                changes.Emit(new TournamentStarted(entries, at));
            }
        }

        if (changes.State.Status == TournamentStatus.Live && now >= terms.EndsAt)
        {
            changes.Emit(new TournamentEnded(at));
        }
    }

    /// <summary>Refunds every entry fee (in entry order) and returns the sponsor amount; zero amounts leave no event.</summary>
    private static void ReturnPool(Changes changes, DateTimeOffset at)
    {
        foreach (var entry in changes.State.Entries.Values.OrderBy(e => e.EntryNumber))
        {
            if (entry.EntryFee > 0)
            {
                changes.Emit(new EntryFeeRefunded(entry.UserId, entry.EntryFee, at));
            }
        }

        if (changes.State.Terms!.SponsorAmount > 0)
        {
            changes.Emit(new SponsorAmountReturned(changes.State.Terms.SponsorAmount, at));
        }
    }

    private static bool IsCustomId(string? id) =>
        id is not null
        && id.Length > TournamentSchedule.CustomPrefix.Length
        && id.Length <= MaxIdLength
        && id.StartsWith(TournamentSchedule.CustomPrefix, StringComparison.Ordinal)
        && id.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>A decision being built: each event is evolved into the state as it is emitted, so later steps see it.</summary>
    private sealed class Changes(TournamentState state)
    {
        private readonly List<ITournamentEvent> _events = [];

        public TournamentState State { get; private set; } = state;

        public void Emit(ITournamentEvent e)
        {
            _events.Add(e);
            State = Evolve(State, e);
        }

        public Decision<ITournamentEvent> Accept() => Decision<ITournamentEvent>.Accept(_events);
    }
}
