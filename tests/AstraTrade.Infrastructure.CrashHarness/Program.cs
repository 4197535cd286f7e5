// Crash-test load for the embedded store (see CrashRecoveryTests): many tasks append events (several streams,
// multi-event appends, one contended stream) and write documents, and each write the store acknowledges is printed
// at once, until the process is killed. The test then checks the store against what was printed.
//
// usage: AstraTrade.Infrastructure.CrashHarness <data directory> <workers> <time limit in seconds>
//
// One line per acknowledged write, written with a single write(2) as soon as the call returns:
//   EVT <stream> <first version> <event id>,<event id>,...
//   DOC <collection> <id> <etag> <counter>
//   ERR <message>        the store did something it must never do; the exit code is then 2
// Each event's data is {"append":"<guid>","index":<i>,"count":<n>}, so a reader can tell whether an append is whole.
using System.Globalization;
using AstraTrade.Infrastructure.CrashHarness;
using AstraTrade.Infrastructure.Storage.Embedded;

if (args.Length != 3
    || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var workers)
    || !int.TryParse(args[2], CultureInfo.InvariantCulture, out var seconds))
{
    await Console.Error.WriteLineAsync("usage: AstraTrade.Infrastructure.CrashHarness <data directory> <workers> <time limit in seconds>");
    return 64;
}

// Never outlive the test that started this: stop when it closes our stdin (or dies), or at the time limit.
_ = Task.Run(() =>
{
    Console.In.ReadToEnd();
    Environment.Exit(0);
});

using var timeLimit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
var output = new AckWriter(Console.OpenStandardOutput());
await using var store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = args[0] });
var load = Enumerable.Range(0, workers).Select(worker => Task.Run(() => new Worker(store, worker, output).RunAsync(timeLimit.Token)));
try
{
    await Task.WhenAll(load);
    return 0;
}
catch (HarnessFailure failure)
{
    output.Error(failure.Message);
    return 2;
}
