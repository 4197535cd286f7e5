using System.Collections.Concurrent;
using System.Diagnostics;
using AstraTrade.Functions.Platform;
using AstraTrade.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;
using static AstraTrade.Functions.FunctionalTests.Infrastructure.Markets;

namespace AstraTrade.Functions.FunctionalTests.Hosting;

/// <summary>
/// Traces (ARCHITECTURE.md §7): a request's trace continues through the workflow it starts and the feed reactions its
/// events cause, because the trace context travels with stored events and work items; and with an OTLP endpoint
/// configured, the app exports spans and metrics to it.
/// </summary>
public sealed class TelemetryTests(ScriptedMarketFixture fixture) : AppTests<ScriptedMarketFixture>(fixture)
{
    [Fact]
    public async Task A_request_s_trace_runs_through_its_workflow_and_the_feed_reactions_to_it()
    {
        var collector = new SpanCollector();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("AstraTrade", "Microsoft.AspNetCore")
            .AddProcessor(new SimpleActivityExportProcessor(collector))
            .Build();
        var user = await App.RegisterAsync("traced");
        await App.FeedsCaughtUpAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { market = Btc, side = "long", leverage = 10, collateral = 100m }, options: Api.Json),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await user.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var spans = await Eventually.MatchAsync(
            () => Task.FromResult(collector.Spans.Where(s => s.TraceId == traceId).ToList()),
            ss => ss.Any(s => s.DisplayName == "feed progression"),
            "the progression reactor's batch in the request's trace");
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        Assert.Contains(spans, s => s.DisplayName == "workflow run");
        Assert.Contains(spans, s => s.DisplayName == "workflow activity");
        Assert.Contains(spans, s => s.DisplayName == "feed progression");
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_app_exports_spans_and_metrics_to_it()
    {
        using var receiver = new OtlpReceiver();
        await using var app = new AstraTradeApp(new AppOptions
        {
            ScriptedMarket = true,
            Settings = new Dictionary<string, string?>
            {
                [Telemetry.EndpointSetting] = receiver.Endpoint,
                [Telemetry.ProtocolSetting] = "http/protobuf",
                [Telemetry.ExportDelaySetting] = "200",
            },
        });
        PublishDefaults(app.Scripted);
        await app.StartAsync();

        using var health = await app.Anonymous().GetAsync("/health");

        var paths = await Eventually.MatchAsync(() => Task.FromResult(receiver.Requests.ToList()),
            r => r.Contains("POST /v1/traces application/x-protobuf") && r.Contains("POST /v1/metrics application/x-protobuf"),
            "OTLP exports of traces and metrics");
        Assert.All(paths, p => Assert.EndsWith("application/x-protobuf", p, StringComparison.Ordinal));
    }

    internal sealed class SpanCollector : BaseExporter<Activity>
    {
        public ConcurrentQueue<Activity> Spans { get; } = new();

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                Spans.Enqueue(span);
            }

            return ExportResult.Success;
        }
    }

    /// <summary>An OTLP/HTTP receiver on loopback that records each request's method, path and content type.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly LoopbackServer _server;

        public OtlpReceiver()
        {
            _server = new LoopbackServer(async context =>
            {
                Requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {context.Request.ContentType}");
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                context.Response.StatusCode = 200;
                context.Response.Close();
            });
            Endpoint = _server.BaseAddress.ToString();
        }

        public string Endpoint { get; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public void Dispose() => _server.Dispose();
    }
}

/// <summary>The trace through the relay: a close in a request unlocks FIRST_TRADE (the progression reactor, in the
/// request's trace), the relay publishes the unlock with that trace context, and the NFT context's consumer continues it.</summary>
public sealed class IntegrationTraceTests(ManualClockFixture fixture) : AppTests<ManualClockFixture>(fixture)
{
    [Fact]
    public async Task One_trace_runs_from_the_request_through_the_feed_and_the_relay_to_the_integration_event_consumer()
    {
        var collector = new TelemetryTests.SpanCollector();
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource("AstraTrade", "Microsoft.AspNetCore")
            .AddProcessor(new SimpleActivityExportProcessor(collector))
            .Build();
        var user = await App.RegisterAsync("traced");
        var opened = await user.OpenAsync(Btc, "long", 2, 10m);
        App.Clock!.Advance(AstraTradeApp.MinimumHold);
        App.Scripted.Refresh();
        await user.SignInAgainAsync();
        await App.FeedsCaughtUpAsync();
        var traceId = ActivityTraceId.CreateRandom();
        using var close = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/positions/{opened.Position!.Id}/close");
        close.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await user.Http.SendAsync(close);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var spans = await Eventually.MatchAsync(
            () => Task.FromResult(collector.Spans.Where(s => s.TraceId == traceId).ToList()),
            ss => ss.Any(s => s.DisplayName == "integration " + Contracts.Events.IntegrationEventTypes.AchievementUnlocked),
            "the NFT context's consumer span in the request's trace");
        Assert.Contains(spans, s => s.DisplayName == "feed progression");
        Assert.Contains(spans, s => s.DisplayName == "feed integration-events");
    }
}

/// <summary>/health tells when the Azure Storage work queue does not answer.</summary>
public sealed class QueueHealthTests
{
    [Fact]
    public async Task Health_is_degraded_and_says_why_when_the_storage_queue_does_not_answer()
    {
        await using var app = new AstraTradeApp(new AppOptions
        {
            ScriptedMarket = true,
            Settings = new Dictionary<string, string?>
            {
                // A well-formed account whose queue endpoint nothing listens on.
                ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
                    + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
                    + "QueueEndpoint=http://127.0.0.1:9/devstoreaccount1",
            },
        });
        PublishDefaults(app.Scripted);

        // Not app.StartAsync(): the reactors that start workflows wait for the queue, so the feeds never catch up.
        using var response = await app.Anonymous().GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var queue = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("workQueue");
        Assert.Equal(("azure-storage", "workflow-work"), (queue.GetProperty("kind").GetString(), queue.GetProperty("name").GetString()));
        Assert.False(string.IsNullOrEmpty(queue.GetProperty("error").GetString()));
    }
}
