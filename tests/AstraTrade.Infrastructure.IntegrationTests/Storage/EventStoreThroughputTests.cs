using System.Diagnostics;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using Xunit.Abstractions;

namespace AstraTrade.Infrastructure.IntegrationTests.Storage;

/// <summary>
/// Many callers appending single events at once, as the HTTP layer does when placing orders: they must share fsyncs.
/// Prints the throughput and latency it saw; run alone for meaningful numbers:
/// <c>dotnet test tests/AstraTrade.Infrastructure.IntegrationTests --filter EventStoreThroughputTests --logger "console;verbosity=detailed"</c>
/// </summary>
public sealed class EventStoreThroughputTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Sixty_four_concurrent_appenders_share_fsyncs()
    {
        const int Callers = 64;
        const int AppendsPerCaller = 300;
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory.Path });
        var data = new byte[200];
        var latencies = new double[Callers * AppendsPerCaller];
        await RunCallersAsync(Callers, 10, (caller, i) => store.Events.AppendAsync($"warm-up-{caller}", i, [new EventData(Guid.NewGuid(), "order-placed", data)]));
        var batchesBefore = store.Events.BatchesWritten;

        var elapsed = Stopwatch.StartNew();
        await RunCallersAsync(Callers, AppendsPerCaller, async (caller, i) =>
        {
            var started = Stopwatch.GetTimestamp();
            await store.Events.AppendAsync($"order-{caller}", i, [new EventData(Guid.NewGuid(), "order-placed", data)]);
            latencies[(caller * AppendsPerCaller) + i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        elapsed.Stop();

        var appends = latencies.Length;
        var batches = store.Events.BatchesWritten - batchesBefore;
        Array.Sort(latencies);
        log.WriteLine(
            $"{appends} appends by {Callers} callers in {elapsed.Elapsed.TotalSeconds:F2} s: {appends / elapsed.Elapsed.TotalSeconds:F0} appends/s, " +
            $"{batches} fsyncs ({(double)appends / batches:F1} appends each), latency p50 {latencies[appends / 2]:F2} ms, " +
            $"p99 {latencies[(int)(appends * 0.99)]:F2} ms, max {latencies[^1]:F2} ms");

        Assert.Equal(appends + (Callers * 10), store.GetStatus().HeadPosition);
        Assert.True(batches <= appends / 4, $"{appends} appends took {batches} fsyncs: concurrent appends are not sharing them.");
    }

    private static Task RunCallersAsync<T>(int callers, int callsEach, Func<int, int, ValueTask<T>> call) =>
        RunCallersAsync(callers, callsEach, async (caller, i) => { await call(caller, i); });

    private static Task RunCallersAsync(int callers, int callsEach, Func<int, int, Task> call) =>
        Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var i = 0; i < callsEach; i++)
            {
                await call(caller, i);
            }
        })));
}
