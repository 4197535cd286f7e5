using System.Diagnostics.Metrics;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

/// <summary>
/// The store's instruments, on the meter <see cref="MeterName"/> (add it to the OpenTelemetry metrics): the request units
/// each request cost, tagged by the store operation that sent it, and the retries beyond the SDK's own.
/// </summary>
public static class CosmosMetrics
{
    public const string MeterName = "AstraTrade.Cosmos";

    /// <summary>Histogram of request units per request; tags <c>operation</c> (e.g. <c>events.append</c>),
    /// <c>database</c> and <c>status_code</c>.</summary>
    public const string RequestChargeName = "astratrade.cosmos.request_charge";

    /// <summary>Counter of retries after a 429, 503, 408 or transport failure that the SDK did not absorb; tags
    /// <c>operation</c>, <c>database</c> and <c>status_code</c> (0 for a transport failure).</summary>
    public const string RetriesName = "astratrade.cosmos.retries";

    internal static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<double> RequestCharge = Meter.CreateHistogram<double>(
        RequestChargeName, unit: "{request_unit}", description: "Cosmos DB request units charged per request, by store operation.");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        RetriesName, unit: "{retry}", description: "Cosmos DB requests retried by the store after the SDK's own retries.");
}
