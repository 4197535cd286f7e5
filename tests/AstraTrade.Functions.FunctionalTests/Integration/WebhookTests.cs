using System.Net.Http.Headers;
using AstraTrade.Application.Integration;
using AstraTrade.Contracts.Events;
using AstraTrade.Functions.Hosting;
using AstraTrade.Functions.Integration;
using Microsoft.AspNetCore.Routing;

namespace AstraTrade.Functions.FunctionalTests.Integration;

/// <summary>One app for the webhook tests: a webhook key, and a consumer subscription "test-consumer" with a test handler.</summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string Key = "webhook-key-for-tests";
    public const string Subscription = "test-consumer";

    internal RecordingHandler Handler { get; } = new(IntegrationEventTypes.AchievementUnlocked, IntegrationEventTypes.LevelReached);

    internal IntegrationHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await IntegrationHost.StartAsync(
        new AppOptions
        {
            // Under the host, so that the eventGridTrigger invocation path exists too.
            Settings = new Dictionary<string, string?> { ["EventGrid:WebhookKey"] = Key, [AppHosting.ModeSetting] = nameof(HostingMode.FunctionsHost) },
        },
        services =>
        {
            services.AddSingleton<IIntegrationEventHandler>(Handler);
            services.AddSingleton(sp => new IntegrationConsumers(
                [(Subscription, [typeof(RecordingHandler)])],
                sp.GetServices<IIntegrationEventHandler>(),
                sp.GetRequiredService<IntegrationDeliveryLog>(),
                sp.GetRequiredService<ILogger<IntegrationEventConsumer>>()));
        });

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Host.App.AssertNoServerErrors();
    }
}

