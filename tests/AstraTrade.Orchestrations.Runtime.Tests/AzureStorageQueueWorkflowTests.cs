using System.Diagnostics;
using AstraTrade.Infrastructure.IntegrationTests.Queues;
using AstraTrade.Infrastructure.Queues.AzureStorage;
using AstraTrade.Infrastructure.Storage.Embedded;

namespace AstraTrade.Orchestrations.Runtime.Tests;

/// <summary>
/// The workflow runtime end to end on an Azure Storage queue (Azurite): work items and durable timers travel through
/// Put/Get/Delete/Update Message, on the real clock. Unlike the in-process queue, this one outlives the host, so a
/// restarted host finds its timer in the queue (and recovery enqueues it again: the instance keeps the first).
/// </summary>
[Collection(RealClockCollection.Name)]
public sealed class AzureStorageQueueWorkflowTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "astratrade-wf-azq-" + Guid.NewGuid().ToString("N"));
    private readonly ActivityLog _activities = new();
    private Azurite _azurite = null!;
    private string _queueName = null!;
    private EmbeddedStore? _store;
    private AzureStorageQueue? _queue;
    private WorkflowHost? _host;

    private WorkflowClient Client => _host!.Client;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.QueueServiceAsync();
        _queueName = Azurite.NewQueueName("workflow");
        await StartHostAsync();
    }

    public async Task DisposeAsync()
    {
        await StopHostAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_workflow_with_an_activity_and_a_durable_timer_completes_and_leaves_the_queue_empty()
    {
        var started = await Client.StartNewAsync(EchoThenWaitWorkflow.Name, new EchoThenWaitWorkflow.Input("hello", 2));

        var status = await WaitForCompletionAsync(started.InstanceId);

        var output = status.Output!.Value.Deserialize<EchoThenWaitWorkflow.Output>(WorkflowJson.DefaultOptions)!;
        Assert.Equal("hello", output.Echoed);
        Assert.True(output.FiredAt >= output.Due, $"the timer fired at {output.FiredAt:O}, before it was due at {output.Due:O}");
        Assert.Single(_activities.Of("hello"));
        await WaitForEmptyQueueAsync();
    }

    [Fact]
    public async Task A_timer_waiting_in_the_queue_fires_once_after_the_host_restarts()
    {
        var started = await Client.StartNewAsync(EchoThenWaitWorkflow.Name, new EchoThenWaitWorkflow.Input("restart", 4));
        await WaitUntilAsync(async () => (await Client.GetStatusAsync(started.InstanceId, showHistory: true))!.History!
            .Any(e => e.EventType == "step" && e.Data.TryGetProperty("message", out _)), "the activity's result was stored");

        await StopHostAsync();
        await StartHostAsync();

        var status = await WaitForCompletionAsync(started.InstanceId);
        var output = status.Output!.Value.Deserialize<EchoThenWaitWorkflow.Output>(WorkflowJson.DefaultOptions)!;
        Assert.True(output.FiredAt >= output.Due);
        var history = await Client.GetStatusAsync(started.InstanceId, showHistory: true);
        Assert.Equal(2, history!.History!.Count(e => e.EventType == "step" && e.Data.TryGetProperty("message", out _))); // activity, timer: once each
        Assert.Single(_activities.Of("restart"));
        await WaitForEmptyQueueAsync();
    }

    private async Task StartHostAsync()
    {
        _store = EmbeddedStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory });
        _queue = new AzureStorageQueue(_azurite.Service, _queueName);
        var registry = new WorkflowRegistry().AddWorkflow(new EchoThenWaitWorkflow());
        _activities.Register(registry, () => TimeProvider.System);
        _host = new WorkflowHost(registry, _store.Events, _store.Events, _store.Documents, _queue);
        await _host.StartAsync(CancellationToken.None).WaitAsync(Patience);
    }

    private async Task StopHostAsync()
    {
        if (_host is not null)
        {
            await _host.StopAsync(CancellationToken.None).WaitAsync(Patience);
            await _host.DisposeAsync();
        }

        _queue?.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        (_host, _queue, _store) = (null, null, null);
    }

    private async Task<WorkflowStatus> WaitForCompletionAsync(string instanceId)
    {
        WorkflowStatus? status = null;
        await WaitUntilAsync(async () =>
        {
            status = await Client.GetStatusAsync(instanceId);
            return status?.RuntimeStatus is WorkflowRuntimeStatus.Completed or WorkflowRuntimeStatus.Failed;
        }, $"instance {instanceId} finished");
        Assert.Equal(WorkflowRuntimeStatus.Completed, status!.RuntimeStatus);
        return status;
    }

    /// <summary>Every message the run caused has been completed and deleted (the recovery duplicates included).</summary>
    private Task WaitForEmptyQueueAsync() =>
        WaitUntilAsync(async () => await _queue!.GetApproximateMessageCountAsync() == 0, "the queue is empty");

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > Patience)
            {
                throw new TimeoutException($"Timed out after {Patience} waiting until {what}.");
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>Calls <see cref="TestActivities.Echo"/>, then waits on a durable timer; outputs the echo and the timer's times.</summary>
public sealed class EchoThenWaitWorkflow()
    : Workflow<EchoThenWaitWorkflow.Input, EchoThenWaitWorkflow.State, EchoThenWaitWorkflow.Output>(Name)
{
    public new const string Name = "test.echo-then-wait";

    public override State Start(Input input, IWorkflowContext<Input, Output> context)
    {
        context.CallActivity(TestActivities.Echo, input.Text);
        return new State(input.WaitSeconds, null);
    }

    public override State Handle(State state, WorkflowMessage message, IWorkflowContext<Input, Output> context)
    {
        switch (message)
        {
            case ActivityCompleted completed:
                context.StartTimer(TimeSpan.FromSeconds(state.WaitSeconds));
                return state with { Echoed = completed.ResultAs(TestActivities.Echo) };
            case TimerFired fired:
                context.Complete(new Output(state.Echoed!, fired.DueTime, context.Now));
                return state;
            default:
                context.Fail($"unexpected {message}");
                return state;
        }
    }

    public sealed record Input(string Text, double WaitSeconds);

    public sealed record State(double WaitSeconds, string? Echoed);

    public sealed record Output(string Echoed, DateTimeOffset Due, DateTimeOffset FiredAt);
}
