using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Common;
using AstraTrade.Domain.Gamification;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;

namespace AstraTrade.Application.Tournaments;

/// <summary>
/// The tournament use cases (DOMAIN.md §3) over the pure decider: create, cancel, join (with its entry fee), the phase
/// changes and the finalization. Every method is idempotent, so a timer or workflow may retry any of them.
/// </summary>
public sealed class TournamentService(
    Tournaments tournaments,
    TournamentAccounts tournamentAccounts,
    Accounts accounts,
    ProgressionService progression,
    ITraderProfiles traders,
    MarketCatalog markets,
    IMarketData marketData,
    IEventStore store,
    TimeProvider time)
{
    private const int ReadChunk = 512;

    // Joins of one user to one tournament run one at a time in this process, so a fee is never returned while a
    // second attempt that paid it again is joining (see EntryFeeReconciler).
    private readonly SemaphoreSlim[] _joinGates = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    private TournamentRules Rules => tournaments.Rules;

    public async ValueTask<Result<TournamentResponse>> GetAsync(string tournamentId, CancellationToken cancellationToken)
    {
        var state = await tournaments.LoadAsync(tournamentId, cancellationToken);
        return state.Terms is null ? TournamentErrors.NotFound() : TournamentViews.Tournament(state, time.GetUtcNow());
    }

    public async ValueTask<Result<TournamentResponse>> CreateAsync(Actor actor, CreateTournament request, CancellationToken cancellationToken)
    {
        var command = request with { CreatedBy = actor, Now = time.GetUtcNow() };
        return View(await DecideAsync(request.TournamentId, _ => command, cancellationToken));
    }

    public async ValueTask<Result<TournamentResponse>> CancelAsync(Actor actor, string tournamentId, string reason, CancellationToken cancellationToken) =>
        View(await DecideAsync(tournamentId, now => new CancelTournament(actor, reason, now), cancellationToken));

    /// <summary>Creates the scheduled daily and weekly tournaments starting within the horizon; returns how many were new.</summary>
    public async ValueTask<int> CreateScheduledAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var created = 0;
        foreach (var window in TournamentSchedule.Upcoming(now, Rules))
        {
            var result = await DecideAsync(window.Id, _ => TournamentSchedule.CreateCommand(window, Rules, now), cancellationToken);
            if (!result.IsSuccess)
            {
                throw new InvalidOperationException($"Creating {window.Id} failed: {result.Error}");
            }

            created += result.Value.Events.Count > 0 ? 1 : 0;
        }

        return created;
    }

    /// <summary>Applies the phase changes due now (registration opens, start or cancel for too few players, end).</summary>
    public async ValueTask<Result<TournamentStatus>> AdvanceAsync(string tournamentId, CancellationToken cancellationToken)
    {
        var result = await DecideAsync(tournamentId, now => new AdvanceTournament(now), cancellationToken);
        return result.IsSuccess ? result.Value.State.Status : result.Error!;
    }

    /// <summary>
    /// Joins the caller: checks everything the decider will check before taking an entry fee, takes the fee once, then
    /// asks for the entry; a refused entry gets its fee back. Crash-safe: a fee taken without an entry is completed or
    /// returned by <see cref="CompleteJoinAsync"/>, which the entry-fee reconciler runs for every fee paid.
    /// </summary>
    public async ValueTask<Result<TournamentEntryResponse>> JoinAsync(Guid userId, string tournamentId, CancellationToken cancellationToken)
    {
        var gate = JoinGate(userId, tournamentId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var state = await tournaments.LoadAsync(tournamentId, cancellationToken);
            var user = userId.ToString();
            var trader = await traders.GetAsync(userId, cancellationToken);
            var probe = Tournament.Decide(state, new JoinTournament(user, trader.Suspended, time.GetUtcNow()), Rules);
            if (probe.IsRejected)
            {
                return probe.Error!;
            }

            var fee = state.Terms!.EntryFee;
            if (fee > 0)
            {
                var paid = await progression.Repository.ExecuteAsync(
                    StreamIds.Progression(userId),
                    s => Progression.Decide(s, new PayEntryFee(tournamentId, fee, time.GetUtcNow()), progression.Rules),
                    cancellationToken);
                if (!paid.IsSuccess)
                {
                    return paid.Error!;
                }
            }

            return await EnterAsync(userId, trader.Suspended, tournamentId, fee > 0, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Finishes a join whose entry fee was paid: enters the user, or returns the fee if the entry is refused.
    /// A no-op when the fee was already returned or the user already has an entry.</summary>
    public async ValueTask CompleteJoinAsync(Guid userId, string tournamentId, CancellationToken cancellationToken)
    {
        var gate = JoinGate(userId, tournamentId);
        await gate.WaitAsync(cancellationToken);
        try
        {
            var (progress, _) = await progression.Repository.LoadAsync(StreamIds.Progression(userId), cancellationToken);
            if (progress.EntryFees.TryGetValue(tournamentId, out var fee) && !fee.Returned)
            {
                var trader = await traders.GetAsync(userId, cancellationToken);
                var entered = await EnterAsync(userId, trader.Suspended, tournamentId, feePaid: true, cancellationToken);
                if (!entered.IsSuccess && entered.Error!.Code == "conflict-retry")
                {
                    throw new InvalidOperationException($"Completing the join of {userId} to {tournamentId} must be retried.");
                }
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Finalizes an ended tournament: settles every entry's account at mark, counts its closed trades, and sends the
    /// results; the decider ranks and pays exactly once. Retrying after a failure (a stale price) or after success is
    /// safe. Returns the status reached.
    /// </summary>
    public async ValueTask<Result<TournamentStatus>> FinalizeAsync(string tournamentId, CancellationToken cancellationToken)
    {
        var state = await tournaments.LoadAsync(tournamentId, cancellationToken);
        if (state.Terms is not { } terms)
        {
            return TournamentErrors.NotFound();
        }

        if (state.IsClosed)
        {
            return state.Status;
        }

        var ended = await DecideAsync(tournamentId, now => new AdvanceTournament(now), cancellationToken);
        if (!ended.IsSuccess)
        {
            return ended.Error!;
        }

        state = ended.Value.State;
        if (state.Status != TournamentStatus.Finalizing)
        {
            // Closed meanwhile (cancelled at its start for too few players, or finalized by a concurrent run), or not ended yet.
            return state.IsClosed ? state.Status : TournamentErrors.NotEnded(terms.EndsAt);
        }
        var marks = CurrentMarks();
        var results = new List<EntryResult>(state.Entries.Count);
        foreach (var entry in state.Entries.Values)
        {
            var stream = StreamIds.TournamentAccount(tournamentId, Guid.Parse(entry.UserId));
            var settled = await accounts.Repository.ExecuteAsync(
                stream, s => s.IsOpened ? Account.Decide(s, new SettleAccount(marks, time.GetUtcNow()), accounts.Rules) : Decision<IAccountEvent>.Accept(), cancellationToken);
            if (!settled.IsSuccess)
            {
                return settled.Error!;
            }

            var account = settled.Value.State;
            var equity = account.IsOpened ? account.Balance : terms.StartingBalance;
            results.Add(new EntryResult(entry.UserId, equity, await ClosedTradesAsync(stream, terms, cancellationToken)));
        }

        var finalized = await DecideAsync(tournamentId, now => new FinalizeTournament(results, now), cancellationToken);
        return finalized.IsSuccess ? finalized.Value.State.Status : finalized.Error!;
    }

    private async ValueTask<Result<TournamentEntryResponse>> EnterAsync(
        Guid userId, bool suspended, string tournamentId, bool feePaid, CancellationToken cancellationToken)
    {
        var user = userId.ToString();
        var joined = await DecideAsync(tournamentId, now => new JoinTournament(user, suspended, now), cancellationToken);
        var state = joined.IsSuccess ? joined.Value.State : await tournaments.LoadAsync(tournamentId, cancellationToken);
        if (!state.Entries.TryGetValue(user, out var entry))
        {
            // Refused (full, closed, cancelled, suspended): the fee goes back. Only after a refusal, never on a
            // transient failure, which leaves the fee for the reconciler to retry.
            if (feePaid && joined.Error?.Code != "conflict-retry")
            {
                var returned = await progression.Repository.ExecuteAsync(
                    StreamIds.Progression(userId), s => Progression.Decide(s, new ReturnEntryFee(tournamentId, time.GetUtcNow()), progression.Rules), cancellationToken);
                if (!returned.IsSuccess)
                {
                    throw new InvalidOperationException($"Returning the entry fee of {userId} for {tournamentId} failed: {returned.Error}");
                }
            }

            return joined.Error!;
        }

        var opened = await tournamentAccounts.OpenAsync(StreamIds.TournamentAccount(tournamentId, userId), user, state.Terms!.StartingBalance, cancellationToken);
        if (!opened.IsSuccess)
        {
            return opened.Error!;
        }

        // A retried join that had already entered is an error to the caller only when it did not just pay.
        return joined.IsSuccess || feePaid ? TournamentViews.Entry(state, entry) : joined.Error!;
    }

    private async ValueTask<int> ClosedTradesAsync(string stream, TournamentTerms terms, CancellationToken cancellationToken)
    {
        var events = new List<IAccountEvent>();
        for (var from = 1L; ; )
        {
            var chunk = await store.ReadStreamAsync(stream, from, ReadChunk, cancellationToken);
            events.AddRange(chunk.Select(EventTypes.Deserialize).OfType<IAccountEvent>());
            if (chunk.Count < ReadChunk)
            {
                return TournamentResults.ClosedTrades(events, terms);
            }

            from = chunk[^1].Version + 1;
        }
    }

    private Dictionary<string, MarkPrice> CurrentMarks() => markets.All
        .Select(m => (m.Symbol, Ok: marketData.TryGetLatest(m.Symbol, out var tick), tick))
        .Where(x => x.Ok)
        .ToDictionary(x => x.Symbol, x => new MarkPrice(x.tick.Price, x.tick.Time));

    private ValueTask<Result<Executed<TournamentState, ITournamentEvent>>> DecideAsync(
        string tournamentId, Func<DateTimeOffset, TournamentCommand> command, CancellationToken cancellationToken) =>
        tournaments.Repository.ExecuteAsync(
            StreamIds.Tournament(tournamentId), state => Tournament.Decide(state, command(time.GetUtcNow()), Rules), cancellationToken);

    private Result<TournamentResponse> View(Result<Executed<TournamentState, ITournamentEvent>> result) =>
        result.IsSuccess ? TournamentViews.Tournament(result.Value.State, time.GetUtcNow()) : result.Error!;

    private SemaphoreSlim JoinGate(Guid userId, string tournamentId) =>
        _joinGates[(HashCode.Combine(userId, StringComparer.Ordinal.GetHashCode(tournamentId)) & int.MaxValue) % _joinGates.Length];
}
