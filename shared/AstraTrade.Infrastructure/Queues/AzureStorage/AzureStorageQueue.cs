using System.Globalization;
using System.Net;
using System.Text;
using AstraTrade.Application.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Infrastructure.Queues.AzureStorage;

/// <summary>
/// <see cref="IWorkQueue"/> on an Azure Storage queue, over its REST API (the Azure.Storage.Queues SDK cannot be
/// restored here). Each call is one operation: Put Message, Get Messages, Delete Message, Update Message; the queue
/// is created (idempotently) before the first of them.
/// <list type="bullet">
/// <item>Message text is the body in base64: that is what the Functions host's queueTrigger expects by default
/// (host.json <c>messageEncoding: base64</c>), and it lets any bytes through the XML.</item>
/// <item>Messages never expire (<c>messagettl=-1</c>): a durable timer may wait in the queue for days.</item>
/// <item>Delays and timeouts are whole seconds on the service, so they are rounded up: a message never becomes visible
/// before its delay (a timer delivered early would be put back, again and again, until due). A lease is at least 1 s.</item>
/// <item>A message received more than <see cref="AzureStorageQueueOptions.MaxDequeueCount"/> times is moved to
/// <c>{queue}-poison</c> instead of being returned, as the Functions host does.</item>
/// <item>A stale pop receipt is answered with 404 MessageNotFound or 400 PopReceiptMismatch (Azurite uses the latter);
/// both, and any other 404 on a message (the queue is gone), become <see cref="QueueMessageNotFoundException"/>.</item>
/// </list>
/// Thread-safe; any number of receivers, in any number of processes.
/// </summary>
public sealed class AzureStorageQueue : IWorkQueue, IDisposable
{
    /// <summary>The service's limit on message text (64 KiB), which holds the base64 of <see cref="MaxMessageBytes"/>.</summary>
    public const int MaxMessageTextLength = 64 * 1024;

    private const int MaxMessagesPerGet = 32;
    private static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    private readonly StorageRestClient _client;
    private readonly AzureStorageQueueOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _creating = new(1, 1);
    private volatile bool _created;
    private volatile bool _poisonCreated;
    private int _emptyPolls;
    private long _nextLocalDueTicks = long.MaxValue;
    private TaskCompletionSource _enqueuedHere = NewSignal();
    private bool _disposed;

    /// <param name="service">The queue service and its credentials.</param>
    /// <param name="queueName">3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or
    /// digit; with poison moves on, at most 56, to leave room for <c>-poison</c>.</param>
    /// <param name="options">Polling, retries, poison threshold; the defaults by default.</param>
    /// <param name="loggerFactory">For retries and poison moves.</param>
    /// <param name="handler">The HTTP handler (tests: a certificate check for a local https emulator).</param>
    public AzureStorageQueue(
        QueueServiceEndpoint service,
        string queueName,
        AzureStorageQueueOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        _options = options ?? new AzureStorageQueueOptions();
        _options.Validate();
        CheckQueueName(queueName, nameof(queueName));
        if (_options.MovePoisonMessages)
        {
            CheckQueueName(queueName + "-poison", nameof(queueName));
        }

        QueueName = queueName;
        Service = service;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AzureStorageQueue>();
        _client = new StorageRestClient(service, _options, _logger, handler);
    }

    public string QueueName { get; }

    public string PoisonQueueName => QueueName + "-poison";

    public QueueServiceEndpoint Service { get; }

    public TimeSpan MaxVisibilityDelay => MaxVisibility;

    /// <summary>48 KiB: the most whose base64 fits the 64 KiB message text limit.</summary>
    public int MaxMessageBytes => MaxMessageTextLength / 4 * 3;

