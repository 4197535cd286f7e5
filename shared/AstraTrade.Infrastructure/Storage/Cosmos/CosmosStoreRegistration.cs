using AstraTrade.Application.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Infrastructure.Storage.Cosmos;

public static class CosmosStoreRegistration
{
    /// <summary>
    /// When a Cosmos DB connection is configured (<see cref="CosmosStoreOptions.FromConfiguration"/>), registers the
    /// <see cref="CosmosStore"/> and the store ports on it, and returns true; otherwise registers nothing and returns false,
    /// so the caller registers the embedded store instead.
    /// </summary>
    /// <exception cref="ArgumentException">A Cosmos DB setting is present but invalid; the message names it.</exception>
    public static bool TryAddCosmosStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (CosmosStoreOptions.FromConfiguration(configuration) is not { } options)
        {
            return false;
        }

        services.AddSingleton(options);
        services.AddSingleton(sp => CosmosStore.Create(options, sp.GetService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<CosmosStore>().Events);
        services.AddSingleton<IEventFeed>(sp => sp.GetRequiredService<CosmosStore>().Events);
        services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<CosmosStore>().Documents);
        return true;
    }
}
