using AstraTrade.Application.Feed;
using AstraTrade.Application.Gamification;
using AstraTrade.Application.Leaderboards;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Tournaments;
using AstraTrade.Application.Trading;
using AstraTrade.Application.Trading.Live;
using AstraTrade.Application.Users;
using AstraTrade.Functions.Http;
using AstraTrade.Infrastructure.Exchange.Extended;
using AstraTrade.Infrastructure.Exchange.Practice;
using AstraTrade.Infrastructure.MarketData.Simulated;
using AstraTrade.Orchestrations.Trading;
using AstraTrade.Infrastructure.Storage.Cosmos;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Orchestrations.Tournaments;
using Microsoft.Extensions.Options;

namespace AstraTrade.Functions.Platform;

/// <summary>
/// The composition root: binds configuration to options and wires ports to adapters. The defaults run everything
/// embedded (a data directory, the simulated market), so the app starts with no Azure account and no Cosmos.
/// </summary>
public static class Composition
{
    public static WebApplicationBuilder AddAstraTrade(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.TryAddSingletonTimeProvider();
        services.AddTelemetry(config);
        services.Configure<EmbeddedStoreOptions>(config.GetSection("Store"));
        services.Configure<SimulatedMarketOptions>(config.GetSection("SimulatedMarket"));
        services.Configure<TradingOptions>(config.GetSection(TradingOptions.Section));
        services.Configure<GamificationOptions>(config.GetSection(GamificationOptions.Section));
        services.Configure<TournamentOptions>(config.GetSection(TournamentOptions.Section));
        services.Configure<AuthOptions>(config.GetSection(AuthOptions.Section));
        services.Configure<StarknetOptions>(config.GetSection(StarknetOptions.Section));
        var rateLimits = config.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();

        // Store: Cosmos DB when the CosmosDb setting is there (docs/cosmos.md), else the embedded store.
        if (!services.TryAddCosmosStore(config))
        {
            services.AddSingleton(sp => EmbeddedStore.Open(Value<EmbeddedStoreOptions>(sp), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<EmbeddedStore>().Events);
            services.AddSingleton<IEventFeed>(sp => sp.GetRequiredService<EmbeddedStore>().Events);
            services.AddSingleton<IDocumentStore>(sp => sp.GetRequiredService<EmbeddedStore>().Documents);
        }

        services.AddSingleton<CheckpointStore>();

        // Market data: the simulated market (a real feed implements the same port later).
        services.AddSingleton(sp => new SimulatedMarket(Value<SimulatedMarketOptions>(sp), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IMarketData>(sp => sp.GetRequiredService<SimulatedMarket>());

        // Trading.
        services.AddSingleton(sp => Value<TradingOptions>(sp).Rules);
        services.AddSingleton(sp => new MarketCatalog(Value<TradingOptions>(sp).Markets));
        services.AddSingleton<Accounts>();
        services.AddSingleton<TradingService>();
        services.AddSingleton<AccountHistory>();
        services.AddSingleton<OpenPositionsIndex>();
        services.AddSingleton<RiskEngine>();
        services.AddSingleton<OrderDesk>();
        services.AddSingleton<PracticeOrderBook>();
        // Live trading: Extended when Extended:BaseUrl is set (docs/live-trading.md); without it, live routes answer 501.
        if (!string.IsNullOrWhiteSpace(config[$"{ExtendedOptions.Section}:BaseUrl"]))
        {
            services.AddSingleton<ILiveExchange>(sp => ExtendedComposition.Create(
                config, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>())!);
        }

        services.AddSingleton<PracticeExchange>();
        services.AddSingleton<IExchange>(sp => new ExchangeRouter(sp.GetRequiredService<PracticeExchange>(), sp.GetService<ILiveExchange>()));
        services.AddSingleton<TradingAccounts>();
        services.AddSingleton<LiveAccounts>();
        services.AddSingleton<LiveReconciler>();
        services.AddSingleton<TradeDesk>();
        services.AddSingleton<TradeLifecycleReactor>();
        services.AddSingleton<Trading.TradeWatch>();

        // Gamification.
        services.AddSingleton(sp => Value<GamificationOptions>(sp).Rules);
        services.AddSingleton<ProgressionService>();
        services.AddSingleton<ProgressionReactor>();
        services.AddSingleton<ITraderProfiles, TraderProfiles>();
        services.AddSingleton<LeaderboardProjection>();

        // Tournaments.
        services.AddSingleton(sp => Value<TournamentOptions>(sp).Rules);
        services.AddSingleton<AstraTrade.Application.Tournaments.Tournaments>();
        services.AddSingleton<TournamentAccounts>();
        services.AddSingleton<TournamentService>();
        services.AddSingleton<TournamentDirectory>();
        services.AddSingleton<TournamentStandings>();
        services.AddSingleton<TournamentReactor>();
        services.AddSingleton<TournamentActivities>();
        services.AddSingleton<TournamentWorkflowReactor>();

        // Live updates.
        services.AddSingleton<AstraTrade.Application.Live.UserEventHub>();

        // Users.
        services.AddSingleton(Value<AuthOptions>);
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<RefreshTokens>();
        services.AddSingleton<AuthService>();
        services.AddSingleton<UserAdministration>();
        services.AddSingleton(Value<StarknetOptions>);
        services.AddSingleton<StarknetSignIn>();
        services.AddSingleton<IStarknetSignatures>(sp => new AstraTrade.Infrastructure.Starknet.StarknetSignatures(
            Value<StarknetOptions>(sp),
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }), // DNS changes are picked up
            sp.GetRequiredService<ILogger<AstraTrade.Infrastructure.Starknet.StarknetSignatures>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AccessTokens(
            SigningKey.Resolve(Value<AuthOptions>(sp), () => Value<EmbeddedStoreOptions>(sp).DataDirectory, sp.GetRequiredService<ILogger<AccessTokens>>()),
            Value<AuthOptions>(sp),
            sp.GetRequiredService<TimeProvider>()));

        Nft.NftComposition.AddNft(services, config); // Genesis NFTs, on-chain achievements, the operator account (Nft/NftComposition.cs)

        // Workflows: the runtime's host, started before the triggers below.
        services.AddWorkflows(config);
        Integration.IntegrationEventsRegistration.AddIntegrationEvents(services, config); // integration events: relay, consumers (docs/integration-events.md)

        // Triggers (standalone mode) and the feed consumers they run.
        services.AddSingleton<FeedSubscriptions>();
        services.AddSingleton<ScheduledJobs>();
        services.AddHostedService<StandaloneTriggers>();

        // HTTP.
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddAuthentication(BearerAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerAuthentication>(BearerAuthentication.SchemeName, null);
        services.AddAuthorization();
        services.AddApiRateLimits(rateLimits);
        services.AddOpenApi(OpenApiConventions.Configure);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
        return builder;
    }

    public static WebApplication MapAstraTrade(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();

        var api = app.MapGroup("/api/v1");
        Users.AuthEndpoints.MapAuthEndpoints(api);
        Users.AdminUserEndpoints.MapAdminUserEndpoints(api);
        Users.StarknetAuthEndpoints.MapStarknetAuthEndpoints(api);
        Trading.MarketEndpoints.MapMarketEndpoints(api);
        Trading.TradingEndpoints.MapTradingEndpoints(api);
        Trading.LiveAccountEndpoints.MapLiveAccountEndpoints(api);
        Gamification.GamificationEndpoints.MapGamificationEndpoints(api);
        Live.LiveEndpoints.MapLiveEndpoints(api);
        AstraTrade.Functions.Tournaments.TournamentEndpoints.MapTournamentEndpoints(api);
        AstraTrade.Functions.Workflows.WorkflowEndpoints.MapWorkflowEndpoints(api);
        Integration.IntegrationEventEndpoints.MapIntegrationEvents(app);
        Nft.NftEndpoints.MapNftEndpoints(api);
        app.MapHealthEndpoints();
        app.MapOpenApi();
        if (Hosting.AppHosting.UnderFunctionsHost(app.Configuration))
        {
            Hosting.Invocations.FunctionInvocationEndpoints.MapFunctionInvocations(app);
        }

        return app;
    }

    private static T Value<T>(IServiceProvider services)
        where T : class => services.GetRequiredService<IOptions<T>>().Value;

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