/// <summary>
/// The WebHook endpoint with recorded Event Grid payloads: the subscription validation handshake, the CloudEvents
/// abuse-protection handshake, the key, deliveries in both schemas, duplicates, bad payloads, a failing handler; and the
/// invocation the Functions host posts for an eventGridTrigger function.
/// </summary>
public sealed class WebhookTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private const string Path = "/api/v1/integration-events/" + WebhookFixture.Subscription;

    /// <summary>Recorded shape of Event Grid's validation event to a WebHook (Event Grid schema; header aeg-event-type: SubscriptionValidation).</summary>
    private const string ValidationEvent = """
        [{
          "id": "2d1781af-3a4c-4d7c-bd0c-e34b19da4e66",
          "topic": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/astratrade/providers/Microsoft.EventGrid/topics/astratrade-events",
          "subject": "",
          "data": {
            "validationCode": "512d38b6-c7b8-40c8-89fe-f46f9e9622b6",
            "validationUrl": "https://rp-westeurope.eventgrid.azure.net:553/eventsubscriptions/test-consumer/validate?id=512d38b6&t=2026-11-02T12:00:00.0000000Z&apiVersion=2025-02-15&token=redacted"
          },
          "eventType": "Microsoft.EventGrid.SubscriptionValidationEvent",
          "eventTime": "2026-11-02T12:00:00.9556811Z",
          "metadataVersion": "1",
          "dataVersion": "1"
        }]
        """;

    private IntegrationHost Host => fixture.Host;

    private RecordingHandler Handler => fixture.Handler;

    [Fact]
    public async Task The_subscription_validation_event_is_answered_with_its_code()
    {
        using var client = Host.Client();
        using var request = Post(ValidationEvent, "application/json", key: WebhookFixture.Key);
        request.Headers.Add("aeg-event-type", "SubscriptionValidation");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"validationResponse":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_CloudEvents_abuse_protection_handshake_allows_the_requesting_origin()
    {
        using var client = Host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Options, Path + "?key=" + WebhookFixture.Key);
        request.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["eventgrid.azure.net"], response.Headers.GetValues("WebHook-Allowed-Origin"));
        Assert.Equal(["*"], response.Headers.GetValues("WebHook-Allowed-Rate"));

        using var withoutOrigin = new HttpRequestMessage(HttpMethod.Options, Path + "?key=" + WebhookFixture.Key);
        await Api.ProblemAsync(await client.SendAsync(withoutOrigin), HttpStatusCode.BadRequest, "webhook-origin-required");
    }

    [Fact]
    public async Task Without_the_key_nothing_is_answered_or_handled()
    {
        using var client = Host.Client();
        var e = CloudEvent(IntegrationEventTypes.AchievementUnlocked);

        await Api.ProblemAsync(await client.SendAsync(Post(e, "application/cloudevents+json; charset=utf-8", key: null)), HttpStatusCode.Unauthorized, "unauthorized");
        await Api.ProblemAsync(await client.SendAsync(Post(e, "application/cloudevents+json; charset=utf-8", key: "wrong")), HttpStatusCode.Unauthorized, "unauthorized");
        await Api.ProblemAsync(await client.SendAsync(Post(ValidationEvent, "application/json", key: "webhook-key-for-test")), HttpStatusCode.Unauthorized, "unauthorized");
        using var options = new HttpRequestMessage(HttpMethod.Options, Path);
        options.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        var refused = await client.SendAsync(options);
        await Api.ProblemAsync(refused, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.False(refused.Headers.Contains("WebHook-Allowed-Origin"));

        Assert.DoesNotContain(Handler.Handled, h => e.Contains(h.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unknown_subscription_is_404_with_the_key()
    {
        using var client = Host.Client();

        var response = await client.SendAsync(Post(ValidationEvent, "application/json", WebhookFixture.Key, "/api/v1/integration-events/nobody"));

        await Api.ProblemAsync(response, HttpStatusCode.NotFound, "unknown-integration-subscription");
    }

    [Fact]
    public async Task A_CloudEvent_is_handled_once_however_often_it_is_delivered()
    {
        using var client = Host.Client();
        var id = Guid.NewGuid().ToString();
        var e = CloudEvent(IntegrationEventTypes.AchievementUnlocked, id);

        using var first = Post(e, "application/cloudevents+json; charset=utf-8", WebhookFixture.Key);
        first.Headers.Add("aeg-event-type", "Notification");
        first.Headers.Add("aeg-delivery-count", "0");
        Assert.Equal(new IntegrationDeliveryResponse(1, 0, 0), await Api.ReadAsync<IntegrationDeliveryResponse>(await client.SendAsync(first)));

        // A redelivery, with the key in the header this time.
        using var again = Post(e, "application/cloudevents+json; charset=utf-8", key: null);
        again.Headers.Add(WebhookKey.Header, WebhookFixture.Key);
        again.Headers.Add("aeg-delivery-count", "1");
        Assert.Equal(new IntegrationDeliveryResponse(0, 1, 0), await Api.ReadAsync<IntegrationDeliveryResponse>(await client.SendAsync(again)));

        var handled = Assert.Single(Handler.Handled, h => h.Id == id);
        Assert.Equal("FIRST_TRADE", handled.Data.GetProperty("achievementId").GetString());
    }

    [Fact]
    public async Task A_batch_is_handled_in_order_and_types_nobody_consumes_are_acknowledged()
    {
        using var client = Host.Client();
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid().ToString()).ToList();
        var batch = $"[{CloudEvent(IntegrationEventTypes.LevelReached, ids[0])},{CloudEvent(IntegrationEventTypes.TournamentCompleted, ids[1])},{CloudEvent(IntegrationEventTypes.AchievementUnlocked, ids[2])}]";

        var result = await Api.ReadAsync<IntegrationDeliveryResponse>(await client.SendAsync(Post(batch, "application/cloudevents-batch+json; charset=utf-8", WebhookFixture.Key)));

        Assert.Equal(new IntegrationDeliveryResponse(2, 0, 1), result);
        Assert.Equal([ids[0], ids[2]], Handler.Handled.Where(h => ids.Contains(h.Id)).Select(h => h.Id));
    }

    [Theory]
    [InlineData("not json at all", "not valid JSON")]
    [InlineData("""{"specversion":"1.0","id":"x","source":"/s","type":"t"}""", "has no 'time'")]
    [InlineData("[]", "empty array")]
    public async Task A_bad_payload_is_a_400_problem_saying_why(string payload, string why)
    {
        using var client = Host.Client();

        var problem = await Api.ProblemAsync(
            await client.SendAsync(Post(payload, "application/cloudevents+json", WebhookFixture.Key)), HttpStatusCode.BadRequest, "invalid-integration-event");

        Assert.Contains(why, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_handler_answers_503_so_Event_Grid_delivers_again_and_the_redelivery_is_handled()
    {
        using var client = Host.Client();
        var id = Guid.NewGuid().ToString();
        var e = CloudEvent(IntegrationEventTypes.LevelReached, id);
        Handler.Refuse = h => h.Id == id;

        await Api.ProblemAsync(await client.SendAsync(Post(e, "application/cloudevents+json", WebhookFixture.Key)), HttpStatusCode.ServiceUnavailable, "integration-event-handler-failed");
        Handler.Refuse = null;
        var result = await Api.ReadAsync<IntegrationDeliveryResponse>(await client.SendAsync(Post(e, "application/cloudevents+json", WebhookFixture.Key)));

        Assert.Equal(new IntegrationDeliveryResponse(1, 0, 0), result);
        Assert.Single(Handler.Handled, h => h.Id == id);
    }

    [Fact]
    public async Task The_Functions_host_invocation_of_the_eventGridTrigger_hands_the_event_to_the_subscription()
    {
        using var client = Host.Client();
        var asObject = Guid.NewGuid().ToString();
        var asString = Guid.NewGuid().ToString();
        var path = "/" + IntegrationConsumers.FunctionName(WebhookFixture.Subscription);

        var response = await client.SendAsync(Api.Raw(HttpMethod.Post, path,
            """{"Data":{"event":""" + CloudEvent(IntegrationEventTypes.AchievementUnlocked, asObject) + """},"Metadata":{"sys":{"MethodName":"eventgrid-test-consumer"}}}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"Outputs":{},"Logs":[],"ReturnValue":null}""", await response.Content.ReadAsStringAsync());

        var stringified = JsonSerializer.Serialize(CloudEvent(IntegrationEventTypes.LevelReached, asString));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Api.Raw(HttpMethod.Post, path, """{"Data":{"event":""" + stringified + """},"Metadata":{}}"""))).StatusCode);

        Assert.Single(Handler.Handled, h => h.Id == asObject);
        Assert.Single(Handler.Handled, h => h.Id == asString);
        await Api.ProblemAsync(await client.SendAsync(Api.Raw(HttpMethod.Post, path, """{"Data":{},"Metadata":{}}""")), HttpStatusCode.BadRequest, "invalid-integration-event");
        await Api.ProblemAsync(await client.SendAsync(Api.Raw(HttpMethod.Post, path, "{")), HttpStatusCode.BadRequest, "invalid-integration-event");
    }

    [Fact]
    public void Each_consumer_subscription_has_an_invocation_endpoint_marked_as_such_and_its_function_is_an_eventGridTrigger()
    {
        var invocations = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.Metadata.GetMetadata<FunctionInvocationMetadata>())
            .OfType<FunctionInvocationMetadata>()
            .Select(m => m.FunctionName)
            .Where(n => n.StartsWith(IntegrationConsumers.FunctionPrefix, StringComparison.Ordinal));

        Assert.Equal(["eventgrid-test-consumer"], invocations);
        var binding = FunctionJsonWriter.ToJson(new EventGridFunction(IntegrationConsumers.FunctionName(WebhookFixture.Subscription)))["bindings"]![0]!;
        Assert.Equal(("eventGridTrigger", IntegrationEventEndpoints.TriggerBinding), ((string?)binding["type"], (string?)binding["name"]));
        Assert.Equal(IntegrationConsumers.Table.Select(t => IntegrationConsumers.FunctionName(t.Name)), AppFunctions.EventGrid.Select(f => f.Name));
    }

    private static HttpRequestMessage Post(string body, string contentType, string? key, string path = Path)
    {
        var request = Api.Raw(HttpMethod.Post, key is null ? path : $"{path}?key={Uri.EscapeDataString(key)}", body, contentType: null);
        request.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return request;
    }

    /// <summary>A CloudEvent as Event Grid delivers it to a CloudEvents-schema WebHook subscription.</summary>
    private static string CloudEvent(string type, string? id = null) => $$"""
        {
          "id": "{{id ?? Guid.NewGuid().ToString()}}",
          "source": "/astratrade/gamification",
          "specversion": "1.0",
          "type": "{{type}}",
          "subject": "users/0f8fad5bd9cb469fa16570867728950e",
          "time": "2026-11-02T12:00:00.123+00:00",
          "datacontenttype": "application/json",
          "data": { "userId": "0f8fad5b-d9cb-469f-a165-70867728950e", "achievementId": "FIRST_TRADE", "level": 2, "unlockedAt": "2026-11-02T12:00:00+00:00" }
        }
        """;
}

/// <summary>An app without EventGrid:WebhookKey: the webhook says it is not configured, whatever is sent.</summary>
public sealed class UnconfiguredWebhookTests(PlatformFixture fixture) : AppTests<PlatformFixture>(fixture)
{
    [Fact]
    public async Task Without_a_webhook_key_the_endpoint_answers_501_not_configured()
    {
        using var client = App.Anonymous();

        await Api.ProblemAsync(
            await client.SendAsync(Api.Raw(HttpMethod.Post, "/api/v1/integration-events/anything?key=guess", "[]")), HttpStatusCode.NotImplemented, "webhook-not-configured");
        using var options = new HttpRequestMessage(HttpMethod.Options, "/api/v1/integration-events/anything");
        options.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        await Api.ProblemAsync(await client.SendAsync(options), HttpStatusCode.NotImplemented, "webhook-not-configured");
    }

    [Fact]
    public void The_relay_is_a_durable_feed_subscription_and_standalone_publishes_in_process()
    {
        Assert.Contains(Platform.FeedSubscriptions.Table, t => t == ("integration-events", typeof(IntegrationEventRelay), true));
        Assert.IsType<InProcessIntegrationEventPublisher>(App.Services.GetRequiredService<IIntegrationEventPublisher>());
        Assert.Equal(IntegrationConsumers.Table.Select(t => t.Name), App.Services.GetRequiredService<IntegrationConsumers>().Names.Order());
    }
}
