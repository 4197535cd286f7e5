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

        var run = Guid.NewGuid().ToString("N")[..8];
        var completions = new Task<WorkflowStatus?>[instances];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < instances; i++)
        {
            if (rate > 0)
            {
                var dueAt = TimeSpan.FromSeconds((double)i / rate);
                if (dueAt > clock.Elapsed)
                {
                    await Task.Delay(dueAt - clock.Elapsed);
                }
            }

            var id = $"bench-{run}-{i}";
            var started = await host.Client.StartNewAsync(
                TradeLifecycleWorkflow.Name, new TradeLifecycleWorkflow.Order("BTC-USD", 0.01m, fillDelayMs), new StartOptions(id));
            completions[i] = host.Client.WaitForCompletionAsync(started.InstanceId).AsTask();
        }

        var startedIn = clock.Elapsed;
        var statuses = await Task.WhenAll(completions);
        var elapsed = clock.Elapsed;
        var lateness = statuses.Select(s => s!.Output!.Value.GetDouble()).Order().ToArray();
        var failed = statuses.Count(s => s!.RuntimeStatus != WorkflowRuntimeStatus.Completed);
        await host.StopAsync(CancellationToken.None);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"instances {instances}, rate {(rate > 0 ? rate.ToString(CultureInfo.InvariantCulture) + "/s" : "all at once")}, concurrency {concurrency}, fill timer {fillDelayMs} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"started in {startedIn.TotalSeconds:F2} s, all completed in {elapsed.TotalSeconds:F2} s: {instances / elapsed.TotalSeconds:F0} instances/s completed ({failed} not completed)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timer lateness ms: p50 {Percentile(lateness, 0.50):F1}, p95 {Percentile(lateness, 0.95):F1}, p99 {Percentile(lateness, 0.99):F1}, max {lateness[^1]:F1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"events.log {new FileInfo(Path.Combine(directory, "events.log")).Length / 1024 / 1024} MiB"));
        return failed == 0 ? 0 : 1;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