    /// <summary>Creates the queue unless it exists (the operations do this themselves before their first request).</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await CreateQueueAsync(QueueName, cancellationToken).ConfigureAwait(false);
        _created = true;
    }

    public async ValueTask EnqueueAsync(ReadOnlyMemory<byte> body, TimeSpan visibilityDelay, CancellationToken cancellationToken = default)
    {
        CheckDuration(visibilityDelay, nameof(visibilityDelay));
        if (body.Length > MaxMessageBytes)
        {
            throw new ArgumentException(
                $"The message is {body.Length} bytes; the limit is {MaxMessageBytes} (64 KiB of message text after base64).", nameof(body));
        }

        var delaySeconds = WholeSeconds(visibilityDelay);
        await PutAsync(QueueName, Convert.ToBase64String(body.Span), delaySeconds, cancellationToken).ConfigureAwait(false);
        NoteEnqueuedHere(delaySeconds);
    }

    public async ValueTask<IReadOnlyList<QueueMessage>> ReceiveAsync(
        int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        CheckDuration(visibilityTimeout, nameof(visibilityTimeout));
        var count = Math.Min(maxMessages, MaxMessagesPerGet);
        var seconds = Math.Max(1, WholeSeconds(visibilityTimeout)); // the service's minimum lease

        // What this process enqueued before now, this receive will see: a wake-up signalled for it is spent.
        var signal = Volatile.Read(ref _enqueuedHere);
        if (signal.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _enqueuedHere, NewSignal(), signal);
        }

        var listed = await GetMessagesAsync(count, seconds, cancellationToken).ConfigureAwait(false);

        var received = new List<QueueMessage>(listed.Count);
        foreach (var message in listed)
        {
            if (_options.MovePoisonMessages && message.DequeueCount > _options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, cancellationToken).ConfigureAwait(false);
                continue;
            }

            received.Add(new QueueMessage(message.MessageId, message.PopReceipt, Decode(message.MessageText), message.DequeueCount, message.InsertionTime));
        }

        if (listed.Count == 0)
        {
            Interlocked.Increment(ref _emptyPolls);
        }
        else
        {
            Volatile.Write(ref _emptyPolls, 0);
        }

        return received;
    }

    public async ValueTask DeleteAsync(string messageId, string popReceipt, CancellationToken cancellationToken = default)
    {
        CheckReceipt(messageId, popReceipt);
        await OnMessageAsync(messageId, $"Delete Message from {QueueName}", async () =>
        {
            var address = _client.Address($"{QueueName}/messages/{Uri.EscapeDataString(messageId)}", ("popreceipt", popReceipt));
            using var response = await _client.SendAsync($"Delete Message from {QueueName}", HttpMethod.Delete, address, null, cancellationToken)
                .ConfigureAwait(false);
            return 0;
        }).ConfigureAwait(false);
    }

    public async ValueTask<string> UpdateVisibilityAsync(
        string messageId, string popReceipt, TimeSpan visibilityTimeout, CancellationToken cancellationToken = default)
    {
        CheckReceipt(messageId, popReceipt);
        CheckDuration(visibilityTimeout, nameof(visibilityTimeout));
        var seconds = WholeSeconds(visibilityTimeout);
        var operation = $"Update Message in {QueueName}";
        return await OnMessageAsync(messageId, operation, async () =>
        {
            // Without a body the message text stays as it is: only its visibility changes.
            var address = _client.Address($"{QueueName}/messages/{Uri.EscapeDataString(messageId)}",
                ("popreceipt", popReceipt), ("visibilitytimeout", Text(seconds)));
            using var response = await _client.SendAsync(operation, HttpMethod.Put, address, null, cancellationToken).ConfigureAwait(false);
            return response.Headers.TryGetValues("x-ms-popreceipt", out var receipts) && receipts.FirstOrDefault() is { Length: > 0 } receipt
                ? receipt
                : throw new StorageRequestException(operation, response.StatusCode, null, $"{operation} answered without a new pop receipt.");
        }).ConfigureAwait(false);
    }

    /// <summary>Waits for the polling interval (doubling after each empty poll, from the minimum to the maximum), or
    /// less when a message this process enqueued becomes visible sooner. Other processes' messages are seen by polling.</summary>
    public async ValueTask WaitForMessagesAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var signal = Volatile.Read(ref _enqueuedHere).Task;
        if (signal.IsCompleted)
        {
            return;
        }

        var wait = PollingDelay();
        var dueTicks = Interlocked.Read(ref _nextLocalDueTicks);
        if (dueTicks != long.MaxValue)
        {
            var dueIn = TimeSpan.FromTicks(dueTicks - DateTimeOffset.UtcNow.UtcTicks);
            if (dueIn <= TimeSpan.Zero)
            {
                // Due now: poll at once, and forget it (a later enqueue sets the next one).
                Interlocked.CompareExchange(ref _nextLocalDueTicks, long.MaxValue, dueTicks);
                return;
            }

            wait = dueIn < wait ? dueIn : wait;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAny(Task.Delay(wait, stop.Token), signal).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>The approximate number of messages in the queue, visible or not (Get Queue Metadata).</summary>
    public async Task<int> GetApproximateMessageCountAsync(CancellationToken cancellationToken = default)
    {
        var operation = $"Get Queue Metadata of {QueueName}";
        return await OnQueueAsync(operation, async () =>
        {
            using var response = await _client.SendAsync(operation, HttpMethod.Get, _client.Address(QueueName, ("comp", "metadata")), null, cancellationToken)
                .ConfigureAwait(false);
            return response.Headers.TryGetValues("x-ms-approximate-messages-count", out var values)
                && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    ? count
                    : throw new StorageRequestException(operation, response.StatusCode, null, $"{operation} answered without a message count.");
        }, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _client.Dispose();
        _creating.Dispose();
    }

    /// <summary>3–63 characters: lowercase letters, digits and hyphens, starting and ending with a letter or digit, no
    /// two hyphens in a row (the service's rules, checked here so that a typo fails at start-up with a clear message).</summary>
    public static bool IsValidQueueName(string? name) =>
        name is { Length: >= 3 and <= 63 }
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    private static void CheckQueueName(string? name, string parameter)
    {
        if (!IsValidQueueName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid queue name: 3-63 lowercase letters, digits and single hyphens, starting and ending " +
                "with a letter or digit (with poison moves on, '<name>-poison' must be valid too).", parameter);
        }
    }

    private static void CheckDuration(TimeSpan value, string parameter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero, parameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxVisibility, parameter);
    }

    private static void CheckReceipt(string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
    }

    private static int WholeSeconds(TimeSpan value) => (int)Math.Ceiling(value.Ticks / (double)TimeSpan.TicksPerSecond);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The body from the base64 message text. Text that is not base64 (put by another tool) is passed on as its
    /// UTF-8 bytes, so the consumer sees what is there rather than nothing (the workflow runtime then moves it aside).</summary>
    private static byte[] Decode(string text)
    {
        var bytes = new byte[text.Length * 3 / 4 + 3];
        return Convert.TryFromBase64String(text, bytes, out var length) ? bytes[..length] : Encoding.UTF8.GetBytes(text);
    }

    private static bool IsGone(StorageRequestException e) =>
        e.Status == HttpStatusCode.NotFound || e.ErrorCode == "PopReceiptMismatch";

    private static bool IsQueueMissing(StorageRequestException e) =>
        e.Status == HttpStatusCode.NotFound && e.ErrorCode == "QueueNotFound";

    private TimeSpan PollingDelay()
    {
        var empty = Math.Max(Volatile.Read(ref _emptyPolls), 1);
        var ticks = _options.MinPollingInterval.Ticks * Math.Pow(2, Math.Min(empty - 1, 30));
        return ticks >= _options.MaxPollingInterval.Ticks ? _options.MaxPollingInterval : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Work flows: reset the polling backoff, and wake this process's receivers when the message is due.</summary>
    private void NoteEnqueuedHere(int delaySeconds)
    {
        Volatile.Write(ref _emptyPolls, 0);
        if (delaySeconds == 0)
        {
            Volatile.Read(ref _enqueuedHere).TrySetResult();
            return;
        }

        var due = DateTimeOffset.UtcNow.AddSeconds(delaySeconds).UtcTicks;
        var current = Interlocked.Read(ref _nextLocalDueTicks);
        while (due < current)
        {
            var seen = Interlocked.CompareExchange(ref _nextLocalDueTicks, due, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }
    }

    /// <summary>Get Messages. A receiver is a long-running loop (the workflow worker's dispatcher), so an outage is waited
    /// out here rather than thrown at it: transient failures are retried, with the longest retry delay between rounds,
    /// until the service answers or the caller cancels. A refusal (403, 400) is thrown.</summary>
    private async Task<List<ListedMessage>> GetMessagesAsync(int count, int seconds, CancellationToken cancellationToken)
    {
        var operation = $"Get Messages from {QueueName}";
        while (true)
        {
            try
            {
                return await OnQueueAsync(operation, async () =>
                {
                    var address = _client.Address($"{QueueName}/messages", ("numofmessages", Text(count)), ("visibilitytimeout", Text(seconds)));
                    using var response = await _client.SendAsync(operation, HttpMethod.Get, address, null, cancellationToken).ConfigureAwait(false);
                    await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                    return QueueXml.ParseMessages(stream);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageRequestException e) when (e.IsTransient)
            {
                _logger.LogError(e, "{Operation} keeps failing; trying again in {Delay}", operation, _options.MaxRetryDelay);
                await Task.Delay(_options.MaxRetryDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PutAsync(string queue, string base64Text, int delaySeconds, CancellationToken cancellationToken)
    {
        var operation = $"Put Message on {queue}";
        await OnQueueAsync(operation, async () =>
        {
            var address = _client.Address($"{queue}/messages", ("visibilitytimeout", Text(delaySeconds)), ("messagettl", "-1"));
            using var response = await _client.SendAsync(operation, HttpMethod.Post, address, QueueXml.PutMessageBody(base64Text), cancellationToken)
                .ConfigureAwait(false);
            return 0;
        }, cancellationToken, queue).ConfigureAwait(false);
    }

    /// <summary>Moves a message that was received too often: put on the poison queue, then deleted here. If either step
    /// fails, the message stays leased and comes back when its lease runs out, to be moved then.</summary>
    private async Task MoveToPoisonAsync(ListedMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await PutAsync(PoisonQueueName, message.MessageText, 0, cancellationToken).ConfigureAwait(false);
            await DeleteAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
            _logger.LogError("Moved message {MessageId} to {PoisonQueue}: received {DequeueCount} times without being completed",
                message.MessageId, PoisonQueueName, message.DequeueCount);
        }
        catch (QueueMessageNotFoundException)
        {
            // Its lease ran out meanwhile and another receiver has it: that one moves it (the poison queue may then hold
            // it twice, which is the at-least-once rule again).
        }
        catch (StorageRequestException e)
        {
            _logger.LogError(e, "Could not move message {MessageId} to {PoisonQueue}; it comes back when its lease ends",
                message.MessageId, PoisonQueueName);
        }
    }

    /// <summary>Runs a queue operation, first creating the queue if this instance has not yet; if the queue turns out to
    /// be missing (deleted under us), creates it and tries once more.</summary>
    private async Task<T> OnQueueAsync<T>(string operation, Func<Task<T>> send, CancellationToken cancellationToken, string? queue = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        queue ??= QueueName;
        await EnsureCreatedAsync(queue, cancellationToken).ConfigureAwait(false);
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (StorageRequestException e) when (IsQueueMissing(e))
        {
            _logger.LogWarning("{Operation}: the queue {Queue} is missing; creating it again", operation, queue);
            await CreateQueueAsync(queue, cancellationToken).ConfigureAwait(false);
            return await send().ConfigureAwait(false);
        }
    }

    /// <summary>Runs an operation on a received message; the message being gone (or its receipt stale) is the port's
    /// <see cref="QueueMessageNotFoundException"/>.</summary>
    private async Task<T> OnMessageAsync<T>(string messageId, string operation, Func<Task<T>> send)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (StorageRequestException e) when (IsGone(e))
        {
            _logger.LogDebug("{Operation}: message {MessageId} is gone ({ErrorCode})", operation, messageId, e.ErrorCode);
            throw new QueueMessageNotFoundException(messageId);
        }
    }

    private async Task EnsureCreatedAsync(string queue, CancellationToken cancellationToken)
    {
        var poison = queue != QueueName;
        if (poison ? _poisonCreated : _created)
        {
            return;
        }

        await _creating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!(poison ? _poisonCreated : _created))
            {
                await CreateQueueAsync(queue, cancellationToken).ConfigureAwait(false);
                if (poison)
                {
                    _poisonCreated = true;
                }
                else
                {
                    _created = true;
                }
            }
        }
        finally
        {
            _creating.Release();
        }
    }

    /// <summary>Create Queue: 201 when created, 204 when it already existed; 409 QueueAlreadyExists (it exists with
    /// metadata) is as good.</summary>
    private async Task CreateQueueAsync(string queue, CancellationToken cancellationToken)
    {
        var operation = $"Create Queue {queue}";
        try
        {
            using var response = await _client.SendAsync(operation, HttpMethod.Put, _client.Address(queue), null, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (StorageRequestException e) when (e.ErrorCode == "QueueAlreadyExists")
        {
        }
    }
}
