using System.Globalization;
using AstraTrade.Application.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// OpenTelemetry traces and metrics over OTLP (ARCHITECTURE.md §7), on when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set
/// (the standard variable; any configuration source works). Off, no listener exists, so the activity sources cost a
/// null check. Only the core SDK and the OTLP exporter restore here (PACKAGES.md), so the providers are built directly
/// rather than through a hosting extension, and ASP.NET Core and HttpClient are traced through the activity sources
/// and meters .NET itself publishes.
/// <list type="bullet">
/// <item>Traces: <c>Microsoft.AspNetCore</c> (one server span per request, continuing an incoming <c>traceparent</c>),
/// <c>System.Net.Http</c> (outgoing calls: Starknet RPC, Event Grid, Cosmos, Storage), <c>Azure.*</c> (the Azure SDKs),
/// and <c>AstraTrade</c>: workflow steps and activities, feed batches, the integration-event relay and consumers. The
/// trace context travels with stored events, work items and CloudEvents (Application/Diagnostics/TraceContext.cs), so
/// one trace runs from a request through its workflow and the feed to the Event Grid consumer.</item>
/// <item>Metrics: <c>AstraTrade*</c> (ours), ASP.NET Core's and Kestrel's, HttpClient's and the runtime's.</item>
/// </list>
/// </summary>
public static class Telemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>.</summary>
    public const string ProtocolSetting = "OTEL_EXPORTER_OTLP_PROTOCOL";

    /// <summary>How often spans are exported, in milliseconds (the SDK's default is 5,000).</summary>
    public const string ExportDelaySetting = "OTEL_BSP_SCHEDULE_DELAY";

    public const string ServiceNameSetting = "OTEL_SERVICE_NAME";

    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[EndpointSetting] is not { Length: > 0 } endpointText)
        {
            return services;
        }

        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException($"{EndpointSetting} '{endpointText}' is not an absolute URI.");
        }

        var protocol = configuration[ProtocolSetting] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => throw new InvalidOperationException($"{ProtocolSetting} '{other}' is not supported; use grpc or http/protobuf."),
        };
        var delay = int.TryParse(configuration[ExportDelaySetting], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 ? ms : 5_000;
        var resource = ResourceBuilder.CreateDefault().AddService(configuration[ServiceNameSetting] is { Length: > 0 } name ? name : "astratrade-functions");

        // With an explicit endpoint, OTLP over HTTP needs each signal's path; gRPC takes the base address.
        Uri For(string signal) => protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, signal) : endpoint;

        services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(AstraTradeDiagnostics.Name, "Microsoft.AspNetCore", "System.Net.Http", "Azure.*")
            .AddOtlpExporter(o =>
            {
                o.Endpoint = For("v1/traces");
                o.Protocol = protocol;
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = delay;
            })
            .Build());
        services.AddSingleton(_ => Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(AstraTradeDiagnostics.Name, AstraTradeDiagnostics.Name + ".*", "astratrade.*",
                "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime")
            .AddOtlpExporter((o, reader) =>
            {
                o.Endpoint = For("v1/metrics");
                o.Protocol = protocol;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = delay;
            })
            .Build());
        services.AddHostedService<TelemetryProviders>();
        return services;
    }

    /// <summary>Creates the providers as the app starts, so they listen from the first request; the container disposes
    /// them at shutdown, which flushes what is still buffered.</summary>
    private sealed class TelemetryProviders(TracerProvider tracing, MeterProvider metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(tracing);
            GC.KeepAlive(metrics);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
