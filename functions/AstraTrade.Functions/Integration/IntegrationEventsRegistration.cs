using AstraTrade.Application.Integration;
using AstraTrade.Infrastructure.EventGrid;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AstraTrade.Functions.Integration;

public static class IntegrationEventsRegistration
{
    /// <summary>
    /// Integration events (ARCHITECTURE.md §4): the relay (a durable feed subscription, Platform/FeedSubscriptions.cs)
    /// publishes to the Event Grid topic when <c>EventGrid:TopicEndpoint</c> is configured, else straight to this
    /// process's consumer (standalone); the consumers of the Event Grid subscriptions (<see cref="IntegrationConsumers"/>).
    /// Handlers register themselves as <see cref="IIntegrationEventHandler"/>.
    /// </summary>
    public static IServiceCollection AddIntegrationEvents(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<EventGridOptions>(config.GetSection(EventGridOptions.Section));
        services.TryAddSingleton(new IntegrationRelayOptions());
        services.AddSingleton<IntegrationDeliveryLog>();

        // Standalone, every handler consumes through this one consumer.
        services.AddSingleton(sp => new IntegrationEventConsumer(
            sp.GetServices<IIntegrationEventHandler>(), sp.GetRequiredService<IntegrationDeliveryLog>(), sp.GetRequiredService<ILogger<IntegrationEventConsumer>>()));
        services.AddSingleton<IIntegrationEventPublisher>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EventGridOptions>>().Value;
            return options.PublishesToEventGrid
                ? new EventGridIntegrationPublisher(EventGridIntegrationPublisher.CreateClient(options))
                : new InProcessIntegrationEventPublisher(sp.GetRequiredService<IntegrationEventConsumer>());
        });
        services.AddSingleton<IntegrationEventRelay>();
        services.AddSingleton(sp => new IntegrationConsumers(
            IntegrationConsumers.Table,
            sp.GetServices<IIntegrationEventHandler>(),
            sp.GetRequiredService<IntegrationDeliveryLog>(),
            sp.GetRequiredService<ILogger<IntegrationEventConsumer>>()));
        return services;
    }
}
