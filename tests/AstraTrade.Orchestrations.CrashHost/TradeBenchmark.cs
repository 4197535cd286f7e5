using System.Diagnostics;
using System.Globalization;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Orchestrations.CrashHost;

/// <summary>
/// A trade lifecycle as the benchmark runs it: six activities (validate, reserve margin, place the order, confirm the
/// fill, record the position, notify) and one durable timer (waiting for the fill) in between; the output is how late
/// the timer fired, in milliseconds.
/// </summary>
public sealed class TradeLifecycleWorkflow() : Workflow<TradeLifecycleWorkflow.Order, TradeLifecycleWorkflow.State, double>(Name)
{
    public new const string Name = "bench.trade-lifecycle";

    public static readonly Activity<Order, string> Step = new("bench.step");

    private static readonly string[] Before = ["validate", "reserve-margin", "place-order"];
    private static readonly string[] After = ["confirm-fill", "record-position", "notify"];

    public override State Start(Order input, IWorkflowContext<Order, double> context)
    {
        context.CallActivity(Step, input with { Stage = Before[0] });
        return new State(input, 1, 0);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<Order, double> context)
    {
        switch (message)
        {
            case ActivityCompleted when state.Done < Before.Length:
                context.CallActivity(Step, state.Order with { Stage = Before[state.Done] });
                return state with { Done = state.Done + 1 };
            case ActivityCompleted when state.Done == Before.Length:
                context.StartTimer(TimeSpan.FromMilliseconds(state.Order.FillDelayMs));
                return state with { Done = state.Done + 1 };
            case TimerFired fired:
                context.CallActivity(Step, state.Order with { Stage = After[0] });
                return state with { LatenessMs = (context.Now - fired.DueTime).TotalMilliseconds };
            case ActivityCompleted when state.Done - Before.Length - 1 < After.Length - 1:
                context.CallActivity(Step, state.Order with { Stage = After[state.Done - Before.Length] });
                return state with { Done = state.Done + 1 };
            case ActivityCompleted:
                context.Complete(state.LatenessMs);
                return state;
            default:
                context.Fail($"unexpected {message}");
                return state;
        }
    }

    public sealed record Order(string Market, decimal Size, int FillDelayMs, string Stage = "");

    public sealed record State(Order Order, int Done, double LatenessMs);
}

/// <summary>Runs the benchmark: starts trade lifecycles at a steady rate (or all at once) on the embedded store and
/// reports completed instances per second and timer lateness percentiles.</summary>
internal static class TradeBenchmark
{
    public static async Task<int> RunAsync(string directory, int instances, int rate, int concurrency, int fillDelayMs)
    {
        Directory.CreateDirectory(directory);
        await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory });
        using var queue = new InProcessWorkQueue();
        var registry = new WorkflowRegistry()
            .AddWorkflow(new TradeLifecycleWorkflow())
            .AddActivity(TradeLifecycleWorkflow.Step, (order, _) => order.Stage);
        await using var host = new WorkflowHost(
            registry, store.Events, store.Events, store.Documents, queue, new WorkflowHostOptions { Concurrency = concurrency, FollowFeed = false });
        await host.StartAsync(CancellationToken.None);

        var (cpuBefore, allocatedBefore) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes());
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var run = Guid.NewGuid().ToString("N")[..8];
        var completions = new Task<WorkflowStatus?>[instances];
        var clock = Stopwatch.StartNew();

        // Open loop: starts are not awaited one by one (each waits for its append's fsync), so the offered rate holds
        // whatever the latency; at each tick, as many start as are due by then.
        var next = 0;
        while (next < instances)
        {
            var due = rate > 0 ? Math.Min(instances, (int)(clock.Elapsed.TotalSeconds * rate) + 1) : instances;
            for (; next < due; next++)
            {
                completions[next] = StartAndWaitAsync(host.Client, $"bench-{run}-{next}", fillDelayMs);
            }

            if (next < instances)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1));
            }
        }

        var startedIn = clock.Elapsed;
        var statuses = await Task.WhenAll(completions);
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var gcs = (GC.CollectionCount(0) - gcBefore.Item1, GC.CollectionCount(1) - gcBefore.Item2, GC.CollectionCount(2) - gcBefore.Item3);
        var lateness = statuses.Select(s => s!.Output!.Value.GetDouble()).Order().ToArray();
        var failed = statuses.Count(s => s!.RuntimeStatus != WorkflowRuntimeStatus.Completed);
        await host.StopAsync(CancellationToken.None);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"instances {instances}, rate {(rate > 0 ? rate.ToString(CultureInfo.InvariantCulture) + "/s" : "all at once")}, concurrency {concurrency}, fill timer {fillDelayMs} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"started in {startedIn.TotalSeconds:F2} s, all completed in {elapsed.TotalSeconds:F2} s: {instances / elapsed.TotalSeconds:F0} instances/s completed ({failed} not completed)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timer lateness ms: p50 {Percentile(lateness, 0.50):F1}, p95 {Percentile(lateness, 0.95):F1}, p99 {Percentile(lateness, 0.99):F1}, max {lateness[^1]:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"process CPU {cpu.TotalSeconds:F1} s ({cpu.TotalMilliseconds / instances:F2} ms per instance, {cpu / elapsed:F2} cores), allocated {allocated / instances / 1024.0:F1} KiB per instance, GCs gen0/1/2 {gcs.Item1}/{gcs.Item2}/{gcs.Item3}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"events.log {new FileInfo(Path.Combine(directory, "events.log")).Length / 1024 / 1024} MiB"));
        return failed == 0 ? 0 : 1;
    }

    private static async Task<WorkflowStatus?> StartAndWaitAsync(WorkflowClient client, string id, int fillDelayMs)
    {
        var started = await client.StartNewAsync(
            TradeLifecycleWorkflow.Name, new TradeLifecycleWorkflow.Order("BTC-USD", 0.01m, fillDelayMs), new StartOptions(id));
        return await client.WaitForCompletionAsync(started.InstanceId);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
