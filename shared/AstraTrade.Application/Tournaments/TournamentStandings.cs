using AstraTrade.Application.Common;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Feed;
using AstraTrade.Application.Leaderboards;
using AstraTrade.Application.Live;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Http;
using AstraTrade.Domain.Tournaments;
using AstraTrade.Domain.Trading;
using AstraTrade.Domain.Users;

namespace AstraTrade.Application.Tournaments;

/// <summary>
/// Live standings of every tournament, a feed projection (in memory, rebuilt at start) with O(log n) updates and
/// top-N, rank and neighbour reads, in exactly <see cref="Standings.Rank"/>'s order: qualified entries first, then
/// return, then the earlier entry. While live, equity is what the trades realized: cash plus the margin of open
/// positions at cost (marking every open position to every tick would re-rank the board on each price move; positions
/// are valued at mark once, when the tournament ends). Account events from the end on are ignored (standings freeze at
/// the end); once completed, the board holds the final results. Every change is pushed to the tournament's live stream.
/// </summary>
public sealed class TournamentStandings : IFeedHandler
{
    public const int MaxTop = 100;
    public const int MaxAround = 50;
    private const long QualifiedBand = 1L << 60;
    private const decimal Micro = 1_000_000m;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Board> _boards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, string> _usernames = [];
    private readonly LiveChannels<string> _channels = new();

    public LiveSubscription Subscribe(string tournamentId, DateTimeOffset connectedAt) => _channels.Subscribe(tournamentId, connectedAt);

    public ValueTask HandleAsync(IReadOnlyList<RecordedEvent> batch, CancellationToken cancellationToken)
    {
        foreach (var recorded in batch)
        {
            var tournament = StreamIds.TryParseTournament(recorded.StreamId, out var tournamentId);
            var account = !tournament && StreamIds.TryParseTournamentAccount(recorded.StreamId, out tournamentId, out _);
            var user = !tournament && !account && StreamIds.TryParseUser(recorded.StreamId, out _);
            if (!(tournament || account || user))
            {
                continue;
            }

            LiveMessage? message;
            lock (_gate)
            {
                if (recorded.Version <= _applied.GetValueOrDefault(recorded.StreamId))
                {
                    continue;
                }

                _applied[recorded.StreamId] = recorded.Version;
                message = Apply(tournamentId, recorded);
            }

            if (message is not null)
            {
                _channels.Publish(tournamentId, message, recorded.RecordedAt);
            }
        }

        return ValueTask.CompletedTask;
    }

    public Result<StandingsResponse> Top(string tournamentId, int top)
    {
        lock (_gate)
        {
            if (!_boards.TryGetValue(tournamentId, out var board) || board.Terms is null)
            {
                return TournamentErrors.NotFound();
            }

            return new StandingsResponse(tournamentId, board.Final, board.Ranked.Count, [.. board.Ranked.Range(1, top).Select(x => Line(board, x.Rank, x.Entry.UserId))]);
        }
    }

    public Result<StandingsAroundResponse> Around(string tournamentId, Guid userId, int around)
    {
        lock (_gate)
        {
            if (!_boards.TryGetValue(tournamentId, out var board) || board.Terms is null)
            {
                return TournamentErrors.NotFound();
            }

            if (board.Ranked.RankOf(userId) is not { } place)
            {
                return new StandingsAroundResponse(tournamentId, board.Final, board.Ranked.Count, null, []);
            }

            var lines = board.Ranked.Range(place - around, (2 * around) + 1).Select(x => Line(board, x.Rank, x.Entry.UserId)).ToList();
            return new StandingsAroundResponse(tournamentId, board.Final, board.Ranked.Count, lines.Single(l => l.UserId == userId), lines);
        }
    }

