using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AstraTrade.Contracts.Http;

namespace AstraTrade.LoadTest;

/// <summary>One user the load test trades as: its token, what the server acknowledged, and its progression so far.</summary>
internal sealed class Session(int index, string username)
{
    public int Index { get; } = index;

    public string Username { get; } = username;

    public string Token { get; set; } = "";

    public long Sequence { get; set; }

    public List<Guid> Opened { get; } = [];

    public List<Guid> Closed { get; } = [];

    public Queue<Guid> Open { get; } = new();

    public long LastXp { get; set; }
}

/// <summary>What one worker measured; merged at the end so recording never contends.</summary>
internal sealed class WorkerStats
{
    public Histogram Place { get; } = new();

    public Histogram Close { get; } = new();

    public Histogram Progression { get; } = new();

    public Histogram XpLag { get; } = new();

    /// <summary>From a close's response to its order's lifecycle reading "closed" (the trade lifecycle completed).</summary>
    public Histogram SettleLag { get; } = new();

    public long PlacedInWindow { get; set; }

    public long ClosedInWindow { get; set; }

    public long PlacedTotal { get; set; }

    public long ClosedTotal { get; set; }

    public long XpPolls { get; set; }

    public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public void Error(string operation, Outcome outcome)
    {
        var key = operation + " " + outcome.Key;
        Errors[key] = Errors.GetValueOrDefault(key) + 1;
    }

    public void Add(WorkerStats other)
    {
        Place.Add(other.Place);
        Close.Add(other.Close);
        Progression.Add(other.Progression);
        XpLag.Add(other.XpLag);
        SettleLag.Add(other.SettleLag);
        PlacedInWindow += other.PlacedInWindow;
        ClosedInWindow += other.ClosedInWindow;
        PlacedTotal += other.PlacedTotal;
        ClosedTotal += other.ClosedTotal;
        XpPolls += other.XpPolls;
        foreach (var (k, v) in other.Errors)
        {
            Errors[k] = Errors.GetValueOrDefault(k) + v;
        }
    }
}

/// <summary>
/// The load: <c>concurrency</c> workers in a closed loop, each over its own slice of the users (so one user never has two
/// requests in flight and its orders stay in sequence), plus XP probes: a few extra users that, spread over the measured
/// window, place and close one position at a time and poll GET /progression until that close's XP shows.
/// </summary>
internal sealed class Runner(Options options, Api api)
{
    private const int Warmup = 0;
    private const int Measuring = 1;
    private const int Stopping = 2;

    private readonly byte[] _orderBody = Api.Utf8(string.Create(
        CultureInfo.InvariantCulture,
        $$"""{"market":"{{options.Market}}","side":"long","leverage":{{options.Leverage}},"collateral":{{options.Collateral}}}"""));

