using AstraTrade.Application.Ports;
using AstraTrade.Application.Trading;
using AstraTrade.Infrastructure.Exchange.Practice;
using AstraTrade.Infrastructure.Queues.AzureStorage;
using AstraTrade.Orchestrations.Trading;
using AstraTrade.Infrastructure.Storage.Cosmos;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Orchestrations.Tournaments;
using AstraTrade.Orchestrations.Chain;
using Microsoft.Extensions.Options;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// The workflow runtime inside the function app (ARCHITECTURE.md §5): one registry of the app's workflows and
/// activities, one host on the store and the work queue, started before the triggers and stopped after them. In
/// standalone mode the queue is in-process; the runtime rebuilds its work from the store on start, so nothing is lost
/// with it.
/// </summary>
public static class Workflows
{
    public const string Section = "Workflows";

    public static IServiceCollection AddWorkflows(this IServiceCollection services, IConfiguration config)
    {
        // The embedded store is locked to one process, so no other host writes instances: the index needs no feed
        // after start-up. On Cosmos DB other instances do, so it keeps following (configuration can still decide).
        var shared = CosmosStoreOptions.FromConfiguration(config) is not null;
        services.Configure<WorkflowHostOptions>(o => o.FollowFeed = shared);

        // Under the Functions host, its queueTrigger receives the work queue and invokes us (Hosting/Invocations).
        var hosted = Hosting.AppHosting.UnderFunctionsHost(config);
        services.Configure<WorkflowHostOptions>(o => o.ReceiveFromQueue = !hosted);
        services.Configure<WorkflowHostOptions>(config.GetSection(Section));
        // With a storage connection (AzureWebJobsStorage, as a connection string or identity-based), the Azure Storage queue.
        services.AddSingleton<IWorkQueue>(sp => (IWorkQueue?)AzureWebJobsStorage.TryCreateQueue(
                key => config[key], Hosting.AppFunctions.WorkflowQueue,
                config.GetSection(AzureStorageQueueOptions.Section).Get<AzureStorageQueueOptions>(), sp.GetRequiredService<ILoggerFactory>())
            ?? new InProcessWorkQueue(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(Registry);
        services.AddSingleton(sp => new WorkflowHost(
            sp.GetRequiredService<WorkflowRegistry>(),
            sp.GetRequiredService<IEventStore>(),
            sp.GetRequiredService<IEventFeed>(),
            sp.GetRequiredService<IDocumentStore>(),
            sp.GetRequiredService<IWorkQueue>(),
            sp.GetRequiredService<IOptions<WorkflowHostOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => sp.GetRequiredService<WorkflowHost>().Client);
        services.AddHostedService<WorkflowHostService>();
        return services;
    }

    /// <summary>Every workflow the app runs, with the activities they call.</summary>
    private static WorkflowRegistry Registry(IServiceProvider services) => new WorkflowRegistry()
        .AddTradeLifecycle(
            services.GetRequiredService<OrderDesk>(),
            services.GetRequiredService<IExchange>(),
            new TradeWatchHooks(services.GetRequiredService<PracticeOrderBook>().Rearm, services.GetRequiredService<OpenPositionsIndex>().Rearm))
        .AddTournamentWorkflows(services.GetRequiredService<TournamentActivities>())
        .AddChainWrites(services.GetRequiredService<ChainWorkflows>());

    /// <summary>Runs the host for the app's lifetime.</summary>
    private sealed class WorkflowHostService(WorkflowHost host) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync(cancellationToken);
    }
}
