using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AstraTrade.Contracts.Http;

namespace AstraTrade.LoadTest.Standings;

/// <summary>
/// The standings benchmark: with a board of <see cref="StandingsOptions.Players"/> players, how long from a trade to its
/// `standing` message on GET /tournaments/{id}/stream. See <see cref="StandingsOptions.Usage"/> and docs/PERFORMANCE.md.
/// </summary>
internal sealed class StandingsBenchmark(StandingsOptions options, Api api)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly byte[] _orderBody = Api.Utf8(string.Create(
        Inv, $$"""{"market":"{{options.Market}}","side":"long","leverage":{{options.Leverage}},"collateral":{{options.Collateral}}}"""));

    private readonly string _runId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, Player> _measured = [];
    private readonly Lock _record = new();

    // Recorded under _record.
    private readonly Histogram _afterResponse = new();
    private readonly Histogram _afterSend = new();
    private readonly Histogram _afterResponseOpen = new();
    private readonly Histogram _afterResponseClose = new();
    private readonly Histogram _http = new();
    private long _beforeResponse;

    // Counted by the stream reader and the trades.
    private long _standings;
    private long _standingsInWindow;
    private long _otherEvents;
    private long _mismatched;
    private long _unsolicited;
    private long _timeouts;
    private long _skipped;
    private long _backgroundTrades;
    private long _backgroundSkipped;
    private long _windowStart;
    private long _windowEnd;

    private string _tournamentId = "";
    private string _ordersPath = "";

    public async Task<int> RunAsync()
    {
        var o = options;
        Console.WriteLine(string.Create(Inv,
            $"Target {api.BaseUrl}  players {o.Players:N0}  measured trades {o.Trades:N0} at {o.Rate:0.#}/s from {o.MeasuredPlayers} players  " +
            $"background {o.BackgroundRate:0.#}/s  warm-up {o.Warmup.TotalSeconds:0.#} s"));
        var players = Enumerable.Range(1, o.Players).Select(i => new Player(i, $"{o.UserPrefix}-{i:D6}")).ToArray();
        var observer = players[0];
        var measured = players[1..(1 + o.MeasuredPlayers)];
        var background = players[(1 + o.MeasuredPlayers)..];

        // --- Set-up (not measured) ---
        var admin = new Player(0, o.Admin);
        if (!await SetUpAsync(admin, players))
        {
            ReportErrors();
            return 1;
        }

        foreach (var p in measured)
        {
            _measured[p.UserId] = p;
        }

        // --- The stream, as one of the players ---
        using var reader = new SseReader(api.BaseUrl);
        using var stop = new CancellationTokenSource();
        var opened = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var streaming = Task.Run(() => reader.ReadAsync($"api/v1/tournaments/{_tournamentId}/stream", observer.Token, e => OnEvent(e, ready), opened, stop.Token));
        if (await Task.WhenAny(ready.Task, streaming, Task.Delay(TimeSpan.FromSeconds(10))) != ready.Task)
        {
            Console.Error.WriteLine(opened.Task.IsCompleted ? $"The stream answered {opened.Task.Result} without a ready event." : "The stream did not open within 10 s.");
            await stop.CancelAsync();
            return 1;
        }

        Console.WriteLine($"Stream open as {observer.Username}: GET /api/v1/tournaments/{_tournamentId}/stream");

        // Optional viewers: more players on the same stream, each counting the standing messages it gets in the window.
        var viewerCounts = new long[o.Viewers];
        var viewerReaders = new List<SseReader>();
        var viewerTasks = new List<Task>();
        var viewersReady = new List<Task>();
        for (var v = 0; v < o.Viewers; v++)
        {
            var index = v;
            var viewer = background[v];
            var readyViewer = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var viewerReader = new SseReader(api.BaseUrl);
            viewerReaders.Add(viewerReader);
            viewersReady.Add(readyViewer.Task);
            viewerTasks.Add(Task.Run(() => viewerReader.ReadAsync(
                $"api/v1/tournaments/{_tournamentId}/stream", viewer.Token, e => CountViewer(e, readyViewer, viewerCounts, index),
                new TaskCompletionSource<int>(), stop.Token)));
        }

        if (o.Viewers > 0)
        {
            await Task.WhenAny(Task.WhenAll(viewersReady), Task.Delay(TimeSpan.FromSeconds(60)));
            if (!viewersReady.All(t => t.IsCompleted))
            {
                Console.Error.WriteLine($"Only {viewersReady.Count(t => t.IsCompleted)} of {o.Viewers} viewers' streams opened within 60 s.");
                await stop.CancelAsync();
                return 1;
            }

            Console.WriteLine($"{o.Viewers} more players watch the stream");
        }

        // --- Warm-up and measurement ---
        var warmupTrades = (long)Math.Round(o.Warmup.TotalSeconds * o.Rate);
        var measuredTasks = new ConcurrentBag<Task>();
        var backgroundTasks = new ConcurrentBag<Task>();
        using var stopBackground = new CancellationTokenSource();
        var nextBackground = 0;
        var backgroundLoop = o.BackgroundRate > 0
            ? Task.Run(() => ScheduleAsync(o.BackgroundRate, long.MaxValue, _ =>
            {
                if (Pick(background, ref nextBackground) is not { } p)
                {
                    Interlocked.Increment(ref _backgroundSkipped);
                    return;
                }

                backgroundTasks.Add(BackgroundTradeAsync(p));
            }, stopBackground.Token))
            : Task.CompletedTask;

        var clientCpu0 = TimeSpan.Zero;
        var serverCpu0 = 0.0;
        var nextMeasured = 0;
        var progress = Stopwatch.StartNew();
        await ScheduleAsync(o.Rate, warmupTrades + o.Trades, i =>
        {
            var record = i >= warmupTrades;
            if (i == warmupTrades)
            {
                clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                serverCpu0 = ServerCpuSeconds();
                Volatile.Write(ref _windowStart, Stopwatch.GetTimestamp());
                Console.WriteLine($"Warm-up done ({warmupTrades:N0} trades); measuring {o.Trades:N0} trades");
            }

            if (progress.Elapsed > TimeSpan.FromSeconds(10))
            {
                progress.Restart();
                Console.WriteLine(string.Create(Inv, $"  trade {i - warmupTrades,7:N0}  messages {Volatile.Read(ref _standings),9:N0}  timeouts {Volatile.Read(ref _timeouts)}  errors {_errors.Values.Sum()}"));
            }

            if (Pick(measured, ref nextMeasured) is not { } p)
            {
                if (record)
                {
                    Interlocked.Increment(ref _skipped);
                }

                return;
            }

            measuredTasks.Add(MeasuredTradeAsync(p, record));
        }, CancellationToken.None);
        var windowEnd = Stopwatch.GetTimestamp();
        Volatile.Write(ref _windowEnd, windowEnd);
        var seconds = Stopwatch.GetElapsedTime(Volatile.Read(ref _windowStart), windowEnd).TotalSeconds;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu0).TotalSeconds;
        var serverCpu = ServerCpuSeconds() - serverCpu0;

        await Task.WhenAll(measuredTasks);
        await stopBackground.CancelAsync();
        await backgroundLoop;
        await Task.WhenAll(backgroundTasks);
        await stop.CancelAsync();
        foreach (var (name, task) in viewerTasks.Select(t => ("viewer stream", t)).Prepend(("stream", streaming)))
        {
            try
            {
                await task;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException)
            {
                // The server ended a stream before the run did: what it would have delivered is missing.
                Error(name, new Outcome(0, 0, ex.GetType().Name));
            }
        }

        foreach (var r in viewerReaders)
        {
            r.Dispose();
        }

        Report(seconds, clientCpu, serverCpu, reader.Bytes);
        if (o.Viewers > 0)
        {
            var primary = Volatile.Read(ref _standingsInWindow);
            Console.WriteLine(string.Create(Inv,
                $"Viewers: {o.Viewers} more streams got {viewerCounts.Sum() / seconds:N0} standing messages/s in all during the measurement; per viewer min {viewerCounts.Min():N0}, " +
                $"mean {viewerCounts.Average():N0}, max {viewerCounts.Max():N0} (the measuring stream: {primary:N0}); {viewerReaders.Sum(r => r.Bytes):N0} bytes in all"));
        }

        var failed = !_errors.IsEmpty || Volatile.Read(ref _timeouts) > 0 || _afterResponse.Count == 0;
        return failed ? 1 : 0;
    }

    private async Task<bool> SetUpAsync(Player admin, Player[] players)
    {
        var o = options;
        var clock = Stopwatch.StartNew();
        if (!await SignUpAsync(admin))
        {
            Console.Error.WriteLine($"Could not register the admin {admin.Username}.");
            return false;
        }

        await ForAllAsync(players, "register", SignUpAsync);
        if (!_errors.IsEmpty)
        {
            return false;
        }

        Console.WriteLine(string.Create(Inv, $"Registered {players.Length:N0} players in {clock.Elapsed.TotalSeconds:0.0} s"));

        // A custom tournament for exactly this many players, starting soon; registration is open at once (it opens
        // Tournaments:Rules:RegistrationLead, 24 h, before the start), and late joins stay open for half its hour.
        clock.Restart();
        _tournamentId = "custom-standings-" + _runId;
        _ordersPath = $"api/v1/orders?account=tournament:{_tournamentId}";
        var startsAt = DateTimeOffset.UtcNow + o.StartIn;
        var create = new CreateTournamentRequest(_tournamentId, "custom", "Standings benchmark", startsAt, startsAt.AddHours(1), 0, 0, o.Players);
        var (created, tournament) = await api.SendAsync(HttpMethod.Post, "api/v1/tournaments", admin.Token,
            Api.Utf8(create, StandingsJson.Default.CreateTournamentRequest), null, StandingsJson.Default.TournamentResponse);
        if (created.Status != 201 || tournament is null)
        {
            Console.Error.WriteLine($"Creating the tournament failed: {created.Key} (is {admin.Username} in Auth:AdminUsernames?)");
            return false;
        }

        Console.WriteLine($"Created {tournament.Id}: max {tournament.MaxEntries:N0} entries, starts {tournament.StartsAt:HH:mm:ss}, joins close {tournament.JoinClosesAt:HH:mm:ss}, ends {tournament.EndsAt:HH:mm:ss} UTC");

        await ForAllAsync(players, "join", async p =>
        {
            var (outcome, entry) = await api.SendAsync(HttpMethod.Post, $"api/v1/tournaments/{_tournamentId}/join", p.Token, null, null, StandingsJson.Default.TournamentEntryResponse);
            return outcome.Status == 201 && entry is not null;
        });
        if (!_errors.IsEmpty)
        {
            return false;
        }

        Console.WriteLine(string.Create(Inv, $"Joined {players.Length:N0} players in {clock.Elapsed.TotalSeconds:0.0} s"));

        // Live once the start has passed (the status is computed from the clock).
        var deadline = Stopwatch.GetTimestamp() + (long)((o.StartIn + TimeSpan.FromMinutes(1)).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var (outcome, state) = await api.SendAsync(HttpMethod.Get, $"api/v1/tournaments/{_tournamentId}", admin.Token, null, null, StandingsJson.Default.TournamentResponse);
            if (outcome.Ok && state is { Status: "live" })
            {
                Console.WriteLine(string.Create(Inv, $"Live with {state.Entries:N0} entries"));
                break;
            }

            if (!outcome.Ok || state is null || state.Status is "cancelled" or "finalizing" or "completed" || Stopwatch.GetTimestamp() > deadline)
            {
                Console.Error.WriteLine($"The tournament is not live: {outcome.Key} {state?.Status}");
                return false;
            }

            await Task.Delay(200);
        }

        // Every player trades (opens and closes a position), so each one's line reflects a trade; nobody is left
        // holding a position (no funding payments move anyone's standing during the measurement).
        clock.Restart();
        await ForAllAsync(players, "first trade", async p =>
        {
            var (opened, _) = await SendTradeAsync(p);
            var (closed, _) = opened ? await SendTradeAsync(p) : (false, 0m);
            return closed;
        });
        if (!_errors.IsEmpty)
        {
            return false;
        }

        Console.WriteLine(string.Create(Inv, $"Every player traded ({2 * players.Length:N0} orders and closes) in {clock.Elapsed.TotalSeconds:0.0} s"));

        var (top, board) = await api.SendAsync(HttpMethod.Get, $"api/v1/tournaments/{_tournamentId}/standings?top=3", players[0].Token, null, null, StandingsJson.Default.StandingsResponse);
        if (!top.Ok || board is null || board.Total != players.Length)
        {
            Console.Error.WriteLine($"The board does not hold every player: {top.Key}, total {board?.Total}");
            return false;
        }

        Console.WriteLine(string.Create(Inv, $"Board: {board.Total:N0} entries; leader {board.Entries[0].Username} at {board.Entries[0].Equity} USD"));

        // The measured players' equity as the board shows it: each measured trade's message must show this plus the
        // trade's effect.
        await ForAllAsync(players[1..(1 + o.MeasuredPlayers)], "standings/me", async p =>
        {
            var (outcome, me) = await api.SendAsync(HttpMethod.Get, $"api/v1/tournaments/{_tournamentId}/standings/me?around=0", p.Token, null, null, StandingsJson.Default.StandingsAroundResponse);
            if (!outcome.Ok || me?.Me is null || me.Me.UserId != p.UserId)
            {
                return false;
            }

            lock (p.Gate)
            {
                p.Equity = me.Me.Equity;
            }

            return true;
        });
        return _errors.IsEmpty;
    }

    private async Task<bool> SignUpAsync(Player p)
    {
        var body = Api.Utf8(new RegisterRequest(p.Username, options.Password), ClientJson.Default.RegisterRequest);
        var (outcome, tokens) = await api.SendAsync(HttpMethod.Post, "api/v1/auth/register", null, body, null, ClientJson.Default.TokenResponse);
        if (!outcome.Ok || tokens is null)
        {
            Error("register", outcome);
            return false;
        }

        p.UserId = tokens.UserId;
        p.Token = Api.Bearer(tokens.AccessToken);
        return true;
    }

    private async Task ForAllAsync(Player[] players, string what, Func<Player, Task<bool>> action)
    {
        var done = 0;
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(players, new ParallelOptions { MaxDegreeOfParallelism = options.SetupConcurrency }, async (p, _) =>
        {
            if (!_errors.IsEmpty)
            {
                return; // stop early: the set-up failed
            }

            if (!await action(p))
            {
                _errors.AddOrUpdate(what, 1, (_, n) => n + 1);
            }

            var n = Interlocked.Increment(ref done);
            if (n % 2_000 == 0)
            {
                Console.WriteLine(string.Create(Inv, $"  {what}: {n:N0}/{players.Length:N0} ({n / clock.Elapsed.TotalSeconds:N0}/s)"));
            }
        });
    }

    /// <summary>Opens a position (the player holds none) or closes the one it holds, in the tournament account. Returns
    /// whether it succeeded and the change it makes to the equity on the board: an open costs its fee (cash pays margin
    /// and fee, the margin counts at cost); a close pays out and releases the margin.</summary>
    private async Task<(bool Ok, decimal Delta)> SendTradeAsync(Player p)
    {
        if (p.OpenPosition is not { } position)
        {
            var key = string.Create(Inv, $"{p.Username}-{_runId}-{++p.Sequence}");
            var (outcome, placed) = await api.SendAsync(HttpMethod.Post, _ordersPath, p.Token, _orderBody, key, ClientJson.Default.PlaceOrderResponse);
            if (outcome.Status != 201 || outcome.Failure is not null || placed?.Position is null)
            {
                Error("open", outcome);
                return (false, 0);
            }

            p.OpenPosition = placed.Position.Id;
            return (true, -placed.Position.OpenFee);
        }

        var (result, closed) = await api.SendAsync(
            HttpMethod.Post, $"api/v1/positions/{position}/close?account=tournament:{_tournamentId}", p.Token, null, null, ClientJson.Default.PositionResponse);
        if (result.Status != 200 || closed is null || closed.Status is not ("closed" or "liquidated"))
        {
            Error("close", closed is null ? result : result with { Failure = "status " + closed.Status });
            return (false, 0);
        }

        p.OpenPosition = null;
        return (true, (closed.Payout ?? 0m) - closed.Collateral);
    }

    private async Task MeasuredTradeAsync(Player p, bool record)
    {
        try
        {
            var opening = p.OpenPosition is null;
            var pending = new PendingTrade(Stopwatch.GetTimestamp());
            lock (p.Gate)
            {
                p.Pending = pending;
            }

            var (ok, delta) = await SendTradeAsync(p);
            var responded = Stopwatch.GetTimestamp();
            long? seenAt = null;
            decimal expected;
            lock (p.Gate)
            {
                expected = p.Equity + delta;
                if (!ok)
                {
                    p.Pending = null;
                    p.Lost = true; // the server may have done it anyway: this player's equity is unknown now
                    return;
                }

                pending.RespondedAt = responded;
                pending.Expected = expected;
                foreach (var (at, equity) in pending.Early)
                {
                    if (equity == expected)
                    {
                        seenAt = at;
                        p.Pending = null;
                        break;
                    }

                    Interlocked.Increment(ref _mismatched);
                }
            }

            long messageAt;
            if (seenAt is { } early)
            {
                messageAt = early;
            }
            else
            {
                try
                {
                    messageAt = await pending.Seen.Task.WaitAsync(options.StreamTimeout);
                }
                catch (TimeoutException)
                {
                    lock (p.Gate)
                    {
                        if (ReferenceEquals(p.Pending, pending))
                        {
                            p.Pending = null;
                        }

                        p.Lost = true;
                    }

                    Interlocked.Increment(ref _timeouts);
                    Console.Error.WriteLine($"No standing message for {p.Username} (expected equity {expected}) within {options.StreamTimeout.TotalSeconds} s");
                    return;
                }
            }

            lock (p.Gate)
            {
                p.Equity = expected;
            }

            if (!record)
            {
                return;
            }

            var fromResponse = (long)Stopwatch.GetElapsedTime(responded, messageAt).TotalMicroseconds;
            var fromSend = (long)Stopwatch.GetElapsedTime(pending.SentAt, messageAt).TotalMicroseconds;
            var http = (long)Stopwatch.GetElapsedTime(pending.SentAt, responded).TotalMicroseconds;
            lock (_record)
            {
                // A message can come before the response (the feed pushes it as soon as it is committed): that trade
                // was visible on the stream when its response arrived, a lag of 0 from the response.
                if (messageAt < responded)
                {
                    _beforeResponse++;
                }

                _afterResponse.Record(Math.Max(0, fromResponse));
                (opening ? _afterResponseOpen : _afterResponseClose).Record(Math.Max(0, fromResponse));
                _afterSend.Record(fromSend);
                _http.Record(http);
            }
        }
        catch (Exception ex)
        {
            Error("measured trade", new Outcome(0, 0, ex.GetType().Name));
            Console.Error.WriteLine(ex);
        }
        finally
        {
            p.Release();
        }
    }

    private async Task BackgroundTradeAsync(Player p)
    {
        try
        {
            if ((await SendTradeAsync(p)).Ok)
            {
                Interlocked.Increment(ref _backgroundTrades);
            }
            else
            {
                p.Lost = true;
            }
        }
        catch (Exception ex)
        {
            Error("background trade", new Outcome(0, 0, ex.GetType().Name));
        }
        finally
        {
            p.Release();
        }
    }

    /// <summary>The stream reader's callback: match each `standing` message of a measured player to its trade.</summary>
    private void OnEvent(SseEvent e, TaskCompletionSource ready)
    {
        switch (e.Event)
        {
            case "ready":
                ready.TrySetResult();
                return;
            case "standing":
                break;
            default:
                Interlocked.Increment(ref _otherEvents);
                return;
        }

        Interlocked.Increment(ref _standings);
        var start = Volatile.Read(ref _windowStart);
        var end = Volatile.Read(ref _windowEnd);
        if (start != 0 && e.ReceivedAt >= start && (end == 0 || e.ReceivedAt <= end))
        {
            Interlocked.Increment(ref _standingsInWindow);
        }

        var message = JsonSerializer.Deserialize(e.Data.Span, StandingsJson.Default.StandingMessage);
        if (message?.Entry is not { } line || !_measured.TryGetValue(line.UserId, out var p))
        {
            return;
        }

        lock (p.Gate)
        {
            if (p.Pending is not { } pending)
            {
                // Nothing of this player's is in flight: something else changed its line (e.g. a funding payment).
                Interlocked.Increment(ref _unsolicited);
                p.Equity = line.Equity;
                return;
            }

            if (pending.Expected is not { } expected)
            {
                pending.Early.Add((e.ReceivedAt, line.Equity));
                return;
            }

            if (line.Equity == expected)
            {
                p.Pending = null;
                pending.Seen.TrySetResult(e.ReceivedAt);
            }
            else
            {
                Interlocked.Increment(ref _mismatched);
            }
        }
    }

    private void CountViewer(SseEvent e, TaskCompletionSource ready, long[] counts, int index)
    {
        if (e.Event == "ready")
        {
            ready.TrySetResult();
            return;
        }

        var start = Volatile.Read(ref _windowStart);
        var end = Volatile.Read(ref _windowEnd);
        if (e.Event == "standing" && start != 0 && e.ReceivedAt >= start && (end == 0 || e.ReceivedAt <= end))
        {
            Interlocked.Increment(ref counts[index]);
        }
    }

    /// <summary>The next free player, round robin; null when all are busy (or lost).</summary>
    private static Player? Pick(Player[] pool, ref int next)
    {
        for (var tried = 0; tried < pool.Length; tried++)
        {
            var p = pool[next];
            next = (next + 1) % pool.Length;
            if (!p.Lost && p.TryAcquire())
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>Open loop: launches number i at start + i / rate, whatever the earlier ones are doing.</summary>
    private static async Task ScheduleAsync(double rate, long count, Action<long> launch, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        for (long i = 0; i < count && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = due - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            launch(i);
        }
    }

    private void Error(string operation, Outcome outcome) => _errors.AddOrUpdate(operation + " " + outcome.Key, 1, (_, n) => n + 1);

    private double ServerCpuSeconds()
    {
        if (options.ServerPid is not { } pid)
        {
            return double.NaN;
        }

        try
        {
            // /proc/PID/stat: fields 14 and 15 are user and system time in clock ticks (100 per second on Linux).
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) / 100.0;
        }
        catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    private void ReportErrors()
    {
        if (!_errors.IsEmpty)
        {
            Console.WriteLine("ERRORS: " + string.Join(", ", _errors.OrderBy(e => e.Key).Select(e => $"{e.Key} ×{e.Value}")));
        }
    }

    private void Report(double seconds, double clientCpu, double serverCpu, long streamBytes)
    {
        var o = options;
        var messages = Volatile.Read(ref _standings);
        var inWindow = Volatile.Read(ref _standingsInWindow);
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv,
            $"Measured {seconds:0.0} s: {_afterResponse.Count:N0} trades seen on the stream ({_afterResponse.Count / seconds:0.#}/s offered {o.Rate:0.#}/s), " +
            $"{Volatile.Read(ref _backgroundTrades):N0} background trades in the whole run; board of {o.Players:N0} players"));
        Console.WriteLine("latency (ms)                     count      p50      p90      p99    p99.9      max     mean");
        foreach (var (name, h) in new[]
                 {
                     ("stream after response", _afterResponse), ("stream after send", _afterSend),
                     ("  after response: opens", _afterResponseOpen), ("  after response: closes", _afterResponseClose),
                     ("trade HTTP response", _http),
                 })
        {
            Console.WriteLine(string.Create(Inv,
                $"{name,-29}{h.Count,9:N0} {Ms(h.Percentile(50)),8:0.00} {Ms(h.Percentile(90)),8:0.00} {Ms(h.Percentile(99)),8:0.00} {Ms(h.Percentile(99.9)),8:0.00} {Ms(h.Max),8:0.00} {h.Mean / 1000.0,8:0.00}"));
        }

        Console.WriteLine(string.Create(Inv,
            $"{_beforeResponse:N0} of the measured trades' messages arrived before the trade's own HTTP response (counted as 0 ms after it)."));
        Console.WriteLine(string.Create(Inv,
            $"Stream: {messages:N0} standing messages in all, {inWindow / seconds:0.#}/s during the measurement; {streamBytes:N0} bytes " +
            $"({(messages == 0 ? 0 : streamBytes / (double)messages):0} per message, heartbeats and ready included); other events {Volatile.Read(ref _otherEvents)}; " +
            $"mismatched {Volatile.Read(ref _mismatched)}, unsolicited {Volatile.Read(ref _unsolicited)}, timeouts {Volatile.Read(ref _timeouts)}, " +
            $"slots skipped (all players busy): measured {Volatile.Read(ref _skipped)}, background {Volatile.Read(ref _backgroundSkipped)}"));
        Console.WriteLine(string.Create(Inv,
            $"CPU in the window: client {clientCpu:0.0} s ({clientCpu / seconds * 100:0}% of a core), server {serverCpu:0.0} s ({serverCpu / seconds * 100:0}% of a core)"));
        var p99 = Ms(_afterResponse.Percentile(99));
        Console.WriteLine(string.Create(Inv,
            $"p99 from the trade's response to its standing message: {p99:0.00} ms (target < {o.Target.TotalMilliseconds:0} ms: {(p99 < o.Target.TotalMilliseconds && _afterResponse.Count > 0 ? "met" : "NOT met")})"));
        Console.WriteLine(_errors.IsEmpty ? "errors: none" : "ERRORS: " + string.Join(", ", _errors.OrderBy(e => e.Key).Select(e => $"{e.Key} ×{e.Value}")));

        var summary = new Dictionary<string, object>
        {
            ["players"] = o.Players,
            ["measuredPlayers"] = o.MeasuredPlayers,
            ["rate"] = o.Rate,
            ["backgroundRate"] = o.BackgroundRate,
            ["seconds"] = Math.Round(seconds, 2),
            ["afterResponse"] = Percentiles(_afterResponse),
            ["afterSend"] = Percentiles(_afterSend),
            ["afterResponseOpens"] = Percentiles(_afterResponseOpen),
            ["afterResponseCloses"] = Percentiles(_afterResponseClose),
            ["http"] = Percentiles(_http),
            ["beforeResponse"] = _beforeResponse,
            ["streamMessages"] = messages,
            ["streamMessagesPerSecond"] = Math.Round(inWindow / seconds, 1),
            ["streamBytes"] = streamBytes,
            ["mismatched"] = Volatile.Read(ref _mismatched),
            ["unsolicited"] = Volatile.Read(ref _unsolicited),
            ["timeouts"] = Volatile.Read(ref _timeouts),
            ["skipped"] = Volatile.Read(ref _skipped),
            ["backgroundSkipped"] = Volatile.Read(ref _backgroundSkipped),
            ["clientCpuCores"] = Math.Round(clientCpu / seconds, 2),
            ["serverCpuCores"] = double.IsFinite(serverCpu) ? Math.Round(serverCpu / seconds, 2) : -1,
            ["errors"] = new Dictionary<string, long>(_errors),
        };
        Console.WriteLine("SUMMARY " + JsonSerializer.Serialize(summary, AckJson.Default.DictionaryStringObject));
    }

    private static Dictionary<string, object> Percentiles(Histogram h) => new()
    {
        ["count"] = h.Count,
        ["p50Ms"] = Ms(h.Percentile(50)),
        ["p90Ms"] = Ms(h.Percentile(90)),
        ["p99Ms"] = Ms(h.Percentile(99)),
        ["p999Ms"] = Ms(h.Percentile(99.9)),
        ["maxMs"] = Ms(h.Max),
    };

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
