using AstraTrade.Application.Integration;
using AstraTrade.Application.Nft;
using AstraTrade.Application.Nft.Chain;
using AstraTrade.Application.Ports;
using AstraTrade.Application.Users;
using AstraTrade.Infrastructure.Starknet.Operator;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Nft;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Starknet.Rpc;
using Microsoft.Extensions.Options;

namespace AstraTrade.Functions.Nft;

/// <summary>
/// The NFT context's wiring (docs/nft.md): Genesis mint requests and their reads, the operator account, the chain-write
/// and mint workflows' activities, the achievement-unlocked handler, and the start-up wake-up of writes that waited for
/// Starknet configuration. Without configuration everything is registered all the same: writes and mints wait, and say why.
/// </summary>
public static class NftComposition
{
    /// <summary>Where contract addresses are configured: <c>Starknet:Contracts:Achievements</c>, <c>…:Genesis</c>.</summary>
    public const string ContractsSection = "Starknet:Contracts";

    public static IServiceCollection AddNft(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<NftOptions>(config.GetSection(NftOptions.Section));
        services.Configure<OperatorOptions>(config.GetSection(OperatorOptions.Section));
        var contracts = config.GetSection(ContractsSection).Get<Dictionary<string, string>>() ?? [];

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<NftOptions>>().Value);
        services.AddSingleton<GenesisMints>();
        services.AddSingleton<MintRecipients>();
        services.AddSingleton<NftQueries>();
        services.AddSingleton<IOperatorAccount>(sp =>
        {
            var starknet = sp.GetRequiredService<IOptions<StarknetOptions>>().Value;
            var rpc = string.IsNullOrWhiteSpace(starknet.RpcUrl)
                ? null
                : new StarknetRpcClient(
                    new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }), // DNS changes are picked up
                    new Uri(starknet.RpcUrl, UriKind.Absolute));
            return new OperatorAccount(
                sp.GetRequiredService<IOptions<OperatorOptions>>().Value,
                contracts,
                starknet.ChainId,
                rpc,
                sp.GetRequiredService<IDocumentStore>(),
                sp.GetRequiredService<ILogger<OperatorAccount>>());
        });

        services.AddSingleton<OnChainAchievements>();
        services.AddSingleton<GenesisMintQueue>();
        services.AddSingleton<AchievementUnlockedHandler>();
        services.AddSingleton<IIntegrationEventHandler>(sp => sp.GetRequiredService<AchievementUnlockedHandler>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<NftOptions>();
            var account = sp.GetRequiredService<IOperatorAccount>();
            Func<WorkflowClient> workflows = sp.GetRequiredService<WorkflowClient>; // resolved when called: the host is built from these
            return new ChainWorkflows(
                new ChainWriteActivities(account, workflows),
                new GenesisMintActivities(sp.GetRequiredService<GenesisMints>(), sp.GetRequiredService<MintRecipients>(), account, workflows),
                ChainWriteTimings.Default,
                GenesisMintTimings.Default with { RetryDelay = options.RetryDelay, RecheckInterval = options.RecheckInterval });
        });
        services.AddSingleton<ChainRecheck>();
        services.AddHostedService<ChainRecheckOnStart>();
        return services;
    }

    /// <summary>Runs once every hosted service has started (the workflow host among them).</summary>
    private sealed class ChainRecheckOnStart(ChainRecheck recheck, ILogger<ChainRecheckOnStart> logger) : IHostedLifecycleService
    {
        public async Task StartedAsync(CancellationToken cancellationToken)
        {
            var woken = await recheck.WakeWaitingAsync(cancellationToken);
            if (woken > 0)
            {
                logger.LogInformation("Woke {Count} chain writes and Genesis mints that were waiting", woken);
            }
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
