using AstraTrade.Contracts.Http;

namespace AstraTrade.Functions.Workflows;

/// <summary>
/// An instance's management URIs, absolute and built from the request that asked (scheme, host, path base), so they
/// lead back to wherever the client reached the API. Placeholders as in Durable Functions: <c>{eventName}</c>, <c>{text}</c>.
/// </summary>
public static class WorkflowUris
{
    public const string Base = "/api/v1/workflows";

    public static string Instance(HttpRequest request, string instanceId) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{Base}/instances/{Uri.EscapeDataString(instanceId)}";

    public static WorkflowManagementUris For(HttpRequest request, string instanceId)
    {
        var instance = Instance(request, instanceId);
        return new WorkflowManagementUris(
            instanceId,
            instance,
            instance + "/raiseEvent/{eventName}",
            instance + "/terminate?reason={text}",
            instance + "/suspend?reason={text}",
            instance + "/resume?reason={text}",
            instance);
    }
}
