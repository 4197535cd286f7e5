using System.Diagnostics;
using System.Text;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Orchestrations.CrashHost;
using Xunit.Abstractions;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>
/// The crash host (a separate process running <see cref="CrashWorkflow"/> instances on the embedded store) is killed with
/// SIGKILL at random moments, restarted on the same data directory each time, and finally left to finish. Then every
/// instance must have completed, and every activity call's side effect must exist exactly once, holding the value the
/// workflow received. The runtime delivers at least once; the activity deduplicates (see <see cref="SideEffects"/>).
/// </summary>
public sealed class CrashTests(ITestOutputHelper log) : IDisposable
{
    private const int Instances = 1_000;

    /// <summary>Kills that land while instances are still running: the test stops killing after this many, or as soon
    /// as everything has completed.</summary>
    private const int Kills = 6;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "astratrade-wf-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Killed_at_random_moments_every_instance_completes_and_every_side_effect_happens_exactly_once()
    {
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        log.WriteLine($"seed {seed}");

        var kills = 0;
        for (var round = 0; kills < Kills; round++)
        {
            var after = TimeSpan.FromMilliseconds(random.Next(150, 1_200));
            var run = await RunAsync(after);
            if (!run.Killed)
            {
                log.WriteLine($"round {round}: finished after {run.Elapsed.TotalMilliseconds:F0} ms, before its kill at {after.TotalMilliseconds:F0} ms");
                break;
            }

            var completed = await CountCompletedAsync();
            log.WriteLine($"round {round}: killed after {run.Elapsed.TotalMilliseconds:F0} ms with {completed} instances completed");
            if (completed == Instances)
            {
                break;
            }

            kills++;
        }

        // Each kill counted landed while instances were still running.
        Assert.True(kills >= 3, $"Only {kills} kills landed before the instances were done.");
        var final = await RunAsync(killAfter: null);
        log.WriteLine($"final run: finished in {final.Elapsed.TotalMilliseconds:F0} ms");

        await VerifyAsync();
    }

    private static string HostPath => Path.Combine(AppContext.BaseDirectory, "AstraTrade.Orchestrations.CrashHost.dll");

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { } host && File.Exists(host) ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";