    private LiveMessage? Apply(string tournamentId, RecordedEvent recorded)
    {
        var e = EventTypes.Deserialize(recorded);
        if (StreamIds.TryParseUser(recorded.StreamId, out _))
        {
            if (e is UserRegistered registered)
            {
                _usernames[registered.UserId] = registered.Username;
            }

            return null;
        }

        if (!_boards.TryGetValue(tournamentId, out var board))
        {
            _boards[tournamentId] = board = new Board();
        }

        Guid changed;
        switch (e)
        {
            case TournamentCreated created:
                board.Terms = created.Terms;
                return null;
            case TournamentCompleted:
                board.Final = true;
                return UserEventHub.Message(
                    "final", $"{recorded.StreamId}:{recorded.Version}", new StandingsFinalMessage(tournamentId, board.Ranked.Count));
            case EntryJoined joined when Guid.TryParse(joined.UserId, out changed):
                board.Entries[changed] = new Entry(joined.EntryNumber, joined.At, joined.StartingBalance);
                break;
            case EntryScored scored when Guid.TryParse(scored.UserId, out changed) && board.Entries.TryGetValue(changed, out var line):
                line.Final = scored;
                break;
            // An order's reservation and release, and a stop-loss change, leave equity as it was: no standing changes.
            case IAccountEvent accountEvent
                when accountEvent is not (OrderPlaced or OrderReleased or ProtectionSet)
                     && StreamIds.TryParseTournamentAccount(recorded.StreamId, out _, out changed)
                     && board is { Terms: { } terms, Final: false }
                     && accountEvent.At < terms.EndsAt
                     && board.Entries.TryGetValue(changed, out var entry):
                entry.Apply(accountEvent, terms);
                break;
            default:
                return null;
        }

        var updated = board.Entries[changed];
        board.Ranked.Set(new BoardEntry(changed, Score(board, updated), updated.JoinedAt, updated.EntryNumber));
        var view = Line(board, board.Ranked.RankOf(changed)!.Value, changed);
        return UserEventHub.Message("standing", $"{recorded.StreamId}:{recorded.Version}", new StandingMessage(tournamentId, board.Final, board.Ranked.Count, view));
    }

    private StandingResponse Line(Board board, int place, Guid userId)
    {
        var entry = board.Entries[userId];
        var start = board.Terms!.StartingBalance;
        var equity = entry.Final?.Equity ?? entry.Equity;
        var qualified = Qualified(board, entry);
        return new StandingResponse(
            place,
            qualified ? place : null,
            userId,
            _usernames.GetValueOrDefault(userId, "unknown"),
            equity,
            Math.Round(Standings.ReturnOf(equity, start), 8, MidpointRounding.ToZero),
            entry.Final?.ClosedTrades ?? entry.ClosedTrades,
            qualified);
    }

    private static bool Qualified(Board board, Entry entry) => entry.Final?.Qualified ?? entry.ClosedTrades >= board.Terms!.MinClosedTrades;

    // One tournament shares one starting balance, so ranking by equity is ranking by return. Equity is never negative
    // (isolated margin) and is held to micro-dollars, so the score is exact below 2^60 micro-dollars.
    private static long Score(Board board, Entry entry)
    {
        var micros = (long)Math.Clamp((entry.Final?.Equity ?? entry.Equity) * Micro, 0m, QualifiedBand - 1);
        return Qualified(board, entry) ? QualifiedBand + micros : micros;
    }

    private sealed class Board
    {
        public TournamentTerms? Terms { get; set; }

        public bool Final { get; set; }

        public Dictionary<Guid, Entry> Entries { get; } = [];

        public RankedBoard Ranked { get; } = new();
    }

    private sealed class Entry(int entryNumber, DateTimeOffset joinedAt, decimal startingBalance)
    {
        private readonly Dictionary<Guid, decimal> _margin = [];
        private decimal _cash = startingBalance;

        public int EntryNumber { get; } = entryNumber;

        public DateTimeOffset JoinedAt { get; } = joinedAt;

        public int ClosedTrades { get; private set; }

        public EntryScored? Final { get; set; }

        public decimal Equity => _cash + _margin.Values.Sum();

        public void Apply(IAccountEvent e, TournamentTerms terms)
        {
            switch (e)
            {
                case AccountOpened opened:
                    _cash = opened.StartingBalance;
                    break;
                case PositionOpened opened:
                    _cash -= opened.Terms.InitialCollateral + opened.Terms.OpenFee;
                    _margin[opened.PositionId] = opened.Terms.InitialCollateral;
                    break;
                case PositionClosed closed:
                    _cash += closed.Payout;
                    _margin.Remove(closed.PositionId);
                    break;
                case PositionLiquidated liquidated:
                    _margin.Remove(liquidated.PositionId);
                    break;
                case FundingApplied funding:
                    _margin[funding.PositionId] = funding.CollateralAfter;
                    break;
            }

            ClosedTrades += TournamentResults.IsClosedTrade(e, terms) ? 1 : 0;
        }
    }
}
