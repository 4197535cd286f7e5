using System.Globalization;
using System.Text;
using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Infrastructure.CrashHarness;

/// <summary>One task of load. Its own streams and document are written by it alone, so a conflict there is a bug;
/// the stream "hot" is shared by all workers, so conflicts there are expected and retried.</summary>
internal sealed class Worker(EmbeddedStore store, int number, AckWriter output)
{
    public const string HotStream = "hot";
    public const string Collection = "crash";
    public const int OwnStreams = 3;

    private readonly Random _random = new(HashCode.Combine(number, Environment.ProcessId));
    private readonly Dictionary<string, long> _versions = [];
    private long _hotVersion;
    private string? _etag;
    private long _counter;

    public static string OwnStream(int worker, int index) => $"w{worker}-{index}";

    public static string DocumentId(int worker) => $"w{worker}";

    public async Task RunAsync(CancellationToken stop)
    {
        await LoadAsync();
        while (!stop.IsCancellationRequested)
        {
            var choice = _random.Next(10);
            if (choice < 6)
            {
                await AppendToOwnStreamAsync();
            }
            else if (choice < 8)
            {
                await AppendToHotStreamAsync();
            }
            else
            {
                await PutDocumentAsync();
            }
        }
    }

    // The last run may have been killed between a write and its acknowledgement, so start from what is stored.
    private async Task LoadAsync()
    {
        for (var i = 0; i < OwnStreams; i++)
        {
            _versions[OwnStream(number, i)] = await CurrentVersionAsync(OwnStream(number, i));
        }

        _hotVersion = await CurrentVersionAsync(HotStream);
        if (await store.Documents.GetAsync(Collection, DocumentId(number)) is { } document)
        {
            _etag = document.ETag;
            _counter = JsonDocument.Parse(document.Body).RootElement.GetProperty("counter").GetInt64();
        }
    }

    private async Task<long> CurrentVersionAsync(string stream)
    {
        var last = await store.Events.ReadStreamBackwardAsync(stream, long.MaxValue, 1);
        return last.Count == 0 ? 0 : last[0].Version;
    }

    private async Task AppendToOwnStreamAsync()
    {
        var stream = OwnStream(number, _random.Next(OwnStreams));
        var events = NewAppend(_random.Next(1, 5));
        try
        {
            var result = await store.Events.AppendAsync(stream, _versions[stream], events);
            output.Append(stream, _versions[stream] + 1, events.Select(e => e.EventId));
            _versions[stream] = result.Version;
        }
        catch (WrongExpectedVersionException conflict)
        {
            throw new HarnessFailure($"conflict on {stream}, which only this worker writes: {conflict.Message}");
        }
    }

    private async Task AppendToHotStreamAsync()
    {
        var events = NewAppend(_random.Next(1, 3));
        try
        {
            var result = await store.Events.AppendAsync(HotStream, _hotVersion, events);
            output.Append(HotStream, _hotVersion + 1, events.Select(e => e.EventId));
            _hotVersion = result.Version;
        }
        catch (WrongExpectedVersionException conflict)
        {
            _hotVersion = conflict.ActualVersion;
        }
    }

    private async Task PutDocumentAsync()
    {
        var counter = _counter + 1;
        var body = Encoding.UTF8.GetBytes($$"""{"counter":{{counter}}}""");
        try
        {
            var precondition = _etag is null ? Precondition.IfAbsent : Precondition.IfMatch(_etag);
            _etag = await store.Documents.PutAsync(Collection, DocumentId(number), body, precondition);
            _counter = counter;
            output.Put(Collection, DocumentId(number), _etag, counter);
        }
        catch (PreconditionFailedException failed)
        {
            throw new HarnessFailure($"precondition failed on a document only this worker writes: {failed.Message}");
        }
    }

    private static EventData[] NewAppend(int count)
    {
        var append = Guid.NewGuid();
        var events = new EventData[count];
        for (var i = 0; i < count; i++)
        {
            var data = string.Create(CultureInfo.InvariantCulture, $$"""{"append":"{{append}}","index":{{i}},"count":{{count}}}""");
            events[i] = new EventData(Guid.NewGuid(), "crash-tested", Encoding.UTF8.GetBytes(data));
        }

        return events;
    }
}

internal sealed class HarnessFailure(string message) : Exception(message);
