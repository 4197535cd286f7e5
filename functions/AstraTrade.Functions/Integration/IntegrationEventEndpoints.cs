using System.Text.Json;
using AstraTrade.Application.Integration;
using AstraTrade.Domain.Common;
using AstraTrade.Functions.Http;
using AstraTrade.Infrastructure.EventGrid;
using Microsoft.Extensions.Options;

namespace AstraTrade.Functions.Integration;

/// <summary>
/// Where integration events arrive: the WebHook endpoint (<c>/api/v1/integration-events/{subscription}</c>) for Event
/// Grid subscriptions of endpoint type WebHook, with Event Grid's validation handshake and the CloudEvents
/// abuse-protection handshake; and <c>POST /eventgrid-{subscription}</c>, which the Functions host calls for each
/// eventGridTrigger function. Both parse the events (<see cref="EventGridPayloads"/>) and hand them to the
/// subscription's consumer; a bad payload is a 400 (retrying cannot help), a failed handler a 503 (deliver again).
/// </summary>
public static class IntegrationEventEndpoints
{
    public const string WebhookPrefix = "/api/v1/integration-events";

    /// <summary>The binding name of the eventGridTrigger (Hosting/FunctionDeclarations.cs, EventGridFunction).</summary>
    public const string TriggerBinding = Hosting.EventGridFunction.BindingName;

    public static void MapIntegrationEvents(this WebApplication app)
    {
        // Event Grid's endpoint, not the app's API: described in docs/integration-events.md, kept out of the OpenAPI document.
        var webhook = app.MapGroup(WebhookPrefix).ExcludeFromDescription().AllowAnonymous();
        webhook.MapPost("/{subscription}", ReceiveAsync);
        webhook.MapMethods("/{subscription}", [HttpMethods.Options], Handshake);

        // The host's invocations exist only under the host, like every other function's (Hosting/Invocations): standalone
        // nothing sits in front of the app, and these paths would let anyone post integration events.
        if (!Hosting.AppHosting.UnderFunctionsHost(app.Configuration))
        {
            return;
        }

        foreach (var subscription in app.Services.GetRequiredService<IntegrationConsumers>().Names)
        {
            var function = IntegrationConsumers.FunctionName(subscription);
            app.MapPost("/" + function, (HttpRequest request, IntegrationConsumers consumers, ILogger<IntegrationConsumers> logger, CancellationToken ct) =>
                    InvokeAsync(subscription, request, consumers, logger, ct))
                .WithMetadata(new FunctionInvocationMetadata(function))
                .ExcludeFromDescription()
                .AllowAnonymous();
        }
    }

    private static async Task<IResult> ReceiveAsync(
        string subscription,
        HttpRequest request,
        IOptions<EventGridOptions> options,
        IntegrationConsumers consumers,
        ILogger<IntegrationConsumers> logger,
        CancellationToken ct)
    {
        if (Refuse(subscription, request, options.Value, consumers, out var consumer) is { } refused)
        {
            return refused;
        }

        IReadOnlyList<IntegrationEvent> events;
        try
        {
            events = EventGridPayloads.Parse(await ReadBodyAsync(request, ct));
            if (events.Count == 1 && EventGridPayloads.TryGetValidationCode(events[0], out var code))
            {
                logger.LogInformation("Integration subscription {Subscription} validated by Event Grid (event {EventId})", subscription, events[0].Id);
                return TypedResults.Ok(new SubscriptionValidationResponse(code));
            }
        }
        catch (IntegrationEventFormatException ex)
        {
            return Invalid(ex);
        }

        return await ConsumeAsync(subscription, consumer, events, logger, result => TypedResults.Ok(result), ct);
    }

    /// <summary>CloudEvents HTTP webhook spec, "abuse protection": the sender asks with WebHook-Request-Origin whether
    /// it may deliver; the answer names the origin allowed (any rate).</summary>
    private static IResult Handshake(string subscription, HttpRequest request, HttpResponse response, IOptions<EventGridOptions> options, IntegrationConsumers consumers)
    {
        if (Refuse(subscription, request, options.Value, consumers, out _) is { } refused)
        {
            return refused;
        }

        var origin = request.Headers["WebHook-Request-Origin"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(origin))
        {
            return Problems.For(new DomainError("webhook-origin-required", "An OPTIONS request is the abuse-protection handshake: send WebHook-Request-Origin."), StatusCodes.Status400BadRequest);
        }

        response.Headers["WebHook-Allowed-Origin"] = origin;
        response.Headers["WebHook-Allowed-Rate"] = "*";
        return TypedResults.Ok();
    }

