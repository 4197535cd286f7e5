using System.Globalization;

namespace AstraTrade.LoadTest;

internal enum Mode
{
    /// <summary>Each user: place a market order, close that position, repeat (placements ≈ closes).</summary>
    Cycle,

    /// <summary>Placements only: each user opens positions up to the account's limit (20), then rests.</summary>
    OpenOnly,
}

/// <summary>Command-line options. Every run is bounded in time and targets loopback only.</summary>
internal sealed class Options
{
    public Uri Url { get; private set; } = new("http://127.0.0.1:5080");

    public int Users { get; private set; } = 256;

    public int Concurrency { get; private set; } = 64;

    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(15);

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(30);

    public Mode Mode { get; private set; } = Mode.Cycle;

    /// <summary>Extra users that measure XP visibility: each places and closes one position at a time, spread over the
    /// measured window, and polls /progression until the close's XP shows (0 = no probes).</summary>
    public int XpProbes { get; private set; } = 64;

    /// <summary>Closes per probe. Few enough that each one earns XP: after the daily trading-XP cap (2,000) a close earns
    /// nothing and could not be seen; 20 closes earn at most 20 × 75 + 10 trading XP.</summary>
    public int XpProbeCloses { get; private set; } = 20;

    public TimeSpan XpPollInterval { get; private set; } = TimeSpan.FromMilliseconds(1);

    public TimeSpan XpTimeout { get; private set; } = TimeSpan.FromSeconds(5);

    public string UserPrefix { get; private set; } = "lt" + DateTime.UtcNow.ToString("HHmmss", CultureInfo.InvariantCulture);

    public string Password { get; private set; } = "load-test-password";

    /// <summary>register (create the users) or login (they exist already).</summary>
    public bool Register { get; private set; } = true;

    /// <summary>Where to write what the server acknowledged (users and position ids), for --verify.</summary>
    public string? AckFile { get; private set; }

    /// <summary>Verify mode: read an ack file and check through the API that every acknowledged order is stored.</summary>
    public string? Verify { get; private set; }

    public int? ServerPid { get; private set; }

    public string Market { get; private set; } = "BTC-USD";

    public int Leverage { get; private set; } = 2;

    public decimal Collateral { get; private set; } = 10m;

    public int Connections => Concurrency + 16;

    /// <summary>raw: the load test's own HTTP/1.1 client (cheap on CPU); httpclient: .NET's HttpClient, to cross-check.</summary>
    public bool RawClient { get; private set; } = true;

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--url": o.Url = new Uri(Next()); break;
                case "--users": o.Users = PositiveInt(Next()); break;
                case "--concurrency": o.Concurrency = PositiveInt(Next()); break;
                case "--warmup": o.Warmup = Seconds(Next()); break;
                case "--duration": o.Duration = Seconds(Next()); break;
                case "--mode": o.Mode = Next() switch { "cycle" => Mode.Cycle, "open-only" => Mode.OpenOnly, var m => throw new ArgumentException($"Unknown mode {m}.") }; break;
                case "--xp-probes": o.XpProbes = int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture); break;
                case "--xp-probe-closes": o.XpProbeCloses = PositiveInt(Next()); break;
                case "--xp-poll-ms": o.XpPollInterval = TimeSpan.FromMilliseconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--user-prefix": o.UserPrefix = Next(); break;
                case "--password": o.Password = Next(); break;
                case "--login": o.Register = false; break;
                case "--ack-file": o.AckFile = Next(); break;
                case "--verify": o.Verify = Next(); break;
                case "--server-pid": o.ServerPid = PositiveInt(Next()); break;
                case "--client": o.RawClient = Next() switch { "raw" => true, "httpclient" => false, var c => throw new ArgumentException($"Unknown client {c}.") }; break;
                case "--market": o.Market = Next(); break;
                case "--leverage": o.Leverage = PositiveInt(Next()); break;
                case "--collateral": o.Collateral = decimal.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "-h" or "--help": throw new HelpRequested();
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        Api.EnsureLoopback(o.Url);
        if (o.Users < o.Concurrency)
        {
            throw new ArgumentException("--users must be at least --concurrency (one request in flight per user keeps each user's orders in sequence).");
        }

        if (o.Duration > TimeSpan.FromMinutes(30) || o.Warmup > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException("A run is bounded: --duration at most 1800 s, --warmup at most 600 s.");
        }

        if (o.XpProbeCloses > 25)
        {
            throw new ArgumentException("--xp-probe-closes is at most 25: later closes can hit the daily trading-XP cap and earn nothing.");
        }

        if (o.UserPrefix.Length is < 1 or > 20)
        {
            throw new ArgumentException("--user-prefix must be 1 to 20 characters (usernames are at most 30).");
        }

        return o;
    }

    public const string Usage = """
        AstraTrade load test: registers users, then places and closes practice market orders against a running app.
        (AstraTrade.LoadTest standings --help: the tournament standings benchmark instead.)

          --url URL                      base URL of the app, loopback only (default http://127.0.0.1:5080)
          --users N                      users for the load, registered or logged in (default 256; ≥ concurrency)
          --concurrency N                requests in flight (closed loop, one per user at a time; default 64)
          --warmup S / --duration S      seconds of warm-up (not measured) and of measurement (default 15 / 30; the JIT tiers the hot
                                         code up during the first ~10 s)
          --mode cycle|open-only         place+close per user, or placements only up to 20 open per user
          --xp-probes N                  extra users that measure XP visibility (default 64, 0 = off): each spreads
                                         its closes over the window and polls /progression until the XP shows
          --xp-probe-closes N            closes per probe (default 20; ≤ 25 so every one earns XP under the daily cap)
          --xp-poll-ms MS                progression poll interval (default 1)
          --user-prefix P --password P   usernames P-00001…, one password (default lt<time>, load-test-password)
          --login                        log the users in instead of registering them (same --user-prefix and
                                         --password as when they registered); the probes' closes count against the
                                         daily trading-XP cap, so use probes at most once per UTC day per user
          --ack-file PATH                write every acknowledged position (for --verify)
          --verify PATH                  verify mode: check via the API that every position in PATH is stored
          --server-pid PID               report the server's CPU use during the measured window (from /proc)
          --client raw|httpclient        HTTP client: the test's own minimal HTTP/1.1 client (default; a fraction of
                                         HttpClient's CPU, which shares the 2 cores with the server) or HttpClient
          --market M --leverage L --collateral C   the order (default BTC-USD, 2, 10)

        Exit code 0 only when every request succeeded (and, with --verify, everything acknowledged is stored).
        """;

    private static int PositiveInt(string s) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"Expected a positive integer, got {s}.");

    private static TimeSpan Seconds(string s) => TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture));
}

internal sealed class HelpRequested : Exception;
