namespace AstraTrade.Functions.Hosting;

/// <summary>
/// Every function of the app, in one list: read this to see what the Functions host runs. The function.json files are
/// generated from it (<see cref="FunctionJsonWriter"/>, <c>scripts/publish-functions.sh</c>); standalone mode
/// (Platform/StandaloneTriggers.cs) reads its schedules from here too. docs/functions.md explains the choices.
/// </summary>
public static class AppFunctions
{
    public const string FundingTimer = "timer-funding";

    public const string TournamentSchedulerTimer = "timer-tournament-scheduler";

    public const string LiveReconcileTimer = "timer-live-reconcile";

    /// <summary>Funding is charged at the top of every hour.</summary>
    public const string FundingSchedule = "0 0 * * * *";

    /// <summary>Daily and weekly tournaments are created 48 h ahead; hourly (and, standalone, once at start) keeps that true.</summary>
    public const string TournamentSchedulerSchedule = "0 5 * * * *";

    /// <summary>Live positions are compared with Extended's every minute (at :30, away from the top of the hour).</summary>
    public const string LiveReconcileSchedule = "30 * * * * *";

    /// <summary>The app setting with the Cosmos DB connection (the Cosmos adapter arrives with the Azure issue).</summary>
    public const string CosmosConnection = "CosmosDb";

    public const string CosmosDatabase = "astratrade";

    /// <summary>The container holding the event streams, whose change feed is the event feed.</summary>
    public const string EventsContainer = "events";

    /// <summary>The lease container every feed function shares, each under its own prefix.</summary>
    public const string LeaseContainer = "leases";

    /// <summary>The workflow runtime's work queue (work items and durable timers, ARCHITECTURE.md §5).</summary>
    public const string WorkflowQueue = "workflow-work";

    /// <summary>The storage account the host itself uses; the workflow queue lives there.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>HTTP route groups, one or a few per area; together they cover every route MapAstraTrade maps.</summary>
    public static readonly IReadOnlyList<HttpFunction> Http =
    [
        new("http-auth", "api/v1/auth/{*path}", "post"),
        new("http-me", "api/v1/me", "get"),
        new("http-admin-users", "api/v1/admin/users/{*path}", "get", "post", "put"),
        new("http-markets", "api/v1/markets/{*path}", "get"),
        new("http-accounts", "api/v1/accounts/{*path}", "get", "post", "put", "delete"),
        new("http-orders", "api/v1/orders/{*path}", "get", "post", "delete"),
        new("http-positions", "api/v1/positions/{*path}", "get", "post", "patch"),
        new("http-trades", "api/v1/trades", "get"),
        new("http-progression", "api/v1/progression", "get"),
        new("http-check-in", "api/v1/check-in", "post"),
        new("http-leaderboards", "api/v1/leaderboards/{*path}", "get"),
        new("http-live", "api/v1/stream", "get"),
        new("http-tournaments", "api/v1/tournaments/{*path}", "get", "post"),
        new("http-workflows", "api/v1/workflows/{*path}", "get", "post", "delete"),
        new("http-integration-events", "api/v1/integration-events/{*path}", "post", "options"),
        new("http-nfts", "api/v1/nfts/{*path}", "get"),
        new("http-api-health", "api/v1/health", "get"),
        new("http-health", "health", "get"),
        new("http-openapi", "openapi/{*path}", "get"),
    ];

    public static readonly IReadOnlyList<TimerFunction> Timers =
    [
        new(FundingTimer, FundingSchedule),
        new(TournamentSchedulerTimer, TournamentSchedulerSchedule),
        new(LiveReconcileTimer, LiveReconcileSchedule),
    ];

    /// <summary>One change-feed consumer per durable feed subscription: the host's leases give each event to one
    /// instance of the app. The in-memory projections are not functions: every instance needs all of the feed, so each
    /// reads it itself (Platform/FeedSubscriptions.cs).</summary>
    public static readonly IReadOnlyList<CosmosFeedFunction> Feeds =
        [.. Platform.FeedSubscriptions.Table.Where(s => s.Durable).Select(s => new CosmosFeedFunction("feed-" + s.Name, s.Name))];

    public static readonly IReadOnlyList<QueueFunction> Queues =
    [
        new("queue-workflow-work", WorkflowQueue, StorageConnection),
    ];

    /// <summary>One eventGridTrigger per integration-event consumer subscription (Integration/IntegrationConsumers.cs);
    /// none while that table is empty.</summary>
    public static readonly IReadOnlyList<EventGridFunction> EventGrid =
        [.. Integration.IntegrationConsumers.Table.Select(s => new EventGridFunction(Integration.IntegrationConsumers.FunctionName(s.Name)))];

    /// <summary>Every function, in the order above.</summary>
    public static readonly IReadOnlyList<FunctionDeclaration> All = [.. Http, .. Timers, .. Feeds, .. Queues, .. EventGrid];
}