    // Idempotency keys are unique across runs too (--login reuses users): user, run, sequence.
    private readonly string _runId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4));
    private int _phase = Warmup;
    private int _exhausted;
    private long _windowStart;
    private long _windowEnd;

    public async Task<int> RunAsync()
    {
        var probeCount = options.XpProbes;
        var sessions = Enumerable.Range(1, options.Users + probeCount)
            .Select(i => new Session(i, $"{options.UserPrefix}-{i:D6}"))
            .ToArray();
        var users = sessions[..options.Users];
        var probes = sessions[options.Users..];

        Console.WriteLine($"Target {api.BaseUrl}  users {options.Users} (+{probeCount} XP probes)  concurrency {options.Concurrency}  " +
                          $"mode {options.Mode}  client {(options.RawClient ? "raw" : "httpclient")}  warm-up {options.Warmup.TotalSeconds:0.#} s  measured {options.Duration.TotalSeconds:0.#} s");

        var signIn = Stopwatch.StartNew();
        var authErrors = await SignInAllAsync(sessions);
        Console.WriteLine($"{(options.Register ? "Registered" : "Logged in")} {sessions.Length} users in {signIn.Elapsed.TotalSeconds:0.0} s" +
                          (authErrors.Count > 0 ? $"  ERRORS: {string.Join(", ", authErrors.Select(e => $"{e.Key}×{e.Value}"))}" : ""));
        if (authErrors.Count > 0)
        {
            return 1;
        }

        var workers = Enumerable.Range(0, options.Concurrency)
            .Select(w => new { Stats = new WorkerStats(), Users = users.Where(u => (u.Index - 1) % options.Concurrency == w).ToArray() })
            .ToArray();
        var probeStats = probes.Select(_ => new WorkerStats()).ToArray();

        var serverCpu0 = 0.0;
        var clientCpu0 = TimeSpan.Zero;
        var gc0 = (0, 0, 0);
        var started = Stopwatch.GetTimestamp();
        _windowStart = started + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        _windowEnd = _windowStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);

        var tasks = workers.Select(w => Task.Run(() => WorkAsync(w.Users, w.Stats))).ToList();
        tasks.AddRange(probes.Select((p, i) => Task.Run(() => ProbeAsync(p, probeStats[i], i, probes.Length))));

        // The clock: warm-up, then the measured window, then stop. The workers finish the request they are in.
        await Task.Delay(options.Warmup);
        clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        serverCpu0 = ServerCpuSeconds();
        gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        Volatile.Write(ref _phase, Measuring);
        var progress = Task.Run(async () =>
        {
            while (Volatile.Read(ref _phase) == Measuring)
            {
                await Task.Delay(5_000);
                if (Volatile.Read(ref _phase) != Measuring)
                {
                    break;
                }

                var s = Merge(workers.Select(w => w.Stats).Concat(probeStats));
                var elapsed = Stopwatch.GetElapsedTime(_windowStart).TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  t+{elapsed,5:0.0}s  placed {s.PlacedInWindow,9:N0}  closed {s.ClosedInWindow,9:N0}  errors {s.Errors.Values.Sum()}"));
            }
        });
        await Task.Delay(options.Duration);
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu0).TotalSeconds;
        var serverCpu = ServerCpuSeconds() - serverCpu0;
        var gcs = (GC.CollectionCount(0) - gc0.Item1, GC.CollectionCount(1) - gc0.Item2, GC.CollectionCount(2) - gc0.Item3);
        Volatile.Write(ref _phase, Stopping);
        await Task.WhenAll(tasks);
        await progress;

        var total = Merge(workers.Select(w => w.Stats).Concat(probeStats));
        if (options.AckFile is { } ackFile)
        {
            await WriteAcknowledgedAsync(ackFile, sessions);
        }

        Report(total, clientCpu, serverCpu, gcs);
        return total.Errors.Count == 0 ? 0 : 1;
    }

    private async Task WorkAsync(Session[] users, WorkerStats stats)
    {
        try
        {
            await LoopAsync(users, stats);
        }
        catch (Exception ex)
        {
            // A bug in the client must fail the run, not hang it or vanish.
            stats.Error("worker", new Outcome(0, 0, ex.GetType().Name));
            Console.Error.WriteLine(ex);
        }
    }

    private async Task LoopAsync(Session[] users, WorkerStats stats)
    {
        var next = 0;
        while (Volatile.Read(ref _phase) != Stopping)
        {
            var user = users[next];
            next = (next + 1) % users.Length;
            switch (options.Mode)
            {
                case Mode.Cycle:
                    if (await PlaceAsync(user, stats) is { } position)
                    {
                        await CloseAsync(user, position, stats);
                    }
                    else
                    {
                        await Task.Delay(10); // the failure is counted; do not hammer a server that is down
                    }

                    break;
                case Mode.OpenOnly:
                    if (user.Open.Count < OpenPositionLimit)
                    {
                        if (await PlaceAsync(user, stats) is { } opened)
                        {
                            user.Open.Enqueue(opened);
                        }
                        else
                        {
                            await Task.Delay(10);
                        }
                    }
                    else if (users.All(u => u.Open.Count >= OpenPositionLimit))
                    {
                        // Counted as an error: the rest of the window would measure idle workers, not the app.
                        if (Interlocked.Exchange(ref _exhausted, 1) == 0)
                        {
                            Console.Error.WriteLine("open-only: a worker's users all hold 20 open positions; use more --users (≥ rate × seconds / 20).");
                        }

                        stats.Error("open-only", new Outcome(0, 0, "users-exhausted"));
                        return;
                    }

                    break;
            }
        }
    }

    /// <summary>The account rule (DOMAIN.md §1: at most 20 open positions per account).</summary>
    private const int OpenPositionLimit = 20;

    /// <summary>
    /// One XP probe: spread its closes evenly over the measured window; after each, poll /progression until the XP rises
    /// above what it showed before. Only this loop trades as this user, so the previous XP is exact.
    /// </summary>
    /// <summary>Polls the order until its lifecycle has completed ("closed"): the close reached the lifecycle through
    /// the feed, and the instance's last step ran.</summary>
    private async Task SettledAsync(Session user, Guid orderId, long acknowledged, WorkerStats stats)
    {
        while (true)
        {
            var (outcome, order) = await api.SendAsync(HttpMethod.Get, $"api/v1/orders/{orderId}", user.Token, null, null, ClientJson.Default.OrderResponse);
            if (!outcome.Ok || order is null)
            {
                stats.Error("order", outcome);
                return;
            }

            if (order.Lifecycle == "closed")
            {
                stats.SettleLag.Record(Api.Micros(acknowledged));
                return;
            }

            if (Stopwatch.GetElapsedTime(acknowledged) > options.XpTimeout)
            {
                stats.Error("lifecycle-closed", new Outcome(0, 0, "timeout"));
                return;
            }

            await Task.Delay(options.XpPollInterval);
        }
    }

    private async Task ProbeAsync(Session user, WorkerStats stats, int index, int count)
    {
        // A logged-in user may have XP already: start from what /progression shows.
        var (start, current) = await api.SendAsync(HttpMethod.Get, "api/v1/progression", user.Token, null, null, ClientJson.Default.ProgressionResponse);
        if (!start.Ok || current is null)
        {
            stats.Error("progression", start);
            return;
        }

        user.LastXp = current.Xp;
        var closes = options.XpProbeCloses;
        var spacing = options.Duration.TotalSeconds / closes;
        var offset = spacing * (index + 0.5) / count; // stagger the probes across one spacing
        for (var i = 0; i < closes; i++)
        {
            var due = _windowStart + (long)((offset + (i * spacing)) * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
            }

            if (Volatile.Read(ref _phase) != Measuring)
            {
                return;
            }

            if (await PlaceAsync(user, stats) is not { } position || !await CloseAsync(user, position, stats))
            {
                continue;
            }

            var acknowledged = Stopwatch.GetTimestamp();
            await SettledAsync(user, position, acknowledged, stats);
            var baseline = user.LastXp;
            while (true)
            {
                var (outcome, progression) = await api.SendAsync(HttpMethod.Get, "api/v1/progression", user.Token, null, null, ClientJson.Default.ProgressionResponse);
                stats.XpPolls++;
                stats.Progression.Record(outcome.Micros);
                if (!outcome.Ok || progression is null)
                {
                    stats.Error("progression", outcome);
                    break;
                }

                if (progression.Xp > baseline)
                {
                    stats.XpLag.Record(Api.Micros(acknowledged));
                    user.LastXp = progression.Xp;
                    break;
                }

                if (Stopwatch.GetElapsedTime(acknowledged) > options.XpTimeout)
                {
                    stats.Error("xp-visible", new Outcome(0, 0, "timeout"));
                    break;
                }

                await Task.Delay(options.XpPollInterval);
            }
        }
    }

    private async Task<Guid?> PlaceAsync(Session user, WorkerStats stats)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{user.Username}-{_runId}-{++user.Sequence}");
        var started = Stopwatch.GetTimestamp();
        var (outcome, placed) = await api.SendAsync(HttpMethod.Post, "api/v1/orders", user.Token, _orderBody, key, ClientJson.Default.PlaceOrderResponse);
        var measured = InWindow(started);
        if (outcome.Status != 201 || outcome.Failure is not null || placed?.Position is null)
        {
            stats.Error("place", outcome);
            return null;
        }

        user.Opened.Add(placed.Position.Id);
        stats.PlacedTotal++;
        if (measured)
        {
            stats.Place.Record(outcome.Micros);
            stats.PlacedInWindow++;
        }

        return placed.Position.Id;
    }

    private async Task<bool> CloseAsync(Session user, Guid position, WorkerStats stats)
    {
        var started = Stopwatch.GetTimestamp();
        var (outcome, closed) = await api.SendAsync(
            HttpMethod.Post, $"api/v1/positions/{position}/close", user.Token, null, null, ClientJson.Default.PositionResponse);
        var measured = InWindow(started);
        if (outcome.Status != 200 || closed is null || closed.Status != "closed")
        {
            stats.Error("close", closed is null ? outcome : outcome with { Failure = "status " + closed.Status });
            return false;
        }

        user.Closed.Add(position);
        stats.ClosedTotal++;
        if (measured)
        {
            stats.Close.Record(outcome.Micros);
            stats.ClosedInWindow++;
        }

        return true;
    }

    private bool InWindow(long timestamp) => timestamp >= _windowStart && timestamp < _windowEnd;

    private async Task<Dictionary<string, long>> SignInAllAsync(Session[] sessions)
    {
        var errors = new ConcurrentDictionary<string, long>();
        var password = options.Password;
        await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.Concurrency, 32) }, async (s, _) =>
        {
            var (path, body) = options.Register
                ? ("api/v1/auth/register", Api.Utf8(new RegisterRequest(s.Username, password), ClientJson.Default.RegisterRequest))
                : ("api/v1/auth/login", Api.Utf8(new LoginRequest(s.Username, password), ClientJson.Default.LoginRequest));
            var (outcome, tokens) = await api.SendAsync(HttpMethod.Post, path, null, body, null, ClientJson.Default.TokenResponse);
            if (!outcome.Ok || tokens is null)
            {
                errors.AddOrUpdate((options.Register ? "register " : "login ") + outcome.Key, 1, (_, n) => n + 1);
                return;
            }

            s.Token = Api.Bearer(tokens.AccessToken);
        });
        return new Dictionary<string, long>(errors);
    }

    private static WorkerStats Merge(IEnumerable<WorkerStats> all)
    {
        var total = new WorkerStats();
        foreach (var s in all)
        {
            total.Add(s);
        }

        return total;
    }

    private double ServerCpuSeconds()
    {
        if (options.ServerPid is not { } pid)
        {
            return 0;
        }

        try
        {
            // /proc/PID/stat: fields 14 and 15 are user and system time in clock ticks (100 per second on Linux).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    private static async Task WriteAcknowledgedAsync(string path, Session[] sessions)
    {
        await using var file = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var s in sessions)
        {
            await file.WriteLineAsync(JsonSerializer.Serialize(new AckLine(s.Username, s.Opened, s.Closed), AckJson.Default.AckLine));
        }
    }

    private void Report(WorkerStats s, double clientCpu, double serverCpu, (int, int, int) gcs)
    {
        var seconds = options.Duration.TotalSeconds;
        var placeRate = s.PlacedInWindow / seconds;
        var closeRate = s.ClosedInWindow / seconds;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"Measured {seconds:0.#} s: {s.PlacedInWindow:N0} placements ({placeRate:N0}/s), {s.ClosedInWindow:N0} closes ({closeRate:N0}/s); " +
                                             $"whole run {s.PlacedTotal:N0} placed, {s.ClosedTotal:N0} closed"));
        Console.WriteLine("latency (ms)        count      p50      p90      p95      p99    p99.9      max     mean");
        foreach (var (name, h) in new[] { ("place order", s.Place), ("close position", s.Close), ("GET progression", s.Progression), ("XP visible lag", s.XpLag), ("lifecycle closed", s.SettleLag) })
        {
            Console.WriteLine(string.Create(inv,
                $"{name,-16}{h.Count,9:N0} {Ms(h.Percentile(50)),8:0.00} {Ms(h.Percentile(90)),8:0.00} {Ms(h.Percentile(95)),8:0.00} {Ms(h.Percentile(99)),8:0.00} {Ms(h.Percentile(99.9)),8:0.00} {Ms(h.Max),8:0.00} {h.Mean / 1000.0,8:0.00}"));
        }

        Console.WriteLine(string.Create(inv, $"XP lag: from the close's response to the first /progression response showing more XP, polled every {options.XpPollInterval.TotalMilliseconds:0.#} ms ({s.XpPolls:N0} polls)"));
        var requests = Math.Max(1, s.PlacedInWindow + s.ClosedInWindow + s.Progression.Count);
        Console.WriteLine(string.Create(inv, $"CPU in the window: client {clientCpu:0.0} s ({clientCpu / seconds * 100:0}% of a core, {clientCpu * 1e6 / requests:0} µs/request), " +
                                             $"server {serverCpu:0.0} s ({serverCpu / seconds * 100:0}% of a core, {serverCpu * 1e6 / requests:0} µs/request); client GCs gen0/1/2 {gcs.Item1}/{gcs.Item2}/{gcs.Item3}"));
        Console.WriteLine(s.Errors.Count == 0 ? "errors: none" : "ERRORS: " + string.Join(", ", s.Errors.OrderBy(e => e.Key).Select(e => $"{e.Key} ×{e.Value}")));

        var summary = new Dictionary<string, object>
        {
            ["mode"] = options.Mode.ToString(),
            ["users"] = options.Users,
            ["xpProbes"] = options.XpProbes,
            ["concurrency"] = options.Concurrency,
            ["client"] = options.RawClient ? "raw" : "httpclient",
            ["seconds"] = seconds,
            ["placementsPerSecond"] = Math.Round(placeRate, 1),
            ["closesPerSecond"] = Math.Round(closeRate, 1),
            ["place"] = Percentiles(s.Place),
            ["close"] = Percentiles(s.Close),
            ["progression"] = Percentiles(s.Progression),
            ["xpLag"] = Percentiles(s.XpLag),
            ["lifecycleClosedLag"] = Percentiles(s.SettleLag),
            ["placedTotal"] = s.PlacedTotal,
            ["closedTotal"] = s.ClosedTotal,
            ["clientCpuCores"] = Math.Round(clientCpu / seconds, 2),
            ["serverCpuCores"] = double.IsFinite(serverCpu) ? Math.Round(serverCpu / seconds, 2) : -1,
            ["serverCpuMicrosPerRequest"] = double.IsFinite(serverCpu) ? Math.Round(serverCpu * 1e6 / requests, 1) : -1,
            ["clientCpuMicrosPerRequest"] = Math.Round(clientCpu * 1e6 / requests, 1),
            ["errors"] = s.Errors,
        };
        Console.WriteLine("SUMMARY " + JsonSerializer.Serialize(summary, AckJson.Default.DictionaryStringObject));
    }

    private static Dictionary<string, object> Percentiles(Histogram h) => new()
    {
        ["count"] = h.Count,
        ["p50Ms"] = Ms(h.Percentile(50)),
        ["p90Ms"] = Ms(h.Percentile(90)),
        ["p95Ms"] = Ms(h.Percentile(95)),
        ["p99Ms"] = Ms(h.Percentile(99)),
        ["p999Ms"] = Ms(h.Percentile(99.9)),
        ["maxMs"] = Ms(h.Max),
    };

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
