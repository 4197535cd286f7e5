namespace AstraTrade.Orchestrations.Runtime.Tests;

public sealed class ListAndPurgeTests : IAsyncLifetime
{
    private readonly ActivityLog _activities = new();
    private RuntimeFixture _runtime = null!;

    public async Task InitializeAsync() => _runtime = await RuntimeFixture.StartAsync(r =>
    {
        r.AddWorkflow(new SequenceWorkflow()).AddWorkflow(new EventWorkflow());
        _activities.Register(r, () => _runtime.Time);
    });

    public async Task DisposeAsync() => await _runtime.DisposeAsync();

    [Fact]
    public async Task The_list_filters_by_status_and_created_time()
    {
        var t0 = _runtime.Time.GetUtcNow();
        var done = new List<string>();
        var waiting = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            done.Add(await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input([$"{i}"]), $"done-{i}"));
            waiting.Add(await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1), $"wait-{i}"));
            await _runtime.AdvanceAsync(TimeSpan.FromMinutes(1));
        }

        var completed = await ListAllAsync(new WorkflowQuery([WorkflowRuntimeStatus.Completed], PageSize: 100));
        Assert.Equal(done, completed.Select(s => s.InstanceId));
        var running = await ListAllAsync(new WorkflowQuery([WorkflowRuntimeStatus.Running]));
        Assert.Equal(waiting, running.Select(s => s.InstanceId));

        // Created in [t0 + 2 min, t0 + 4 min): the instances of rounds 2 and 3.
        var window = await ListAllAsync(new WorkflowQuery(CreatedFrom: t0.AddMinutes(2), CreatedTo: t0.AddMinutes(4)));
        Assert.Equal(["done-2", "wait-2", "done-3", "wait-3"], window.Select(s => s.InstanceId));
        var both = await ListAllAsync(new WorkflowQuery([WorkflowRuntimeStatus.Running, WorkflowRuntimeStatus.Completed], CreatedFrom: t0.AddMinutes(5)));
        Assert.Equal(["done-5", "wait-5"], both.Select(s => s.InstanceId));
        Assert.Empty((await _runtime.Client.ListAsync(new WorkflowQuery([WorkflowRuntimeStatus.Failed]))).Instances);
    }

    [Fact]
    public async Task Paging_returns_every_instance_once_even_while_instances_are_created()
    {
        var expected = new List<string>();
        for (var i = 0; i < 23; i++)
        {
            expected.Add(await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1), $"inst-{i:D2}"));
            if (i % 5 == 0)
            {
                _runtime.Time.Advance(TimeSpan.FromSeconds(1)); // several instances share a created time
            }
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await _runtime.Client.ListAsync(new WorkflowQuery(PageSize: 4, ContinuationToken: token));
            Assert.True(page.Instances.Count <= 4);
            seen.AddRange(page.Instances.Select(s => s.InstanceId));
            token = page.ContinuationToken;
            pages++;

            if (token is not null)
            {
                // Created meanwhile: later than everything listed so far, so it comes on a later page.
                expected.Add(await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1), $"late-{pages:D2}"));
                _runtime.Time.Advance(TimeSpan.FromSeconds(1));
            }
        }
        while (token is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task The_list_is_rebuilt_from_the_store_after_a_restart()
    {
        for (var i = 0; i < 5; i++)
        {
            await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input([$"{i}"]), $"r-{i}");
        }

        await _runtime.IdleAsync();
        var before = await ListAllAsync(new WorkflowQuery());
        await _runtime.RestartAsync();

        Assert.Equal(before, await ListAllAsync(new WorkflowQuery()));
    }

    [Fact]
    public async Task An_invalid_continuation_token_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _runtime.Client.ListAsync(new WorkflowQuery(ContinuationToken: "garbage!")));
    }

    [Fact]
    public async Task Purging_makes_a_finished_instance_unknown_but_keeps_its_history_for_audit()
    {
        var id = await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["x"]), "to-purge");
        await _runtime.IdleAsync();

        Assert.Equal(OperationOutcome.Accepted, await _runtime.Client.PurgeAsync(id));

        Assert.Null(await _runtime.Client.GetStatusAsync(id));
        Assert.Equal(OperationOutcome.NotFound, await _runtime.Client.RaiseEventAsync(id, "ping", "1"u8.ToArray()));
        Assert.Equal(OperationOutcome.NotFound, await _runtime.Client.TerminateAsync(id));
        Assert.Equal(OperationOutcome.NotFound, await _runtime.Client.PurgeAsync(id));
        Assert.Empty((await _runtime.Client.ListAsync(new WorkflowQuery())).Instances);
        Assert.Equal("purged", (await _runtime.Client.GetHistoryAsync(id, 1))[^1].EventType);

        // Still unknown after a restart (the index is rebuilt from the log).
        await _runtime.RestartAsync();
        Assert.Null(await _runtime.Client.GetStatusAsync(id));
        Assert.Empty((await _runtime.Client.ListAsync(new WorkflowQuery())).Instances);

        // The id can be used again: a new instance, in the next generation's stream.
        await _runtime.StartAsync(SequenceWorkflow.Name, new SequenceWorkflow.Input(["y"]), id);
        await _runtime.IdleAsync();
        var reused = await _runtime.StatusAsync(id);
        Assert.Equal((2, WorkflowRuntimeStatus.Completed), (reused.Generation, reused.RuntimeStatus));
        Assert.Equal(id, Assert.Single((await _runtime.Client.ListAsync(new WorkflowQuery())).Instances).InstanceId);
    }

    [Fact]
    public async Task An_unfinished_instance_cannot_be_purged()
    {
        var id = await _runtime.StartAsync(EventWorkflow.Name, new EventWorkflow.Input(1));
        await _runtime.IdleAsync();

        Assert.Equal(OperationOutcome.Conflict, await _runtime.Client.PurgeAsync(id));
        Assert.Equal(OperationOutcome.NotFound, await _runtime.Client.PurgeAsync("never-was"));
        Assert.NotNull(await _runtime.Client.GetStatusAsync(id));
    }

    private async Task<List<WorkflowSummary>> ListAllAsync(WorkflowQuery query)
    {
        var all = new List<WorkflowSummary>();
        var next = query;
        while (true)
        {
            var page = await _runtime.Client.ListAsync(next);
            all.AddRange(page.Instances);
            if (page.ContinuationToken is null)
            {
                return all;
            }

            next = query with { ContinuationToken = page.ContinuationToken };
        }
    }
}