    /// <summary>Runs the host until <paramref name="killAfter"/> has passed since it started (then SIGKILL), or, when
    /// null, until it says DONE and exits by itself.</summary>
    private async Task<RunResult> RunAsync(TimeSpan? killAfter)
    {
        var start = new ProcessStartInfo(DotnetHost, [HostPath, "crash", _directory, $"{Instances}"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var clock = Stopwatch.StartNew();
        using var host = Process.Start(start)!;

        // Dedicated threads drain the pipes: blocking pipe reads on the thread pool could starve the test itself.
        var output = new OutputCapture(host.StandardOutput.BaseStream);
        var errors = new OutputCapture(host.StandardError.BaseStream);
        try
        {
            var exited = host.WaitForExitAsync();
            if (killAfter is { } delay)
            {
                await Task.WhenAny(exited, Task.Delay(delay));
                if (!host.HasExited)
                {
                    // Process.Kill is SIGKILL on Unix: no finally block, no flush, no disposal runs in the host.
                    host.Kill(entireProcessTree: true);
                    await host.WaitForExitAsync();
                    return new RunResult(Killed: true, clock.Elapsed);
                }
            }
            else
            {
                await exited.WaitAsync(Patience);
            }

            var elapsed = clock.Elapsed;
            var said = output.Completed();
            Assert.True(host.ExitCode == 0 && said.EndsWith("DONE\n", StringComparison.Ordinal),
                $"The host exited with {host.ExitCode}, saying: {said} {errors.Completed()}");
            return new RunResult(Killed: false, elapsed);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill(entireProcessTree: true);
                await host.WaitForExitAsync();
            }
        }
    }

    private async Task<int> CountCompletedAsync()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory });
        var completed = 0;
        var checkpoint = FeedCheckpoint.Start;
        while (await store.Events.ReadFeedAsync(checkpoint, 4_096) is { Events.Count: > 0 } page)
        {
            completed += page.Events.Count(e => e.Type == "workflow.completed.v1");
            checkpoint = page.Next;
        }

        return completed;
    }

    /// <summary>Opens the store the host left behind and checks every instance and every side effect.</summary>
    private async Task VerifyAsync()
    {
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory });

        // Only to read statuses: never started, so it runs nothing.
        using var queue = new InProcessWorkQueue();
        await using var reader = new WorkflowHost(new WorkflowRegistry(), store.Events, store.Events, store.Documents, queue);
        var effectsExpected = 0;
        for (var index = 0; index < Instances; index++)
        {
            var id = CrashWorkflow.InstanceId(index);
            var status = await reader.Client.GetStatusAsync(id);
            Assert.NotNull(status);
            Assert.True(status.RuntimeStatus == WorkflowRuntimeStatus.Completed, $"{id} is {status.RuntimeStatus}: {status.Reason}");
            Assert.Equal(1, status.Generation);
            var values = status.Output!.Value.Deserialize<string[]>()!;
            Assert.Equal(["reserve", "place", "settle", "notify"], values.Select(v => v.Split(':')[0]));

            // One call per effect, ids 1 to 4, and no fifth; each call's effect stream holds one event, and its value is
            // the one the workflow received.
            for (var callId = 1; callId <= CrashWorkflow.EffectsPerInstance + 1; callId++)
            {
                var effect = await store.Events.ReadStreamAsync(SideEffects.EffectStream($"{id}/1/{callId}"), 1, 10);
                if (callId > CrashWorkflow.EffectsPerInstance)
                {
                    Assert.Empty(effect);
                    continue;
                }

                Assert.True(effect.Count == 1, $"The side effect of {id}/1/{callId} happened {effect.Count} times.");
                Assert.Equal(values[callId - 1], SideEffects.Read(effect[0]));
                effectsExpected++;
            }
        }

        // The whole log: no side effect anywhere else either.
        var (effects, attempts) = (0, new List<string>());
        var dedups = 0;
        var checkpoint = FeedCheckpoint.Start;
        while (true)
        {
            var page = await store.Events.ReadFeedAsync(checkpoint, 4_096);
            if (page.Events.Count == 0)
            {
                break;
            }

            foreach (var recorded in page.Events)
            {
                switch (recorded.Type)
                {
                    case "crash.effect":
                        effects++;
                        break;
                    case "crash.attempt":
                        attempts.Add(Encoding.UTF8.GetString(recorded.Data.Span));
                        break;
                    case "crash.dedup":
                        dedups++;
                        break;
                }
            }

            checkpoint = page.Next;
        }

        var executedAgain = attempts.Count - attempts.Distinct(StringComparer.Ordinal).Count();
        log.WriteLine($"{effects} side effects; {attempts.Count} activity executions, {executedAgain} of them a re-execution of the same attempt; {dedups} deduplicated");
        Assert.Equal(Instances * CrashWorkflow.EffectsPerInstance, effectsExpected);
        Assert.Equal(effectsExpected, effects);

        // The kills must have caught activities between their effect and the storing of their result, or this test
        // would not have shown that such a re-execution is absorbed.
        Assert.True(dedups > 0, "No kill caught an activity after its side effect and before its result was stored.");
    }

    private sealed record RunResult(bool Killed, TimeSpan Elapsed);

    /// <summary>Everything a process writes to one of its pipes, read on a thread of its own.</summary>
    private sealed class OutputCapture
    {
        private readonly MemoryStream _bytes = new();
        private readonly Thread _reader;

        public OutputCapture(Stream pipe)
        {
            _reader = new Thread(() => Drain(pipe)) { IsBackground = true };
            _reader.Start();
        }

        /// <summary>Everything written, once the process has exited and the pipe is closed.</summary>
        public string Completed()
        {
            _reader.Join();
            lock (_bytes)
            {
                return Encoding.UTF8.GetString(_bytes.ToArray());
            }
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
            }
        }
    }
}
