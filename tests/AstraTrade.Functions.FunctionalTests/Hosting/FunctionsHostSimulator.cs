using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AstraTrade.Application.Ports;
using AstraTrade.Functions.Hosting;

namespace AstraTrade.Functions.FunctionalTests.Hosting;

/// <summary>
/// Plays the Azure Functions host toward an app running as its custom handler (Hosting:Mode FunctionsHost): posts
/// invocations in the shape the host sends (<c>{"Data": …, "Metadata": …}</c>, PascalCase, binding values as the
/// host serializes them), and runs the queue trigger's listener over the app's work queue: receive, invoke, delete on
/// success, make visible again on failure (as host.json's visibilityTimeout would).
/// </summary>
public sealed class FunctionsHostSimulator(AstraTradeApp app) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = app.Anonymous();
    private Task _listening = Task.CompletedTask;

    private readonly ConcurrentDictionary<string, FeedCheckpoint> _leases = new();
    private int _queueInvocations;

    public int QueueInvocations => Volatile.Read(ref _queueInvocations);

    public ConcurrentQueue<string> FailedQueueInvocations { get; } = new();

    public DateTimeOffset Now => app.Time.GetUtcNow();

    /// <summary>Posts an invocation with the given Data and Metadata (a <c>sys</c> entry is added as the host adds it).</summary>
    public Task<HttpResponseMessage> InvokeAsync(string function, JsonObject data, JsonObject? metadata = null)
    {
        metadata ??= [];
        metadata["sys"] = new JsonObject
        {
            ["MethodName"] = function,
            ["UtcNow"] = Now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["RandGuid"] = Guid.NewGuid().ToString(),
        };
        var envelope = new JsonObject { ["Data"] = data, ["Metadata"] = metadata };
        return _http.PostAsync("/" + function, new StringContent(envelope.ToJsonString(), Encoding.UTF8, "application/json"));
    }

    /// <summary>A timer invocation as the host sends it when the schedule fires (TimerInfo, serialized).</summary>
    public Task<HttpResponseMessage> FireTimerAsync(string function, bool isPastDue = false)
    {
        var timer = new JsonObject
        {
            ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = new JsonObject
            {
                ["Last"] = Now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture),
                ["Next"] = Now.AddHours(1).ToString("O", CultureInfo.InvariantCulture),
                ["LastUpdated"] = Now.AddHours(-1).ToString("O", CultureInfo.InvariantCulture),
            },
            ["IsPastDue"] = isPastDue,
        };
        return InvokeAsync(function, new JsonObject { [TimerFunction.BindingName] = timer }, new JsonObject { [TimerFunction.BindingName] = timer.DeepClone() });
    }

    /// <summary>A queue-trigger invocation for a received message: its text in Data, its properties in Metadata.</summary>
    public Task<HttpResponseMessage> DeliverAsync(QueueMessage message, string function = "queue-workflow-work")
    {
        var data = new JsonObject { [QueueFunction.BindingName] = Encoding.UTF8.GetString(message.Body.Span) };
        var metadata = new JsonObject
        {
            ["DequeueCount"] = message.DequeueCount,
            ["ExpirationTime"] = DateTimeOffset.MaxValue.ToString("O", CultureInfo.InvariantCulture),
            ["Id"] = message.MessageId,
            ["InsertionTime"] = message.InsertedAt.ToString("O", CultureInfo.InvariantCulture),
            ["NextVisibleTime"] = Now.AddMinutes(10).ToString("O", CultureInfo.InvariantCulture),
            ["PopReceipt"] = message.PopReceipt,
        };
        return InvokeAsync(function, data, metadata);
    }

    /// <summary>
    /// What the host's cosmosDBTrigger does for one subscription: hands it the changes after its lease's place as an
    /// array of events-container items (the adapter's documented item shape, docs/cosmos.md, with the system properties
    /// Cosmos adds), here one item per event, read from the app's own feed. Returns the invocation's response.
    /// </summary>
    /// <param name="loseTheAnswer">Keep the lease where it was, as when the host never saw the answer: the next call
    /// delivers the same batch again.</param>
    public async Task<HttpResponseMessage> DeliverChangesAsync(string subscription, bool loseTheAnswer = false)
    {
        var feed = app.Services.GetRequiredService<IEventFeed>();
        var lease = _leases.GetValueOrDefault(subscription, FeedCheckpoint.Start);
        var page = await feed.ReadFeedAsync(lease, 1_000);
        var documents = new JsonArray([.. page.Events.Select(ToDocument)]);
        var response = await InvokeAsync("feed-" + subscription, new JsonObject { [CosmosFeedFunction.BindingName] = documents });
        if (response.IsSuccessStatusCode && !loseTheAnswer)
        {
            _leases[subscription] = page.Next;
        }

        return response;
    }

    private static JsonObject ToDocument(RecordedEvent e) => new()
    {
        ["id"] = (e.Version - 1).ToString(CultureInfo.InvariantCulture),
        ["stream"] = e.StreamId,
        ["kind"] = "append",
        ["first"] = e.Version,
        ["last"] = e.Version,
        ["recordedAt"] = e.RecordedAt.ToString("O", CultureInfo.InvariantCulture),
        ["events"] = new JsonArray(new JsonObject
        {
            ["id"] = e.EventId.ToString(),
            ["type"] = e.Type,
            ["data"] = Encoding.UTF8.GetString(e.Data.Span),
        }),
        ["_rid"] = "AAAAAA==",
        ["_self"] = "dbs/AAAA==/colls/AAAA=/docs/AAAA==/",
        ["_etag"] = "\"00000000-0000-0000-0000-000000000000\"",
        ["_attachments"] = "attachments/",
        ["_ts"] = e.RecordedAt.ToUnixTimeSeconds(),
        ["_lsn"] = 1,
    };

    /// <summary>Starts the queue trigger's listener over the app's work queue.</summary>
    public void ListenToTheWorkQueue()
    {
        var queue = app.Services.GetRequiredService<IWorkQueue>();
        _listening = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var messages = await queue.ReceiveAsync(16, TimeSpan.FromMinutes(10), _stop.Token);
                if (messages.Count == 0)
                {
                    await queue.WaitForMessagesAsync(_stop.Token);
                    continue;
                }

                await Task.WhenAll(messages.Select(async message =>
                {
                    using var response = await DeliverAsync(message);
                    Interlocked.Increment(ref _queueInvocations);
                    if (response.IsSuccessStatusCode)
                    {
                        await queue.DeleteAsync(message.MessageId, message.PopReceipt);
                    }
                    else
                    {
                        FailedQueueInvocations.Enqueue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        await queue.UpdateVisibilityAsync(message.MessageId, message.PopReceipt, TimeSpan.FromSeconds(1));
                    }
                }));
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _listening;
        }
        catch (OperationCanceledException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
