using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Testing;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>
/// A workflow host on an embedded store in a temporary directory, an in-process queue and a manual clock. Nothing
/// happens between calls unless the test says so: <see cref="IdleAsync"/> waits until everything runnable has run;
/// <see cref="AdvanceAsync"/> moves the clock, then waits the same way.
/// </summary>
public sealed class RuntimeFixture : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Action<WorkflowRegistry> _register;
    private readonly WorkflowHostOptions _options;
    private readonly Func<IEventStore, IEventStore>? _wrapEvents;
    private readonly TimeSpan? _maxQueueDelay;

    private RuntimeFixture(
        Action<WorkflowRegistry> register, WorkflowHostOptions options, Func<IEventStore, IEventStore>? wrapEvents, TimeSpan? maxQueueDelay)
    {
        _register = register;
        _options = options;
        _wrapEvents = wrapEvents;
        _maxQueueDelay = maxQueueDelay;
        Directory = Path.Combine(Path.GetTempPath(), "astratrade-wf-" + Guid.NewGuid().ToString("N"));
    }

    public string Directory { get; }

    public ManualTimeProvider Time { get; } = new();

    public EmbeddedStore Store { get; private set; } = null!;

    public InProcessWorkQueue Queue { get; private set; } = null!;

    public WorkflowHost Host { get; private set; } = null!;

    public WorkflowClient Client => Host.Client;

    public static async Task<RuntimeFixture> StartAsync(
        Action<WorkflowRegistry> register,
        WorkflowHostOptions? options = null,
        Func<IEventStore, IEventStore>? wrapEvents = null,
        TimeSpan? maxQueueDelay = null)
    {
        var fixture = new RuntimeFixture(register, options ?? new WorkflowHostOptions(), wrapEvents, maxQueueDelay);
        await fixture.OpenAsync();
        return fixture;
    }

    /// <summary>Waits until no message is visible or in progress.</summary>
    public Task IdleAsync() => Queue.WaitUntilIdleAsync().WaitAsync(Patience);

    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        await IdleAsync();
    }

    /// <summary>Stops the host without finishing anything, drops the queue (as a crash would: the in-process queue is
    /// not durable), reopens the store and starts a new host, which must recover from the store alone.</summary>
    public async Task RestartAsync()
    {
        await CloseAsync();
        await OpenAsync();
    }

    public async Task<WorkflowStatus> StatusAsync(string instanceId, bool showHistory = false) =>
        await Client.GetStatusAsync(instanceId, showHistory) ?? throw new Xunit.Sdk.XunitException($"No instance {instanceId}.");

    public async Task<string> StartAsync<TInput>(string workflow, TInput input, string? instanceId = null)
    {
        var started = await Client.StartNewAsync(workflow, input, new StartOptions(instanceId));
        Assert.Equal(StartOutcome.Started, started.Outcome);
        return started.InstanceId;
    }

    /// <summary>The event types of the instance's current generation, in order.</summary>
    public async Task<List<string>> HistoryAsync(string instanceId) =>
        [.. (await StatusAsync(instanceId, showHistory: true)).History!.Select(e => e.EventType)];

    /// <summary>The messages the workflow's steps received, as (kind, data) in order.</summary>
    public async Task<List<JsonElement>> StepMessagesAsync(string instanceId) =>
        [.. (await StatusAsync(instanceId, showHistory: true)).History!
            .Where(e => e.EventType == "step" && e.Data.TryGetProperty("message", out _))
            .Select(e => e.Data.GetProperty("message"))];

    public async Task<long> StreamVersionAsync(string instanceId, int generation = 1)
    {
        var events = await Store.Events.ReadStreamBackwardAsync($"wf-{instanceId}-{generation}", long.MaxValue, 1);
        return events.Count == 0 ? 0 : events[0].Version;
    }

    /// <summary>Puts a raw work item on the queue, as a duplicate delivery would.</summary>
    internal async Task DeliverAsync(WorkItem item)
    {
        await Queue.EnqueueAsync(item.ToJson(), TimeSpan.Zero);
        await IdleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task OpenAsync()
    {
        Store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = Directory }, Time);
        Queue = new InProcessWorkQueue(Time, _maxQueueDelay);
        var registry = new WorkflowRegistry();
        _register(registry);
        IEventStore events = _wrapEvents?.Invoke(Store.Events) ?? Store.Events;
        Host = new WorkflowHost(registry, events, Store.Events, Store.Documents, Queue, _options, Time);
        await Host.StartAsync(CancellationToken.None).WaitAsync(Patience);
    }

    private async Task CloseAsync()
    {
        await Host.StopAsync(CancellationToken.None).WaitAsync(Patience);
        await Host.DisposeAsync();
        Queue.Dispose();
        await Store.DisposeAsync();
    }
}