    /// <summary>The Functions host's invocation of an eventGridTrigger function: <c>{"Data": {"event": …}, "Metadata": …}</c>,
    /// where the event is JSON or a string holding it.</summary>
    private static async Task<IResult> InvokeAsync(
        string subscription, HttpRequest request, IntegrationConsumers consumers, ILogger<IntegrationConsumers> logger, CancellationToken ct)
    {
        IReadOnlyList<IntegrationEvent> events;
        try
        {
            using var invocation = JsonDocument.Parse(await ReadBodyAsync(request, ct));
            if (invocation.RootElement.ValueKind != JsonValueKind.Object
                || !invocation.RootElement.TryGetProperty("Data", out var data)
                || data.ValueKind != JsonValueKind.Object
                || !data.TryGetProperty(TriggerBinding, out var trigger))
            {
                throw new IntegrationEventFormatException($"An invocation is {{\"Data\": {{\"{TriggerBinding}\": <event>}}, \"Metadata\": …}}; '{TriggerBinding}' is missing.");
            }

            events = trigger.ValueKind == JsonValueKind.String
                ? EventGridPayloads.Parse(System.Text.Encoding.UTF8.GetBytes(trigger.GetString()!))
                : EventGridPayloads.Parse(trigger);
        }
        catch (JsonException ex)
        {
            return Invalid(new IntegrationEventFormatException($"The invocation is not valid JSON: {ex.Message}", ex));
        }
        catch (IntegrationEventFormatException ex)
        {
            return Invalid(ex);
        }

        if (!consumers.TryGet(subscription, out var consumer))
        {
            // The route exists only for the subscriptions the app had when it mapped its endpoints.
            return Problems.For(new DomainError("unknown-integration-subscription", $"There is no integration subscription '{subscription}'."), StatusCodes.Status404NotFound);
        }

        return await ConsumeAsync(subscription, consumer, events, logger, _ => TypedResults.Json(Hosting.Invocations.InvocationResult.Succeeded(), Hosting.Invocations.InvocationResult.HostJson), ct);
    }

    private static async Task<IResult> ConsumeAsync(
        string subscription,
        IntegrationEventConsumer consumer,
        IReadOnlyList<IntegrationEvent> events,
        ILogger logger,
        Func<IntegrationDeliveryResponse, IResult> success,
        CancellationToken ct)
    {
        try
        {
            var result = await consumer.ConsumeAsync(events, ct);
            return success(new IntegrationDeliveryResponse(result.Handled, result.Duplicates, result.Unhandled));
        }
        catch (IntegrationEventHandlerException ex)
        {
            logger.LogWarning(ex, "Integration subscription {Subscription}: {Handler} failed on event {EventId}; the sender delivers it again",
                subscription, ex.Handler, ex.EventId);
            return Problems.For(
                new DomainError("integration-event-handler-failed", $"Event {ex.EventId} could not be handled yet; deliver it again later."),
                StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>Not configured (501), wrong key (401) or unknown subscription (404), in that order, so that nothing
    /// about the subscriptions shows without the key.</summary>
    private static IResult? Refuse(
        string subscription, HttpRequest request, EventGridOptions options, IntegrationConsumers consumers, out IntegrationEventConsumer consumer)
    {
        consumer = null!;
        if (string.IsNullOrEmpty(options.WebhookKey))
        {
            return Problems.For(
                new DomainError("webhook-not-configured", $"The integration-events webhook is not configured (set {EventGridOptions.Section}:WebhookKey)."),
                StatusCodes.Status501NotImplemented);
        }

        if (!WebhookKey.IsPresentedBy(request, options.WebhookKey))
        {
            return Problems.For("unauthorized", $"Present the webhook key in the '{WebhookKey.QueryParameter}' query parameter or the {WebhookKey.Header} header.");
        }

        return consumers.TryGet(subscription, out consumer)
            ? null
            : Problems.For(new DomainError("unknown-integration-subscription", $"There is no integration subscription '{Truncate(subscription)}'."), StatusCodes.Status404NotFound);
    }

    private static IResult Invalid(IntegrationEventFormatException ex) =>
        Problems.For(new DomainError("invalid-integration-event", ex.Message), StatusCodes.Status400BadRequest);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
