using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AstraTrade.Application.Ports;
using AstraTrade.Infrastructure.Queues.AzureStorage;

namespace AstraTrade.Infrastructure.IntegrationTests.Queues;

/// <summary>What the Azure Storage adapter does beyond the port's contract, on Azurite.</summary>
public sealed class AzureStorageQueueTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.QueueServiceAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_message_text_on_the_wire_is_the_base64_of_the_body_as_the_functions_queue_trigger_reads_it()
    {
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("wire"));
        byte[] body = [0x7b, 0x22, 0x6b, 0x22, 0x3a, 0x31, 0x7d, 0x00, 0xff, 0x3c];
        await queue.EnqueueAsync(body, TimeSpan.Zero);

        using var raw = new RawQueueRequests(_azurite);
        Assert.Equal([Convert.ToBase64String(body)], await raw.PeekTextsAsync(queue.QueueName));
    }

    [Fact]
    public async Task Text_another_tool_put_that_is_not_base64_is_received_as_its_utf8_bytes()
    {
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("plain"));
        await queue.CreateIfNotExistsAsync();
        using var raw = new RawQueueRequests(_azurite);
        await raw.PutTextAsync(queue.QueueName, "{\"k\": \"not base64 <&>\"}");

        var message = Assert.Single(await queue.ReceiveAsync(1, Lease));
        Assert.Equal("{\"k\": \"not base64 <&>\"}", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task A_message_received_more_than_max_dequeue_count_times_is_moved_to_the_poison_queue()
    {
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("poison"), new AzureStorageQueueOptions { MaxDequeueCount = 2 });
        await queue.EnqueueAsync("bad"u8.ToArray(), TimeSpan.Zero);
        await queue.EnqueueAsync("good"u8.ToArray(), TimeSpan.FromSeconds(1));

        // Received twice (the limit) and given back each time: still delivered.
        for (var expected = 1; expected <= 2; expected++)
        {
            var message = Assert.Single(await queue.ReceiveAsync(1, Lease));
            Assert.Equal(("bad", expected), (Encoding.UTF8.GetString(message.Body.Span), message.DequeueCount));
            await queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.Zero);
        }

        // The third receipt moves it aside instead; the good message is unaffected.
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var rest = await queue.ReceiveAsync(32, Lease);
        Assert.Equal(["good"], rest.Select(m => Encoding.UTF8.GetString(m.Body.Span)));
        await queue.DeleteAsync(rest[0].MessageId, rest[0].PopReceipt);
        Assert.Equal(0, await queue.GetApproximateMessageCountAsync());

        using var poison = new AzureStorageQueue(_azurite.Service, queue.PoisonQueueName, new AzureStorageQueueOptions { MovePoisonMessages = false });
        var moved = Assert.Single(await poison.ReceiveAsync(32, Lease));
        Assert.Equal(("bad", 1), (Encoding.UTF8.GetString(moved.Body.Span), moved.DequeueCount));
    }

    [Fact]
    public async Task A_wrong_account_key_is_refused_with_a_clear_authentication_error_and_not_retried()
    {
        var wrongKey = new SharedKeyCredential(StorageConnectionString.DevelopmentAccountName, RandomNumberGenerator.GetBytes(64));
        var counting = new FaultInjectingHandler((_, _) => null);
        using var queue = new AzureStorageQueue(QueueServiceEndpoint.WithSharedKey(_azurite.QueueEndpoint, wrongKey),
            Azurite.NewQueueName("wrongkey"), handler: counting);

        var error = await Assert.ThrowsAsync<StorageRequestException>(async () => await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.Zero));

        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
        Assert.Equal("AuthenticationFailed", error.ErrorCode);
        Assert.False(error.IsTransient);
        Assert.Contains("check the account key", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, counting.Calls); // the Create Queue before the put, refused once
    }

    [Fact]
    public async Task A_queue_deleted_under_the_adapter_is_created_again_on_the_next_operation()
    {
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("recreate"));
        await queue.EnqueueAsync("first"u8.ToArray(), TimeSpan.Zero);
        using var raw = new RawQueueRequests(_azurite);
        await raw.DeleteQueueAsync(queue.QueueName);

        await queue.EnqueueAsync("second"u8.ToArray(), TimeSpan.Zero);

        var message = Assert.Single(await queue.ReceiveAsync(32, Lease));
        Assert.Equal("second", Encoding.UTF8.GetString(message.Body.Span));
    }

    [Fact]
    public async Task A_sub_second_delay_is_rounded_up_to_a_second_never_down()
    {
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("round"));
        await queue.CreateIfNotExistsAsync();
        var clock = Stopwatch.StartNew();
        await queue.EnqueueAsync("m"u8.ToArray(), TimeSpan.FromMilliseconds(10));

        var early = await queue.ReceiveAsync(1, Lease);
        if (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            Assert.Empty(early);
        }

        while ((await queue.ReceiveAsync(1, Lease)).Count == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "the message never became visible");
            await Task.Delay(50);
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"visible after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_message_may_wait_the_full_seven_days_and_no_longer()
    {
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("week"));
        Assert.Equal(TimeSpan.FromDays(7), queue.MaxVisibilityDelay);

        await queue.EnqueueAsync("timer"u8.ToArray(), queue.MaxVisibilityDelay);
        Assert.Empty(await queue.ReceiveAsync(32, queue.MaxVisibilityDelay));
        Assert.Equal(1, await queue.GetApproximateMessageCountAsync());

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await queue.EnqueueAsync("m"u8.ToArray(), queue.MaxVisibilityDelay + TimeSpan.FromSeconds(1)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            async () => await queue.ReceiveAsync(1, queue.MaxVisibilityDelay + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Missing_receipts_and_bad_queue_names_are_refused_before_any_request()
    {
        var counting = new FaultInjectingHandler((_, _) => null);
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("args"), handler: counting);

        await Assert.ThrowsAsync<ArgumentException>(async () => await queue.DeleteAsync("", "receipt"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await queue.DeleteAsync("id", ""));
        await Assert.ThrowsAsync<ArgumentException>(async () => await queue.UpdateVisibilityAsync("", "receipt", TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentException>(async () => await queue.EnqueueAsync(new byte[queue.MaxMessageBytes + 1], TimeSpan.Zero));
        Assert.Equal(0, counting.Calls);
        Assert.Equal(48 * 1024, queue.MaxMessageBytes);

        foreach (var name in (string[])["ab", "Upper", "under_score", "-lead", "trail-", "dou--ble", new string('a', 64)])
        {
            Assert.Throws<ArgumentException>(() => new AzureStorageQueue(_azurite.Service, name));
        }

        // With poison moves on, the poison queue's name must fit too (63 characters).
        Assert.Throws<ArgumentException>(() => new AzureStorageQueue(_azurite.Service, new string('a', 60)));
        using var noPoison = new AzureStorageQueue(_azurite.Service, new string('a', 60), new AzureStorageQueueOptions { MovePoisonMessages = false });
    }

    [Fact]
    public async Task A_message_id_that_never_existed_is_not_found()
    {
        using var queue = new AzureStorageQueue(_azurite.Service, Azurite.NewQueueName("unknown"));
        await queue.CreateIfNotExistsAsync();

        await Assert.ThrowsAsync<QueueMessageNotFoundException>(async () => await queue.DeleteAsync(Guid.NewGuid().ToString(), "receipt"));
        await Assert.ThrowsAsync<QueueMessageNotFoundException>(
            async () => await queue.UpdateVisibilityAsync(Guid.NewGuid().ToString(), "receipt", TimeSpan.Zero));
    }
}
