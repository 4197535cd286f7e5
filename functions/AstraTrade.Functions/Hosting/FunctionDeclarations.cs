using System.Text.Json.Nodes;

namespace AstraTrade.Functions.Hosting;

/// <summary>
/// One Azure Functions function of this custom handler (ARCHITECTURE.md §2), declared in code. The host learns about it
/// from <c>&lt;FunctionName&gt;/function.json</c>, which <see cref="FunctionJsonWriter"/> generates from this declaration;
/// nobody writes those files by hand. Every declaration the app has is in <see cref="AppFunctions.All"/>.
/// </summary>
public abstract record FunctionDeclaration
{
    protected FunctionDeclaration(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid Azure Functions name: letters, digits, '-' and '_', starting with a letter, at most 127 characters.", nameof(name));
        }

        Name = name;
    }

    /// <summary>The function's name: its folder in the deployment, and the path non-HTTP invocations are posted to.</summary>
    public string Name { get; }

    /// <summary>The <c>bindings</c> array of its function.json, in the host's property names.</summary>
    public abstract IReadOnlyList<JsonObject> Bindings();

    /// <summary>Letters, digits, '-' and '_', starting with a letter, at most 127 characters.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 127
        && char.IsAsciiLetter(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>
/// A group of HTTP routes. With <c>enableForwardingHttpRequest</c> (host.json) the host forwards the request unchanged
/// to the same path on this process, where ASP.NET Core routing and our own bearer auth handle it; so the function is
/// anonymous and its route usually ends in a <c>{*path}</c> catch-all covering one area of the API.
/// </summary>
public sealed record HttpFunction : FunctionDeclaration
{
    public HttpFunction(string name, string route, params string[] methods)
        : base(name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(route);
        if (route.StartsWith('/'))
        {
            throw new ArgumentException("A function route has no leading '/' (host.json sets routePrefix \"\").", nameof(route));
        }

        if (methods.Length == 0)
        {
            throw new ArgumentException("An HTTP function names its methods.", nameof(methods));
        }

        Route = route;
        Methods = [.. methods.Select(m => m.ToLowerInvariant())];
    }

    /// <summary>The route template, relative to the empty route prefix, e.g. <c>api/v1/markets/{*path}</c>.</summary>
    public string Route { get; }

    /// <summary>Lower-case HTTP methods.</summary>
    public IReadOnlyList<string> Methods { get; }

    /// <summary>Always anonymous: the app authenticates bearer tokens itself.</summary>
    public string AuthLevel => "anonymous";

    public override IReadOnlyList<JsonObject> Bindings() =>
    [
        new()
        {
            ["type"] = "httpTrigger",
            ["direction"] = "in",
            ["name"] = "req",
            ["authLevel"] = AuthLevel,
            ["methods"] = new JsonArray([.. Methods.Select(m => JsonValue.Create(m))]),
            ["route"] = Route,
        },
        new()
        {
            ["type"] = "http",
            ["direction"] = "out",
            ["name"] = "res",
        },
    ];
}

/// <summary>A timer on a six-field NCRONTAB schedule ({second} {minute} {hour} {day} {month} {day-of-week}), UTC.</summary>
public sealed record TimerFunction : FunctionDeclaration
{
    /// <summary>The trigger binding's name: the key of its value in an invocation's <c>Data</c>.</summary>
    public const string BindingName = "timer";

    public TimerFunction(string name, string schedule)
        : base(name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schedule);
        Schedule = schedule;
    }

    public string Schedule { get; }

    public override IReadOnlyList<JsonObject> Bindings() =>
    [
        new()
        {
            ["type"] = "timerTrigger",
            ["direction"] = "in",
            ["name"] = BindingName,
            ["schedule"] = Schedule,
            ["runOnStartup"] = false,
            ["useMonitor"] = true,
        },
    ];
}

/// <summary>
/// One consumer of the event feed: in Azure, the Cosmos DB change feed of the events container (cosmosDBTrigger,
/// Cosmos DB extension v4 as in extension bundle 4.x). Each subscription keeps its own leases in the shared lease
/// container, told apart by <see cref="LeaseContainerPrefix"/> (the subscription's name).
/// </summary>
public sealed record CosmosFeedFunction : FunctionDeclaration
{
    /// <summary>The trigger binding's name: the key of its value in an invocation's <c>Data</c>.</summary>
    public const string BindingName = "documents";

    public CosmosFeedFunction(string name, string subscription)
        : base(name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscription);
        Subscription = subscription;
    }

    /// <summary>The feed subscription's name (Platform/FeedSubscriptions.cs).</summary>
    public string Subscription { get; }

    /// <summary>The app setting holding the Cosmos DB connection.</summary>
    public string Connection { get; init; } = AppFunctions.CosmosConnection;

    public string DatabaseName { get; init; } = AppFunctions.CosmosDatabase;

    public string ContainerName { get; init; } = AppFunctions.EventsContainer;

    public string LeaseContainerName { get; init; } = AppFunctions.LeaseContainer;

    public string LeaseContainerPrefix => Subscription;

    /// <summary>False: the lease container is provisioned with the infrastructure, not by the first function to start.</summary>
    public bool CreateLeaseContainerIfNotExists => false;

    /// <summary>True: a new subscription (no leases yet) reads the feed from its start, as it does standalone.</summary>
    public bool StartFromBeginning => true;

    public override IReadOnlyList<JsonObject> Bindings() =>
    [
        new()
        {
            ["type"] = "cosmosDBTrigger",
            ["direction"] = "in",
            ["name"] = BindingName,
            ["connection"] = Connection,
            ["databaseName"] = DatabaseName,
            ["containerName"] = ContainerName,
            ["leaseContainerName"] = LeaseContainerName,
            ["leaseContainerPrefix"] = LeaseContainerPrefix,
            ["createLeaseContainerIfNotExists"] = CreateLeaseContainerIfNotExists,
            ["startFromBeginning"] = StartFromBeginning,
        },
    ];
}

/// <summary>A consumer of an Azure Storage queue.</summary>
public sealed record QueueFunction : FunctionDeclaration
{
    /// <summary>The trigger binding's name: the key of its value in an invocation's <c>Data</c>.</summary>
    public const string BindingName = "message";

    public QueueFunction(string name, string queueName, string connection)
        : base(name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        QueueName = queueName;
        Connection = connection;
    }

    public string QueueName { get; }

    /// <summary>The app setting (or setting prefix) of the storage account.</summary>
    public string Connection { get; }

    public override IReadOnlyList<JsonObject> Bindings() =>
    [
        new()
        {
            ["type"] = "queueTrigger",
            ["direction"] = "in",
            ["name"] = BindingName,
            ["queueName"] = QueueName,
            ["connection"] = Connection,
        },
    ];
}

/// <summary>
/// A consumer of Event Grid events (eventGridTrigger; the subscription itself is made in Azure, pointing at the
/// function): one per integration-event consumer subscription (Integration/IntegrationConsumers.cs).
/// </summary>
public sealed record EventGridFunction : FunctionDeclaration
{
    /// <summary>The trigger binding's name: the key of its value in an invocation's <c>Data</c>.</summary>
    public const string BindingName = "event";

    public EventGridFunction(string name)
        : base(name)
    {
    }

    public override IReadOnlyList<JsonObject> Bindings() =>
    [
        new()
        {
            ["type"] = "eventGridTrigger",
            ["direction"] = "in",
            ["name"] = BindingName,
        },
    ];
}
