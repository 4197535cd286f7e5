using AstraTrade.Application.Eventing;
using AstraTrade.Application.Integration;
using AstraTrade.Application.Ports;
using AstraTrade.Contracts.Events;
using AstraTrade.Domain.Gamification;
using AstraTrade.Starknet;
using AstraTrade.Testing;

namespace AstraTrade.Functions.FunctionalTests.Nft;

/// <summary>An app on a manual clock and a scripted market whose Starknet settings point at a <see cref="FakeStarknetChain"/>:
/// operator account, contracts, and a node that verifies wallet signatures for linking.</summary>
public sealed class NftFixture : AppFixture, IDisposable
{
    public NftFixture() => Chain = FakeStarknetChain.StartAsync().GetAwaiter().GetResult();

    public FakeStarknetChain Chain { get; }

    protected override AppOptions Options => new() { ScriptedMarket = true, Clock = new ManualTimeProvider(), Settings = Chain.Settings };

    public void Dispose() => Chain.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>The same app without any Starknet setting, as it starts on a developer machine.</summary>
public sealed class UnconfiguredNftFixture : AppFixture
{
    protected override AppOptions Options => new() { ScriptedMarket = true, Clock = new ManualTimeProvider() };
}

/// <summary>What the NFT tests do through the real app: unlock FIRST_TRADE by trading, deliver the unlock as the
/// integration-event relay will, link a wallet, and move the manual clock while chain writes poll.</summary>
internal static class NftDriver
{
    /// <summary>A qualifying close: FIRST_TRADE unlocks through the feed.</summary>
    public static async Task UnlockFirstTradeAsync(AstraTradeApp app, TestUser user)
    {
        var placed = await user.OpenAsync(Markets.Btc, "long", 2, 10m);
        app.Clock!.Advance(AstraTradeApp.MinimumHold);
        app.Scripted.Refresh();
        await user.ClosePositionAsync(placed.Position!.Id);
        await user.ProgressionWhenAsync(p => p.Achievements.Any(a => a.Id == "FIRST_TRADE"), "FIRST_TRADE");
    }

    /// <summary>
    /// Delivers every achievement the user unlocked again, as a redelivery would: each stored unlock mapped exactly as the
    /// relay maps it (same event id), handed to every handler the app registers for that type. The relay has already
    /// delivered them once; handlers must not mint or record twice.
    /// </summary>
    public static async Task DeliverUnlocksAsync(AstraTradeApp app, Guid userId)
    {
        var store = app.Services.GetRequiredService<IEventStore>();
        var handlers = app.Services.GetServices<IIntegrationEventHandler>().Where(h => h.EventTypes.Contains(IntegrationEventTypes.AchievementUnlocked)).ToList();
        Assert.NotEmpty(handlers);
        foreach (var recorded in await store.ReadStreamAsync(StreamIds.Progression(userId), 1, 1000))
        {
            if (IntegrationEventMapper.Map(recorded) is { Type: IntegrationEventTypes.AchievementUnlocked } integrationEvent)
            {
                foreach (var handler in handlers)
                {
                    await handler.HandleAsync(integrationEvent, default);
                }
            }
        }
    }

    /// <summary>Links a new wallet over HTTP (sign in with Starknet; the node checks the signature); the link endpoint's
    /// <see cref="Functions.Nft.WalletLinkedFilter"/> makes it the mint recipient (docs/nft.md, "Wallets").</summary>
    public static async Task<Wallet> LinkWalletAsync(AstraTradeApp app, FakeStarknetChain chain, TestUser user)
    {
        var wallet = Wallet.Random();
        chain.Wallets[wallet.Address] = wallet.Signer.StarkKey;
        using var anonymous = app.Anonymous();
        var challenge = await Api.ReadAsync<StarknetChallengeResponse>(await anonymous.PostAsJsonAsync("/api/v1/auth/starknet/challenge", new { address = wallet.Hex }));
        var hash = TypedData.FromJson(challenge.TypedData).GetMessageHash(wallet.Address);
        var signature = wallet.Signer.Sign(hash);
        var request = new StarknetVerifyRequest(wallet.Hex, challenge.Nonce, [signature.R.ToHexString(), signature.S.ToHexString()]);
        await Api.ReadAsync<StarknetWalletResponse>(await user.Http.PostAsJsonAsync("/api/v1/auth/starknet/link", request, Api.Json));
        return wallet;
    }

    /// <summary>The filter around an endpoint that answered <paramref name="answer"/> to <paramref name="request"/>.</summary>
    public static async Task RunWalletFilterAsync(AstraTradeApp app, StarknetVerifyRequest request, IResult answer)
    {
        var filter = ActivatorUtilities.CreateInstance<Functions.Nft.WalletLinkedFilter>(app.Services);
        var context = new DefaultEndpointFilterInvocationContext(new DefaultHttpContext { RequestServices = app.Services }, request);
        Assert.Same(answer, await filter.InvokeAsync(context, _ => ValueTask.FromResult<object?>(answer)));
    }

    /// <summary>Moves the manual clock a second at a time until <paramref name="condition"/> holds.</summary>
    public static async Task AdvanceUntilAsync(AstraTradeApp app, Func<bool> condition, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            app.Clock!.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }

    public static async Task<NftListResponse> ListAsync(TestUser user) =>
        await Api.ReadAsync<NftListResponse>(await user.Http.GetAsync("/api/v1/nfts"));

    /// <summary>Moves the manual clock a second at a time (the chain writes poll on durable timers) until the NFT is as
    /// wanted.</summary>
    public static async Task<NftResponse> AdvanceUntilAsync(AstraTradeApp app, TestUser user, string id, Func<NftResponse, bool> done, string what)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            var response = await user.Http.GetAsync($"/api/v1/nfts/{id}");
            if (response.StatusCode == HttpStatusCode.OK && await Api.ReadAsync<NftResponse>(response) is var nft && done(nft))
            {
                return nft;
            }

            if (TimeProvider.System.GetElapsedTime(started) > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"Timed out waiting for NFT {id}: {what}; last seen {await response.Content.ReadAsStringAsync()}");
            }

            app.Clock!.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }
}
