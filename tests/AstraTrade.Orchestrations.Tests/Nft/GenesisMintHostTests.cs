using System.Numerics;
using System.Text.Json;
using AstraTrade.Application.Eventing;
using AstraTrade.Application.Integration;
using AstraTrade.Contracts.Events;
using AstraTrade.Domain.Nft;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Nft;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Orchestrations.Tests.Chain;
using AstraTrade.Starknet;

namespace AstraTrade.Orchestrations.Tests.Nft;

/// <summary>
/// The NFT context's reaction to unlocked achievements, end to end on the workflow host with the real operator account and
/// an in-test node: the achievement recorded on chain, the Genesis mint requested, held while there is no wallet or no
/// configuration, minted to the wallet, retried after a failed attempt, failed after the last (DOMAIN.md §6).
/// </summary>
public sealed class GenesisMintHostTests : IAsyncLifetime
{
    private static readonly Guid Vega = Guid.Parse("5e9a0000-0000-4000-8000-0000000000a1");
    private static readonly Felt Wallet = Felt.Parse("0x0777beef");
    private ChainTestHost _host = null!;

    private FakeChainNode Node => _host.Node;

    public async Task InitializeAsync() => _host = await ChainTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_unlock_records_the_achievement_and_holds_the_mint_until_a_wallet_is_linked_then_mints_to_it()
    {
        await _host.Handler.HandleAsync(Unlocked(Vega, "FIRST_TRADE"), default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Vega, "FIRST_TRADE")]);
        await _host.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ChainWriteResult.Accepted, (await _host.OutcomeAsync(OnChainAchievements.InstanceId(Vega, "FIRST_TRADE"))).Result);
        var waiting = await _host.Mints.GetAsync(Vega, "FIRST_TRADE", default);
        Assert.Equal((GenesisMintStatus.Pending, GenesisMintReasons.AwaitingWallet, 0), (waiting.Status, waiting.Reason, waiting.Attempts));
        Assert.Single(Node.Received); // the achievement only

        await _host.MintQueue.WalletLinkedAsync(Vega, "0x" + Wallet.ToHexString()[2..].PadLeft(64, '0'), default);
        var mint = GenesisMintWorkflow.InstanceId(Vega, "FIRST_TRADE");
        await _host.RunUntilFinishedAsync([mint]);

        var minted = await _host.Mints.GetAsync(Vega, "FIRST_TRADE", default);
        Assert.Equal((GenesisMintStatus.Minted, 1, Wallet.ToHexString()), (minted.Status, minted.Attempts, minted.Recipient));
        var tokenId = BigInteger.Parse(minted.TokenId, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(GenesisTokenId.Of(Vega, GenesisCollection.Find("FIRST_TRADE")!), tokenId);
        Assert.Equal(Wallet, Node.Owners[tokenId]);
        var mintTx = Node.Transactions.Values.Single(t => t.Calldata.Contains(FakeChainNode.Mint));
        Assert.Equal((mintTx.Hash.ToHexString(), mintTx.Block), (minted.TransactionHash, minted.BlockNumber));

        Assert.Equal(
            ["nft.genesis-mint-requested.v1", "nft.genesis-mint-waiting.v1", "nft.genesis-mint-attempt-started.v1", "nft.genesis-mint-transaction-sent.v1", "nft.genesis-minted.v1"],
            (await _host.Store.Events.ReadStreamAsync(StreamIds.GenesisMint(Vega, "FIRST_TRADE"), 1, 100)).Select(e => e.Type));
        var status = await _host.StatusAsync(mint);
        Assert.Equal("minted", status.Output!.Value.GetProperty("status").GetString());
        Assert.Equal(Vega.ToString(), status.Owner);
    }

    [Fact]
    public async Task An_unlock_delivered_again_queues_nothing_twice()
    {
        await _host.MintQueue.WalletLinkedAsync(Vega, Wallet.ToHexString(), default);
        var unlocked = Unlocked(Vega, "LEVEL_10");

        await _host.Handler.HandleAsync(unlocked, default);
        await _host.Handler.HandleAsync(unlocked, default);
        await _host.RunUntilFinishedAsync([GenesisMintWorkflow.InstanceId(Vega, "LEVEL_10"), OnChainAchievements.InstanceId(Vega, "LEVEL_10")]);
        await _host.Handler.HandleAsync(unlocked, default);
        await _host.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Single(await _host.Store.Events.ReadStreamAsync(StreamIds.GenesisMint(Vega, "LEVEL_10"), 1, 100), e => e.Type == "nft.genesis-mint-requested.v1");
        Assert.Equal(2, Node.Received.Count); // one record_achievement, one mint
        Assert.Single(Node.Owners);
        Assert.Single(Node.Recorded);
    }

    [Fact]
    public async Task An_achievement_without_a_genesis_nft_is_only_recorded()
    {
        await _host.Handler.HandleAsync(Unlocked(Vega, "TRADER_NOVICE"), default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Vega, "TRADER_NOVICE")]);

        Assert.False((await _host.Mints.GetAsync(Vega, "TRADER_NOVICE", default)).IsRequested);
        Assert.Null(await _host.Client.GetStatusAsync(GenesisMintWorkflow.InstanceId(Vega, "TRADER_NOVICE")));
        Assert.Single(Node.Recorded);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_after_the_delay_and_the_next_one_mints()
    {
        await _host.MintQueue.WalletLinkedAsync(Vega, Wallet.ToHexString(), default);
        Node.RevertMints.Enqueue("Out of gas");
        await _host.Handler.HandleAsync(Unlocked(Vega, "LEVEL_25"), default);
        var mint = GenesisMintWorkflow.InstanceId(Vega, "LEVEL_25");
        await _host.RunUntilFinishedAsync([GenesisMintWorkflow.ChainWriteId(Vega, "LEVEL_25", 1)]);
        await _host.AdvanceAsync(TimeSpan.FromSeconds(5));

        var retrying = await _host.Mints.GetAsync(Vega, "LEVEL_25", default);
        Assert.Equal((GenesisMintStatus.Pending, GenesisMintReasons.Retrying, 1), (retrying.Status, retrying.Reason, retrying.Attempts));
        Assert.Contains("Out of gas", retrying.Detail, StringComparison.Ordinal);

        await _host.RunUntilFinishedAsync([mint]);

        var minted = await _host.Mints.GetAsync(Vega, "LEVEL_25", default);
        Assert.Equal((GenesisMintStatus.Minted, 2), (minted.Status, minted.Attempts));
        Assert.Equal(ChainWriteResult.Reverted, (await _host.OutcomeAsync(GenesisMintWorkflow.ChainWriteId(Vega, "LEVEL_25", 1))).Result);
        Assert.Equal(ChainWriteResult.Accepted, (await _host.OutcomeAsync(GenesisMintWorkflow.ChainWriteId(Vega, "LEVEL_25", 2))).Result);
    }

    [Fact]
    public async Task After_the_last_failed_attempt_the_mint_fails_for_good()
    {
        await _host.MintQueue.WalletLinkedAsync(Vega, Wallet.ToHexString(), default);
        Node.RevertMints.Enqueue("Out of gas");
        Node.RevertMints.Enqueue("Out of gas again");
        await _host.Handler.HandleAsync(Unlocked(Vega, "LEVEL_50"), default);
        var mint = GenesisMintWorkflow.InstanceId(Vega, "LEVEL_50");
        await _host.RunUntilFinishedAsync([mint]);

        var failed = await _host.Mints.GetAsync(Vega, "LEVEL_50", default);
        Assert.Equal((GenesisMintStatus.Failed, GenesisMintReasons.AttemptsExhausted, 2), (failed.Status, failed.Reason, failed.Attempts));
        Assert.Contains("Out of gas again", failed.Detail, StringComparison.Ordinal);
        var status = await _host.StatusAsync(mint);
        Assert.Equal(WorkflowRuntimeStatus.Completed, status.RuntimeStatus);
        Assert.Equal("failed", status.Output!.Value.GetProperty("status").GetString());
        Assert.Empty(Node.Owners);
    }

    [Fact]
    public async Task Without_starknet_configured_requests_stay_pending_and_an_app_start_with_it_wakes_them()
    {
        await _host.RestartAsync(configured: false);
        await _host.MintQueue.WalletLinkedAsync(Vega, Wallet.ToHexString(), default);
        await _host.Handler.HandleAsync(Unlocked(Vega, "TOURNAMENT_CHAMPION"), default);
        await _host.AdvanceAsync(TimeSpan.FromSeconds(10));

        var pending = await _host.Mints.GetAsync(Vega, "TOURNAMENT_CHAMPION", default);
        Assert.Equal((GenesisMintStatus.Pending, GenesisMintReasons.StarknetNotConfigured), (pending.Status, pending.Reason));
        Assert.Contains("Starknet:RpcUrl", pending.Detail, StringComparison.Ordinal);
        Assert.Empty(Node.Methods);

        await _host.RestartAsync(configured: true);
        var woken = await new ChainRecheck(_host.Client, _host.Operator).WakeWaitingAsync(default);
        Assert.Equal(2, woken); // the achievement's chain write and the mint
        await _host.RunUntilFinishedAsync(
            [GenesisMintWorkflow.InstanceId(Vega, "TOURNAMENT_CHAMPION"), OnChainAchievements.InstanceId(Vega, "TOURNAMENT_CHAMPION")],
            atMost: TimeSpan.FromMinutes(5)); // far sooner than the recheck timers

        Assert.Equal(GenesisMintStatus.Minted, (await _host.Mints.GetAsync(Vega, "TOURNAMENT_CHAMPION", default)).Status);
        Assert.Single(Node.Recorded);
    }

    [Fact]
    public async Task The_first_linked_wallet_stays_the_recipient()
    {
        Assert.Equal(Wallet.ToHexString(), await _host.Recipients.RememberAsync(Vega, Wallet.ToHexString(), default));
        Assert.Equal(Wallet.ToHexString(), await _host.Recipients.RememberAsync(Vega, "0x123", default));
        Assert.Equal(Wallet.ToHexString(), await _host.Recipients.FindAsync(Vega, default));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _host.Recipients.RememberAsync(Vega, "not an address", default));
    }

    [Fact]
    public async Task An_unreadable_event_is_dropped_and_other_types_are_ignored()
    {
        var unreadable = Unlocked(Vega, "FIRST_TRADE") with { Data = JsonSerializer.SerializeToElement(new { userId = "nope" }) };
        await _host.Handler.HandleAsync(unreadable, default);
        await _host.Handler.HandleAsync(Unlocked(Vega, "FIRST_TRADE") with { Type = "astratrade.trading.position-closed.v1" }, default);
        await _host.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Empty((await _host.Client.ListAsync(new WorkflowQuery())).Instances);
        Assert.Equal([IntegrationEventTypes.AchievementUnlocked], _host.Handler.EventTypes);
    }

    private static IntegrationEvent Unlocked(Guid user, string achievement) => new(
        Guid.NewGuid().ToString(),
        IntegrationEventTypes.AchievementUnlocked,
        "/astratrade/gamification",
        $"users/{user:N}",
        new DateTimeOffset(2026, 11, 2, 11, 0, 0, TimeSpan.Zero),
        JsonSerializer.SerializeToElement(new AchievementUnlockedV1(user, achievement, new DateTimeOffset(2026, 11, 2, 11, 0, 0, TimeSpan.Zero)), new JsonSerializerOptions(JsonSerializerDefaults.Web)));
}
