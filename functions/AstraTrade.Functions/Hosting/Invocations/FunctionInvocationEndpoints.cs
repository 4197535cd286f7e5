using System.Text.Json;
using AstraTrade.Application.Ports;
using AstraTrade.Functions.Platform;
using AstraTrade.Infrastructure.Scheduling;
using AstraTrade.Infrastructure.Storage.Cosmos;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Functions.Hosting.Invocations;

/// <summary>
/// The custom-handler invocation protocol (ARCHITECTURE.md §2): the Functions host posts each non-HTTP trigger to
/// <c>POST /{functionName}</c>, and this calls the same handler standalone mode calls. Mapped only under the host: the
/// host forwards outside HTTP traffic only to the declared HTTP routes (all under <c>api/</c>, <c>health</c> and
/// <c>openapi/</c>), so nobody outside reaches these paths, and standalone they do not exist.
/// </summary>
public static class FunctionInvocationEndpoints
{
    public static void MapFunctionInvocations(this IEndpointRouteBuilder app)
    {
        // Event Grid functions are served by Integration/IntegrationEventEndpoints.cs, beside the WebHook endpoint.
        foreach (var function in AppFunctions.All.Where(f => f is not (HttpFunction or EventGridFunction)))
        {
            app.MapPost("/" + function.Name, (HttpContext http) => InvokeAsync(function, http))
                .WithMetadata(new Integration.FunctionInvocationMetadata(function.Name))
                .ExcludeFromDescription()
                .AllowAnonymous();
        }
    }

    private static async Task InvokeAsync(FunctionDeclaration function, HttpContext http)
    {
        var services = http.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("AstraTrade.Functions.Invocations");
        var cancellationToken = http.RequestAborted;
        InvocationResult result;
        int status;
        try
        {
            var invocation = await Invocation.ReadAsync(http.Request.Body, cancellationToken);
            result = function switch
            {
                TimerFunction timer => await RunTimerAsync(timer, invocation, services, cancellationToken),
                QueueFunction => await DeliverWorkAsync(invocation, services, cancellationToken),
                CosmosFeedFunction feed => await HandleChangesAsync(feed, invocation, services, cancellationToken),
                _ => throw new InvalidInvocationException($"The function '{function.Name}' has no invocation handler."),
            };
            status = StatusCodes.Status200OK;
        }
        catch (InvalidInvocationException ex)
        {
            logger.LogWarning("Invocation of {Function} refused: {Reason}", function.Name, ex.Message);
            (result, status) = (InvocationResult.Failed(ex.Message), StatusCodes.Status400BadRequest);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // the host gave up on the invocation; it retries by the trigger's rules
        }
#pragma warning disable CA1031 // Any failure fails the invocation, and the host retries it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogError(ex, "Invocation of {Function} failed", function.Name);
            (result, status) = (InvocationResult.Failed($"{ex.GetType().Name}: {ex.Message}"), StatusCodes.Status500InternalServerError);
        }

        http.Response.StatusCode = status;
        await http.Response.WriteAsJsonAsync(result, InvocationResult.HostJson, cancellationToken);
    }

    /// <summary>The host says when it fired, not which occurrence; the job needs the occurrence (funding is charged
    /// per funding time), so it is the schedule's latest at or before the invocation.</summary>
    private static async Task<InvocationResult> RunTimerAsync(
        TimerFunction timer, Invocation invocation, IServiceProvider services, CancellationToken cancellationToken)
    {
        var firedAt = invocation.InvokedAt ?? services.GetRequiredService<TimeProvider>().GetUtcNow();
        var due = NCrontabSchedule.Parse(timer.Schedule).GetLatestOccurrence(firedAt)
            ?? throw new InvalidInvocationException($"The schedule '{timer.Schedule}' has no occurrence before {firedAt:O}.");
        var pastDue = invocation.Json(TimerFunction.BindingName) is { ValueKind: JsonValueKind.Object } info
            && info.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True;
        await services.GetRequiredService<ScheduledJobs>().For(timer.Name)(due, cancellationToken);
        return InvocationResult.Succeeded($"{timer.Name} ran for {due:O}{(pastDue ? " (past due)" : "")}");
    }

    /// <summary>A batch of the events container's change feed (the host's lease keeps the place): the documents' events, in
    /// their order, to the subscription's handler. Failing fails the invocation, and the host delivers the batch again;
    /// handlers are idempotent, as standalone.</summary>
    private static async Task<InvocationResult> HandleChangesAsync(
        CosmosFeedFunction feed, Invocation invocation, IServiceProvider services, CancellationToken cancellationToken)
    {
        var documents = invocation.Json(CosmosFeedFunction.BindingName);
        if (documents.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidInvocationException($"The binding \"{CosmosFeedFunction.BindingName}\" is not an array of documents.");
        }

        var events = documents.EnumerateArray().SelectMany(CosmosEventDocuments.ToRecordedEvents).ToList();
        if (events.Count > 0)
        {
            await services.GetRequiredService<FeedSubscriptions>().HandlerOf(feed.Subscription).HandleAsync(events, cancellationToken);
        }

        return InvocationResult.Succeeded($"{feed.Subscription}: {events.Count} events from {documents.GetArrayLength()} documents");
    }

    /// <summary>A workflow work item from the queue trigger. The host holds the message's lease; success deletes it,
    /// failure makes it visible again after host.json's visibilityTimeout, and the runtime moves it aside as poison
    /// once its DequeueCount passes WorkflowHostOptions.MaxDequeueCount (below host.json's maxDequeueCount).</summary>
    private static async Task<InvocationResult> DeliverWorkAsync(Invocation invocation, IServiceProvider services, CancellationToken cancellationToken)
    {
        var message = new QueueMessage(
            invocation.MetadataString("Id") ?? throw new InvalidInvocationException("The queue message has no Id in its Metadata."),
            invocation.MetadataString("PopReceipt") ?? "",
            invocation.Bytes(QueueFunction.BindingName),
            invocation.MetadataInt("DequeueCount") ?? throw new InvalidInvocationException("The queue message has no DequeueCount in its Metadata."),
            invocation.MetadataTime("InsertionTime") ?? services.GetRequiredService<TimeProvider>().GetUtcNow());
        await services.GetRequiredService<WorkflowHost>().ProcessDeliveredAsync(message, cancellationToken);
        return InvocationResult.Succeeded($"Work item {message.MessageId} processed (delivery {message.DequeueCount})");
    }
}
