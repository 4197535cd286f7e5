using System.Net;
using System.Text;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>Transient failures injected in front of Azurite: retried with backoff; refusals are not.</summary>
public sealed class AzureStorageQueueRetryTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.QueueServiceAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static AzureStorageQueueOptions Fast(int maxRetries = 5) => new()
    {
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        RequestTimeout = TimeSpan.FromMilliseconds(500),
    };

    private static bool IsPut(HttpRequestMessage request) => request.Method == HttpMethod.Post;

    private static bool IsGet(HttpRequestMessage request) => request.Method == HttpMethod.Get;

    [Fact]
    public async Task Busy_answers_dropped_connections_and_timeouts_are_retried_until_the_put_succeeds_once()
    {
        var puts = 0;
        var handler = new FaultInjectingHandler((request, _) => !IsPut(request) ? null : Interlocked.Increment(ref puts) switch
        {
            1 => new Fault.Answer(HttpStatusCode.ServiceUnavailable),
            2 => new Fault.Answer(HttpStatusCode.InternalServerError, "InternalError"),
            3 => new Fault.Drop(),
            4 => new Fault.Hang(),
            5 => new Fault.Answer(HttpStatusCode.TooManyRequests),
            6 => new Fault.Answer(HttpStatusCode.RequestTimeout, "OperationTimedOut"),
            _ => null,
        });
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("retry"), Fast(maxRetries: 6), handler: handler);

        await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero);

        Assert.Equal(7, puts);
        var message = Assert.Single(await queue.ReceiveAsync(32, Lease));
        Assert.Equal("m", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task A_request_that_keeps_failing_transiently_fails_once_the_retries_run_out()
    {
        var handler = new FaultInjectingHandler((request, _) => IsPut(request) ? new Fault.Answer(HttpStatusCode.ServiceUnavailable) : null);
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("exhaust"), Fast(maxRetries: 2), handler: handler);
        await queue.CreateIfNotExistsAsync();
        var before = handler.Calls;

        var error = await Assert.ThrowsAsync<StorageRequestException>(async () => await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero));

        Assert.Equal(3, handler.Calls - before);
        Assert.True(error.IsTransient);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "ServerBusy"), (error.Status, error.ErrorCode));
        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());
    }

    [Fact]
    public async Task A_refusal_is_not_retried()
    {
        var handler = new FaultInjectingHandler((request, _) => IsPut(request) ? new Fault.Answer(HttpStatusCode.BadRequest, "InvalidXmlDocument") : null);
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("refuse"), Fast(), handler: handler);
        await queue.CreateIfNotExistsAsync();
        var before = handler.Calls;

        var error = await Assert.ThrowsAsync<StorageRequestException>(async () => await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero));

        Assert.Equal(1, handler.Calls - before);
        Assert.False(error.IsTransient);
        Assert.Equal((HttpStatusCode.BadRequest, "InvalidXmlDocument"), (error.Status, error.ErrorCode));
        Assert.Contains("Put Message on", error.Message, StringComparison.Ordinal);
        Assert.Contains("Injected by the test", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("RequestId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receive_waits_out_an_outage_longer_than_the_retries_and_then_gets_the_message()
    {
        var gets = 0;
        var handler = new FaultInjectingHandler((request, _) =>
            IsGet(request) && Interlocked.Increment(ref gets) <= 8 ? new Fault.Answer(HttpStatusCode.ServiceUnavailable) : null);
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("outage"), Fast(maxRetries: 2), handler: handler);
        await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero);

        var message = Assert.Single(await queue.ReceiveAsync(1, Lease).AsTask().WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal("m", Encoding.UTF8.GetString(message.Body.Span));
        Assert.Equal(9, gets); // three rounds of three attempts failed; the ninth answered
    }

    [Fact]
    public async Task A_receive_during_an_outage_ends_when_its_caller_cancels()
    {
        var handler = new FaultInjectingHandler((request, _) => IsGet(request) ? new Fault.Drop() : null);
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("cancel"), Fast(maxRetries: 1), handler: handler);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await queue.ReceiveAsync(1, Lease, cancel.Token));
        Assert.True(handler.Calls > 2);
    }
}
