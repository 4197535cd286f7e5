using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using Xunit.Abstractions;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>
/// Runs the crash harness (a separate process writing under load and printing every acknowledged write), kills it with
/// SIGKILL at a random moment, and checks the store against what it printed; several rounds on one data directory.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper log) : IDisposable
{
    private const int Workers = 12;
    private const int Rounds = 6;
    private const string CheckStream = "check";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_killed_process_loses_no_acknowledged_write_and_leaves_no_partial_append()
    {
        var appends = new List<AppendAck>();
        var puts = new List<PutAck>();
        for (var round = 0; round < Rounds; round++)
        {
            var lines = await RunAndKillAsync(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 400)), checkLockIsHeld: round == 0);
            var (roundAppends, roundPuts) = Parse(lines);
            appends.AddRange(roundAppends);
            puts.AddRange(roundPuts);

            var discarded = await VerifyAsync(appends, puts);
            log.WriteLine($"round {round}: {roundAppends.Count} appends and {roundPuts.Count} puts acknowledged, {discarded} torn bytes discarded");
        }
    }

    private static string HarnessPath => Path.Combine(AppContext.BaseDirectory, "AstraTrade.Infrastructure.CrashHarness.dll");

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";

    /// <summary>Starts the harness, lets it write until <paramref name="runFor"/> after its first acknowledgement, kills
    /// it, and returns the lines it printed whole (a kill can cut the last one short).</summary>
    private async Task<List<string>> RunAndKillAsync(TimeSpan runFor, bool checkLockIsHeld)
    {
        var start = new ProcessStartInfo(DotnetHost, [HarnessPath, _directory.Path, $"{Workers}", "120"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var harness = Process.Start(start)!;

        // Dedicated threads drain the pipes: blocking pipe reads on the thread pool could starve the test itself.
        var output = new OutputCapture(harness.StandardOutput.BaseStream);
        var errors = new OutputCapture(harness.StandardError.BaseStream);
        try
        {
            await output.FirstLine.WaitAsync(Patience);
            Assert.False(harness.HasExited, $"The harness stopped by itself (exit code {ExitCode(harness)}): {errors.Text}");
            if (checkLockIsHeld)
            {
                Assert.Throws<DataDirectoryInUseException>(() => Open());
            }

            await Task.Delay(runFor);
        }
        finally
        {
            harness.Kill();
            await harness.WaitForExitAsync();
        }

        var lines = output.Completed().Split('\n').SkipLast(1).ToList();
        Assert.True(lines.Count > 0, $"The harness acknowledged nothing. It said: {errors.Completed()}");
        Assert.DoesNotContain(lines, line => line.StartsWith("ERR", StringComparison.Ordinal));
        return lines;
    }

    /// <summary>Opens the store the harness left behind and checks everything it acknowledged; returns the torn bytes discarded.</summary>
    private async Task<long> VerifyAsync(List<AppendAck> appends, List<PutAck> puts)
    {
        await using var store = Open();
        var events = store.Events;
        var status = store.GetStatus();

        foreach (var ack in appends)
        {
            var stored = await events.ReadStreamAsync(ack.Stream, ack.FirstVersion, ack.EventIds.Length);
            Assert.Equal(ack.EventIds, stored.Select(e => e.EventId));
            Assert.Equal(Enumerable.Range(0, ack.EventIds.Length).Select(i => ack.FirstVersion + i), stored.Select(e => e.Version));
        }

        // Every stream the harness can write (see its Worker), acknowledged or not: a kill can leave appends unacknowledged.
        var streams = Enumerable.Range(0, Workers)
            .SelectMany(w => Enumerable.Range(0, 3).Select(i => $"w{w}-{i}"))
            .Append("hot")
            .Append(CheckStream);
        var byStream = new Dictionary<string, IReadOnlyList<RecordedEvent>>();
        foreach (var stream in streams)
        {
            var stored = await events.ReadStreamAsync(stream, 1, int.MaxValue);
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(v => (long)v), stored.Select(e => e.Version));
            AssertAppendsAreWhole(stream, stored);
            byStream[stream] = stored;
        }

        var feed = new List<RecordedEvent>();
        var checkpoint = FeedCheckpoint.Start;
        while (true)
        {
            var page = await events.ReadFeedAsync(checkpoint, 1000);
            if (page.Events.Count == 0)
            {
                break;
            }

            Assert.Equal(Position(checkpoint) + page.Events.Count, Position(page.Next));
            feed.AddRange(page.Events);
            checkpoint = page.Next;
        }

        Assert.Equal(status.HeadPosition, feed.Count);
        Assert.Equal(byStream.Values.Sum(s => s.Count), feed.Count);
        foreach (var (stream, stored) in byStream)
        {
            Assert.Equal(stored.Select(e => e.EventId), feed.Where(e => e.StreamId == stream).Select(e => e.EventId));
        }

        foreach (var last in puts.GroupBy(p => p.Id).Select(g => g.MaxBy(p => p.ETag)!))
        {
            var document = await store.Documents.GetAsync("crash", last.Id);
            Assert.NotNull(document);
            var counter = JsonDocument.Parse(document.Body).RootElement.GetProperty("counter").GetInt64();
            Assert.True(long.Parse(document.ETag, CultureInfo.InvariantCulture) >= last.ETag);
            Assert.True(document.ETag == last.ETag.ToString(CultureInfo.InvariantCulture) ? counter == last.Counter : counter > last.Counter);
        }

        var check = await events.AppendAsync(CheckStream, byStream[CheckStream].Count, [TestEvents.New()]);
        Assert.Equal(byStream[CheckStream].Count + 1, check.Version);
        return status.DiscardedTailBytes;
    }

    private static void AssertAppendsAreWhole(string stream, IReadOnlyList<RecordedEvent> stored)
    {
        if (stream == CheckStream)
        {
            return;
        }

        for (var i = 0; i < stored.Count;)
        {
            var data = JsonDocument.Parse(stored[i].Data).RootElement;
            var (append, count) = (data.GetProperty("append").GetGuid(), data.GetProperty("count").GetInt32());
            Assert.True(i + count <= stored.Count, $"{stream} ends inside append {append}.");
            for (var index = 0; index < count; index++)
            {
                var member = JsonDocument.Parse(stored[i + index].Data).RootElement;
                Assert.Equal(append, member.GetProperty("append").GetGuid());
                Assert.Equal(index, member.GetProperty("index").GetInt32());
            }

            i += count;
        }
    }

    private static (List<AppendAck> Appends, List<PutAck> Puts) Parse(List<string> lines)
    {
        var appends = new List<AppendAck>();
        var puts = new List<PutAck>();
        foreach (var line in lines)
        {
            var fields = line.Split(' ');
            switch (fields[0])
            {
                case "EVT":
                    appends.Add(new AppendAck(fields[1], long.Parse(fields[2], CultureInfo.InvariantCulture), fields[3].Split(',').Select(Guid.Parse).ToArray()));
                    break;
                case "DOC":
                    puts.Add(new PutAck(fields[2], long.Parse(fields[3], CultureInfo.InvariantCulture), long.Parse(fields[4], CultureInfo.InvariantCulture)));
                    break;
                default:
                    Assert.Fail($"The harness printed an unknown line: {line}");
                    break;
            }
        }

        return (appends, puts);
    }

    private static long Position(FeedCheckpoint checkpoint) => checkpoint.IsStart ? 0 : long.Parse(checkpoint.Value, CultureInfo.InvariantCulture);

    private static string ExitCode(Process process) => process.HasExited ? $"{process.ExitCode}" : "none";

    private EmbeddedStore Open() => EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path });

    /// <summary>Everything a process writes to one of its pipes, read on a thread of its own.</summary>
    private sealed class OutputCapture
    {
        private readonly MemoryStream _bytes = new();
        private readonly TaskCompletionSource _firstLine = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Thread _reader;

        public OutputCapture(Stream pipe)
        {
            _reader = new Thread(() => Drain(pipe)) { IsBackground = true };
            _reader.Start();
        }

        /// <summary>Completes at the first newline, or when the pipe closes.</summary>
        public Task FirstLine => _firstLine.Task;

        public string Text
        {
            get
            {
                lock (_bytes)
                {
                    return Encoding.UTF8.GetString(_bytes.ToArray());
                }
            }
        }

        /// <summary>Everything written, once the process has exited and the pipe is closed.</summary>
        public string Completed()
        {
            _reader.Join();
            return Text;
        }

        private void Drain(Stream pipe)
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = pipe.Read(buffer)) > 0)
            {
                lock (_bytes)
                {
                    _bytes.Write(buffer, 0, read);
                }

                if (buffer.AsSpan(0, read).Contains((byte)'\n'))
                {
                    _firstLine.TrySetResult();
                }
            }

            _firstLine.TrySetResult();
        }
    }

    private sealed record AppendAck(string Stream, long FirstVersion, Guid[] EventIds);

    private sealed record PutAck(string Id, long ETag, long Counter);
}
