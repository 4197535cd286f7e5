namespace AstraTrade.Functions.Hosting;

/// <summary>
/// Who runs the triggers (ARCHITECTURE.md §2). <see cref="Standalone"/>: this process runs its own cron timers, feed
/// subscriptions and workflow queue worker. <see cref="FunctionsHost"/>: the Azure Functions host runs the timers, the
/// Cosmos DB change-feed leases, the queue and Event Grid, and invokes this process as a custom handler
/// (<c>POST /{functionName}</c>, Hosting/Invocations); the process keeps only what the host cannot run for it.
/// </summary>
public enum HostingMode
{
    Standalone,
    FunctionsHost,
}

public static class AppHosting
{
    /// <summary>Overrides the detection below (tests run the app in either mode).</summary>
    public const string ModeSetting = "Hosting:Mode";

    /// <summary>The port the Functions host gives a custom handler; only set under the host.</summary>
    public const string CustomHandlerPortSetting = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static bool UnderFunctionsHost(IConfiguration configuration) => Mode(configuration) == HostingMode.FunctionsHost;

    public static HostingMode Mode(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[ModeSetting] is { Length: > 0 } explicitMode)
        {
            return Enum.TryParse<HostingMode>(explicitMode, ignoreCase: true, out var mode)
                ? mode
                : throw new InvalidOperationException(
                    $"{ModeSetting} is '{explicitMode}'; use {HostingMode.Standalone} or {HostingMode.FunctionsHost}.");
        }

        return string.IsNullOrEmpty(configuration[CustomHandlerPortSetting]) ? HostingMode.Standalone : HostingMode.FunctionsHost;
    }
}
