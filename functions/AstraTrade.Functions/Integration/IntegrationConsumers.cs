using System.Collections.Frozen;
using AstraTrade.Application.Integration;
using AstraTrade.Functions.Hosting;

namespace AstraTrade.Functions.Integration;

/// <summary>
/// The Event Grid subscriptions this app consumes, each delivering to a set of handlers. In Azure, each row is one
/// eventGridTrigger function, <c>eventgrid-{name}</c> (Hosting/AppFunctions.cs), that an Event Grid subscription on
/// the topic points at; a deployment that uses WebHook subscriptions points them at
/// <c>POST /api/v1/integration-events/{name}</c> instead. Standalone, none of this is used: the in-process publisher
/// hands every event to every registered handler.
/// </summary>
public sealed class IntegrationConsumers
{
    /// <summary>
    /// Name (lower-case letters, digits and '-') → the <see cref="IIntegrationEventHandler"/> types it delivers to,
    /// each registered in DI as an IIntegrationEventHandler.
    /// </summary>
    public static readonly IReadOnlyList<(string Name, Type[] Handlers)> Table =
    [
        ("nft-achievements", [typeof(AstraTrade.Orchestrations.Nft.AchievementUnlockedHandler)]),
    ];

    public const string FunctionPrefix = "eventgrid-";

    private readonly FrozenDictionary<string, IntegrationEventConsumer> _consumers;

    /// <exception cref="InvalidOperationException">A row has a bad name, repeats one, or names a handler that is not registered.</exception>
    public IntegrationConsumers(
        IReadOnlyList<(string Name, Type[] Handlers)> table,
        IEnumerable<IIntegrationEventHandler> handlers,
        IntegrationDeliveryLog deliveries,
        ILogger<IntegrationEventConsumer> logger)
    {
        var registered = handlers.ToList();
        var consumers = new Dictionary<string, IntegrationEventConsumer>(StringComparer.Ordinal);
        foreach (var (name, types) in table)
        {
            if (!IsValidName(name))
            {
                throw new InvalidOperationException($"Integration subscription '{name}': a name is 1-60 lower-case letters, digits and '-', starting with a letter.");
            }

            var selected = new List<IIntegrationEventHandler>();
            foreach (var type in types)
            {
                selected.Add(registered.FirstOrDefault(h => h.GetType() == type)
                    ?? throw new InvalidOperationException($"Integration subscription '{name}' names {type.FullName}, which is not registered as an {nameof(IIntegrationEventHandler)}."));
            }

            if (!consumers.TryAdd(name, new IntegrationEventConsumer(selected, deliveries, logger)))
            {
                throw new InvalidOperationException($"Integration subscription '{name}' is listed twice.");
            }
        }

        _consumers = consumers.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> Names => _consumers.Keys;

    /// <summary>The eventGridTrigger function of a subscription.</summary>
    public static string FunctionName(string subscription) => FunctionPrefix + subscription;

    public bool TryGet(string name, out IntegrationEventConsumer consumer) => _consumers.TryGetValue(name, out consumer!);

    private static bool IsValidName(string name) =>
        name is { Length: > 0 and <= 60 }
        && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && FunctionDeclaration.IsValidName(FunctionName(name));
}
