using System.Globalization;

namespace AstraTrade.LoadTest.Standings;

/// <summary>Options of the standings benchmark (<c>AstraTrade.LoadTest standings …</c>). Every run is bounded in time
/// and targets loopback only.</summary>
internal sealed class StandingsOptions
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:5080");

    /// <summary>Players registered, joined and given a trade: the size of the board.</summary>
    public int Players { get; private set; } = 10_000;

    /// <summary>Measured trades (opens and closes, alternating per measured player).</summary>
    public int Trades { get; private set; } = 3_000;

    /// <summary>Measured trades per second, started on schedule (open loop).</summary>
    public double Rate { get; private set; } = 100;

    /// <summary>Players the measured trades come from; each has at most one trade in flight.</summary>
    public int MeasuredPlayers { get; private set; } = 300;

    /// <summary>Trades per second by the other players during the warm-up and the measurement (0 = none).</summary>
    public double BackgroundRate { get; private set; } = 200;

    /// <summary>Extra players that also watch the stream (each over its own connection; they only count what they get),
    /// to see the cost of fanning every change out to many viewers.</summary>
    public int Viewers { get; private set; }

    /// <summary>Seconds of trading at the same rates before the measurement (not recorded).</summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a measured trade waits for its standing message before it counts as lost.</summary>
    public TimeSpan StreamTimeout { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>The tournament starts this long after it is created (joins before that register, later ones late-join).</summary>
    public TimeSpan StartIn { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>Requests in flight during the set-up (registration, joins, the first trades).</summary>
    public int SetupConcurrency { get; private set; } = 32;

    public string UserPrefix { get; private set; } = "sb" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

    public string Password { get; private set; } = "standings-benchmark-password";

    /// <summary>Registers as admin: the app must list it in Auth:AdminUsernames.</summary>
    public string Admin { get; private set; } = "standings-admin";

    public int? ServerPid { get; private set; }

    public string Market { get; private set; } = "BTC-USD";

    public int Leverage { get; private set; } = 2;

    public decimal Collateral { get; private set; } = 10m;

    /// <summary>The p99 (from the order's response to the standing message) the issue asks for.</summary>
    public TimeSpan Target { get; private set; } = TimeSpan.FromMilliseconds(250);

    public static StandingsOptions Parse(string[] args)
    {
        var o = new StandingsOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--url": o.Url = new Uri(Next()); break;
                case "--players": o.Players = PositiveInt(Next()); break;
                case "--trades": o.Trades = PositiveInt(Next()); break;
                case "--rate": o.Rate = PositiveDouble(Next()); break;
                case "--measured-players": o.MeasuredPlayers = PositiveInt(Next()); break;
                case "--background-rate": o.BackgroundRate = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture); break;
                case "--viewers": o.Viewers = int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "--warmup": o.Warmup = TimeSpan.FromSeconds(double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture)); break;
                case "--stream-timeout": o.StreamTimeout = TimeSpan.FromSeconds(PositiveDouble(Next())); break;
                case "--start-in": o.StartIn = TimeSpan.FromSeconds(PositiveDouble(Next())); break;
                case "--setup-concurrency": o.SetupConcurrency = PositiveInt(Next()); break;
                case "--user-prefix": o.UserPrefix = Next(); break;
                case "--password": o.Password = Next(); break;
                case "--admin": o.Admin = Next(); break;
                case "--server-pid": o.ServerPid = PositiveInt(Next()); break;
                case "--market": o.Market = Next(); break;
                case "--leverage": o.Leverage = PositiveInt(Next()); break;
                case "--collateral": o.Collateral = decimal.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--target-ms": o.Target = TimeSpan.FromMilliseconds(PositiveDouble(Next())); break;
                case "-h" or "--help": throw new HelpRequested();
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        Api.EnsureLoopback(o.Url);
        if (o.Players < o.MeasuredPlayers + 2)
        {
            throw new ArgumentException("--players must be at least --measured-players + 2 (one player watches the stream, and background trades need another).");
        }

        if (o.Viewers > o.Players - o.MeasuredPlayers - 1 || o.Viewers > 5_000)
        {
            throw new ArgumentException("--viewers is at most 5,000 and at most the players that are neither measured nor the observer.");
        }

        if (o.BackgroundRate < 0 || o.Rate > 5_000 || o.BackgroundRate > 5_000)
        {
            throw new ArgumentException("--rate and --background-rate are at most 5,000 per second (and not negative).");
        }

        // Bounded: the measurement (trades / rate) at most 15 minutes, the warm-up at most 2, the tournament's start within 10.
        if (o.Trades / o.Rate > 900 || o.Warmup > TimeSpan.FromMinutes(2) || o.Warmup < TimeSpan.Zero || o.StartIn > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException("A run is bounded: --trades / --rate at most 900 s, --warmup 0 to 120 s, --start-in at most 600 s.");
        }

        if (o.Players > 100_000)
        {
            throw new ArgumentException("--players is at most 100,000.");
        }

        if (o.UserPrefix.Length is < 1 or > 20)
        {
            throw new ArgumentException("--user-prefix must be 1 to 20 characters (usernames are at most 30).");
        }

        return o;
    }

    public const string Usage = """
        AstraTrade standings benchmark: how long a tournament trade takes to reach the standings stream on a big board.

          AstraTrade.LoadTest standings [options]

        Set-up (not measured): registers an admin and --players players, creates (as admin) a custom tournament for that
        many players starting --start-in seconds later, joins every player, waits until it is live, gives every player a
        trade (open and close), checks the board holds every player, and opens GET /tournaments/{id}/stream as one of them.
        Then --warmup seconds of trading (not recorded) and --trades measured trades at --rate per second, open loop, from
        --measured-players players (alternating open and close, one trade in flight per player), with --background-rate
        trades per second from the other players. Each measured trade is matched to its own `standing` message by the
        player's id and the equity the trade must produce (computed from the fee or payout in the trade's response).

          --url URL                      base URL of the app, loopback only (default http://127.0.0.1:5080)
          --players N                    players on the board (default 10,000)
          --trades N                     measured trades (default 3,000)
          --rate R                       measured trades per second (default 100)
          --measured-players N           players the measured trades come from (default 300)
          --background-rate R            trades per second by the other players (default 200; 0 = none)
          --viewers N                    N more players watch the stream, each over its own connection, and count what
                                         they receive (default 0): the cost of sending every change to many viewers
          --warmup S                     seconds of trading before the measurement, not recorded (default 5)
          --stream-timeout S             a measured trade whose message has not come by then is lost (default 10)
          --start-in S                   the tournament starts S seconds after its creation (default 20)
          --setup-concurrency N          requests in flight during the set-up (default 32)
          --user-prefix P --password P   usernames P-000001… (default sb<time>), their password
          --admin NAME                   the admin's username; the app must list it in Auth:AdminUsernames (default standings-admin)
          --server-pid PID               report the server's CPU use during the measurement (from /proc)
          --market M --leverage L --collateral C   the orders (default BTC-USD, 2, 10)
          --target-ms MS                 the p99 target, from the trade's response to its message (default 250)

        Exit code 0 only when every request succeeded and every measured trade's message arrived.
        """;

    private static int PositiveInt(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"Expected a positive integer, got {s}.");

    private static double PositiveDouble(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"Expected a positive number, got {s}.");
}
