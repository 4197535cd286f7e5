using System.Text.Json.Serialization;
using AstraTrade.Contracts.Http;

namespace AstraTrade.LoadTest.Standings;

/// <summary>Source-generated JSON for the tournament DTOs the benchmark reads and writes (camelCase, like the API).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CreateTournamentRequest))]
[JsonSerializable(typeof(TournamentResponse))]
[JsonSerializable(typeof(TournamentEntryResponse))]
[JsonSerializable(typeof(StandingMessage))]
[JsonSerializable(typeof(StandingsResponse))]
[JsonSerializable(typeof(StandingsAroundResponse))]
internal sealed partial class StandingsJson : JsonSerializerContext;

/// <summary>
/// One tournament player. At most one trade is in flight per player (<see cref="TryAcquire"/>), so its orders stay in
/// sequence and, for a measured player, the trade in flight is the only thing that can change its standing.
/// </summary>
internal sealed class Player(int index, string username)
{
    private int _busy;

    public int Index { get; } = index;

    public string Username { get; } = username;

    public Guid UserId { get; set; }

    public string Token { get; set; } = "";

    public long Sequence { get; set; }

    /// <summary>The tournament position this player holds (its next trade closes it), or null (its next trade opens one).</summary>
    public Guid? OpenPosition { get; set; }

    /// <summary>Measured players: the equity the board shows for this player (cash plus margin at cost). Guarded by <see cref="Gate"/>.</summary>
    public decimal Equity { get; set; }

    /// <summary>Guards <see cref="Pending"/> and <see cref="Equity"/> between the trade and the stream reader.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The measured trade waiting for its standing message. Guarded by <see cref="Gate"/>.</summary>
    public PendingTrade? Pending { get; set; }

    /// <summary>A request failed or a message never came: what the board shows for this player is no longer known, so
    /// it takes no more trades.</summary>
    public bool Lost { get; set; }

    public bool TryAcquire() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;

    public void Release() => Volatile.Write(ref _busy, 0);
}

/// <summary>
/// A measured trade until its standing message is seen. Messages for the player that arrive before the trade's response
/// (when the equity to expect is not known yet) are kept with their arrival time and checked once it is.
/// </summary>
internal sealed class PendingTrade(long sentAt)
{
    public long SentAt { get; } = sentAt;

    public long RespondedAt { get; set; }

    public decimal? Expected { get; set; }

    public List<(long At, decimal Equity)> Early { get; } = [];

    /// <summary>Completes with the Stopwatch timestamp of the read that delivered the matching message.</summary>
    public TaskCompletionSource<long> Seen { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
