using System.Security.Claims;
using System.Text.Json;
using AstraTrade.Contracts.Http;
using AstraTrade.Functions.Http;
using AstraTrade.Orchestrations.Runtime;

namespace AstraTrade.Functions.Workflows;

/// <summary>
/// The workflow management API (ARCHITECTURE.md §5), shaped like Durable Functions' HTTP API: start, status (with
/// history), raise an event, terminate, suspend, resume, purge, list. Admins only, except that a user may read the
/// status of an instance they own (their trades); anyone else's instance is "not found" to them. Identity comes from
/// the token only.
/// </summary>
public static class WorkflowEndpoints
{
    public const int MaxTop = 1000;

    public static void MapWorkflowEndpoints(this RouteGroupBuilder api)
    {
        var workflows = api.MapGroup("/workflows").WithTags("Workflows").RequireAuthorization();
        var instances = workflows.MapGroup("/instances");

        workflows.MapPost("/{name}", async (ClaimsPrincipal user, string name, string? instanceId, HttpRequest request, WorkflowClient client, CancellationToken ct) =>
            {
                if (!user.IsAdmin())
                {
                    return WorkflowProblems.Forbidden();
                }

                var input = await ReadBodyAsync(request, ct);
                if (!IsJson(input, allowNull: false))
                {
                    return Problems.For("invalid-workflow-input", "The body must be the workflow's input as JSON (neither empty nor null).");
                }

                StartResult started;
                try
                {
                    started = await client.StartNewFromJsonAsync(name, input, new StartOptions(string.IsNullOrEmpty(instanceId) ? null : instanceId), ct);
                }
                catch (ArgumentException ex)
                {
                    return Problems.Validation(new Dictionary<string, string[]> { ["instanceId"] = [ex.Message] });
                }

                return started.Started
                    ? TypedResults.Accepted(WorkflowUris.Instance(request, started.InstanceId), WorkflowUris.For(request, started.InstanceId))
                    : WorkflowProblems.NotStarted(started);
            })
            .Accepts<JsonElement>("application/json")
            .WithSummary("Admin: start an instance of the workflow {name} with the body as its input (?instanceId= to choose its id); 202 with its management URIs")
            .Produces<WorkflowManagementUris>(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        instances.MapGet("/", async (
                ClaimsPrincipal user,
                string? runtimeStatus,
                DateTimeOffset? createdTimeFrom,
                DateTimeOffset? createdTimeTo,
                string? name,
                int? top,
                string? continuationToken,
                WorkflowClient client,
                CancellationToken ct) =>
            {
                if (!user.IsAdmin())
                {
                    return WorkflowProblems.Forbidden();
                }

                var errors = new Dictionary<string, string[]>();
                if (!WorkflowViews.TryParseStatuses(runtimeStatus, out var statuses))
                {
                    errors["runtimeStatus"] = ["Use a comma-separated list of Pending, Running, Completed, Failed, Terminated, Suspended."];
                }

                if (top is < 1 or > MaxTop)
                {
                    errors["top"] = [$"Must be from 1 to {MaxTop}."];
                }

                if (errors.Count > 0)
                {
                    return Problems.Validation(errors);
                }

                try
                {
                    var query = new WorkflowQuery(statuses, createdTimeFrom, createdTimeTo, string.IsNullOrEmpty(name) ? null : name, null, top ?? 100, continuationToken);
                    return TypedResults.Ok(WorkflowViews.Page(await client.ListAsync(query, ct)));
                }
                catch (ArgumentException)
                {
                    return Problems.For("invalid-cursor", "The continuation token was not issued by this API; start again without it.");
                }
            })
            .WithSummary("Admin: instances in created-time order, filtered by status (comma-separated), created time [from, to) and workflow name; top per page (default 100), then ?continuationToken=")
            .Produces<WorkflowInstancesPage>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        instances.MapGet("/{instanceId}", async (ClaimsPrincipal user, string instanceId, bool? showHistory, HttpRequest request, WorkflowClient client, CancellationToken ct) =>
            {
                var status = await client.GetStatusAsync(instanceId, cancellationToken: ct);
                if (status is null || !(user.IsAdmin() || status.Owner == user.UserId().ToString()))
                {
                    return WorkflowProblems.NotFound(instanceId);
                }

                var history = showHistory == true ? await client.GetHistoryAsync(instanceId, status.Generation, ct) : null;
                var view = WorkflowViews.Status(status, history);

                // As in Durable Functions: 202 (with Location, to poll) while it runs, 200 once it has finished.
                return WorkflowViews.IsFinished(status.RuntimeStatus)
                    ? TypedResults.Ok(view)
                    : TypedResults.Accepted(WorkflowUris.Instance(request, instanceId), view);
            })
            .WithSummary("The instance's status, input, output, custom status and times; ?showHistory=true adds its history. Admins, or the instance's owner")
            .Produces<WorkflowStatusResponse>()
            .Produces<WorkflowStatusResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound);

        instances.MapPost("/{instanceId}/raiseEvent/{eventName}", async (ClaimsPrincipal user, string instanceId, string eventName, HttpRequest request, WorkflowClient client, CancellationToken ct) =>
            {
                if (!user.IsAdmin())
                {
                    return WorkflowProblems.Forbidden();
                }

                var payload = await ReadBodyAsync(request, ct);
                if (!IsJson(payload, allowNull: true))
                {
                    return Problems.For("malformed-request", "The body must be the event's payload as JSON.");
                }

                try
                {
                    return WorkflowProblems.For(await client.RaiseEventAsync(instanceId, eventName, payload, ct), instanceId);
                }
                catch (ArgumentException ex)
                {
                    return Problems.Validation(new Dictionary<string, string[]> { ["eventName"] = [ex.Message] });
                }
            })
            .Accepts<JsonElement>("application/json")
            .WithSummary("Admin: raise the external event {eventName} with the body as its payload; buffered until the workflow waits for it")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        MapCommand(instances, "terminate", "Admin: terminate the instance at once (timers never fire, compensations do not run)", (c, id, reason, ct) => c.TerminateAsync(id, reason, ct));
        MapCommand(instances, "suspend", "Admin: suspend the instance (what arrives is held until it is resumed)", (c, id, reason, ct) => c.SuspendAsync(id, reason, ct));
        MapCommand(instances, "resume", "Admin: resume a suspended instance (held messages are processed in arrival order)", (c, id, reason, ct) => c.ResumeAsync(id, reason, ct));

        instances.MapDelete("/{instanceId}", async (ClaimsPrincipal user, string instanceId, WorkflowClient client, CancellationToken ct) =>
            {
                if (!user.IsAdmin())
                {
                    return WorkflowProblems.Forbidden();
                }

                var outcome = await client.PurgeAsync(instanceId, ct);
                return outcome == OperationOutcome.Accepted ? TypedResults.Ok(new WorkflowPurgeResponse(1)) : WorkflowProblems.For(outcome, instanceId);
            })
            .WithSummary("Admin: purge a finished instance (its id can be used again; its history stays in the log for audit)")
            .Produces<WorkflowPurgeResponse>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static void MapCommand(
        RouteGroupBuilder instances, string command, string summary, Func<WorkflowClient, string, string?, CancellationToken, ValueTask<OperationOutcome>> run) =>
        instances.MapPost($"/{{instanceId}}/{command}", async (ClaimsPrincipal user, string instanceId, string? reason, WorkflowClient client, CancellationToken ct) =>
                user.IsAdmin() ? WorkflowProblems.For(await run(client, instanceId, reason, ct), instanceId) : WorkflowProblems.Forbidden())
            .WithSummary(summary + "; ?reason= is recorded")
            .Produces(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static bool IsJson(byte[] body, bool allowNull)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return allowNull || document.RootElement.ValueKind != JsonValueKind.Null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
