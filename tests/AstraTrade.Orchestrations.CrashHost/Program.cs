// The workflow runtime's crash host and benchmark.
//
// crash <data directory> <instances>
//   Runs the runtime on the directory, starts (or, after a restart, resumes) <instances> CrashWorkflow instances,
//   raises their "go" event, prints "READY" once everything is started, and "DONE" and exits 0 once every instance
//   has completed. The crash test kills it with SIGKILL at random moments and restarts it on the same directory.
//
// benchmark <data directory> [instances] [rate per second, 0 = all at once] [concurrency, 0 = the host's default] [fill timer ms]
//   Runs trade lifecycles (six activities and a timer each) and prints instances/s and timer lateness percentiles.
using System.Globalization;
using AstraTrade.Orchestrations.CrashHost;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Infrastructure.Storage.Embedded;

if (args is ["benchmark", var benchDirectory, .. var rest])
{
    int Arg(int index, int fallback) => rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;
    return await TradeBenchmark.RunAsync(benchDirectory, Arg(0, 20_000), Arg(1, 1_000), Arg(2, 0) is > 0 and var concurrency ? concurrency : new WorkflowHostOptions().Concurrency, Arg(3, 100));
}

if (args is not ["crash", var directory, var countText] || !int.TryParse(countText, CultureInfo.InvariantCulture, out var count))
{
    await Console.Error.WriteLineAsync("usage: crash <data directory> <instances> | benchmark <data directory> [instances] [rate] [concurrency] [fill ms]");
    return 64;
}

// Never outlive the test that started this: stop when it closes our stdin (or dies).
_ = Task.Run(() =>
{
    Console.In.ReadToEnd();
    Environment.Exit(3);
});

await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = directory });
using var queue = new InProcessWorkQueue();
var registry = new WorkflowRegistry().AddWorkflow(new CrashWorkflow());
new SideEffects(store.Events).Register(registry);
await using var host = new WorkflowHost(registry, store.Events, store.Events, store.Documents, queue, new WorkflowHostOptions { FollowFeed = false });
await host.StartAsync(CancellationToken.None);

var ids = Enumerable.Range(0, count).Select(CrashWorkflow.InstanceId).ToList();
var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

// Many at once, so that the store's group commit batches them (one by one, each start would wait for its own fsync).
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (index, cancellationToken) =>
{
    var id = CrashWorkflow.InstanceId(index);
    var started = await host.Client.StartNewAsync(CrashWorkflow.Name, index, new StartOptions(id), cancellationToken);
    if (started.Outcome is not (StartOutcome.Started or StartOutcome.AlreadyExists))
    {
        failures.Enqueue($"could not start {id}: {started.Error}");
        return;
    }

    // Raised on every run, as a kill may have come before this instance's: an instance that already had one keeps
    // the extra one buffered and never waits for it; a finished instance answers Gone.
    await host.Client.RaiseEventAsync(id, CrashWorkflow.Go, "go", cancellationToken);
});

if (!failures.IsEmpty)
{
    await Console.Error.WriteLineAsync(string.Join('\n', failures));
    return 2;
}

Console.Out.Write("READY\n");
Console.Out.Flush();
var statuses = await Task.WhenAll(ids.Select(id => host.Client.WaitForCompletionAsync(id).AsTask()));
var notCompleted = statuses.Where(s => s?.RuntimeStatus != WorkflowRuntimeStatus.Completed).ToList();
if (notCompleted.Count > 0)
{
    await Console.Error.WriteLineAsync($"{notCompleted.Count} instances did not complete, e.g. {notCompleted[0]?.InstanceId}: {notCompleted[0]?.Reason}");
    return 2;
}

await host.StopAsync(CancellationToken.None);
Console.Out.Write("DONE\n");
Console.Out.Flush();
return 0;
