using AstraTrade.Contracts.Starknet;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Orchestrations.Runtime;
using AstraTrade.Starknet;

namespace AstraTrade.Orchestrations.Tests.Chain;

/// <summary>
/// Chain writes end to end: the workflow on the embedded store, the real operator account and JSON-RPC client, and a node
/// that verifies every INVOKE v3 signature itself (<see cref="FakeChainNode"/>), on a manual clock.
/// </summary>
public sealed class ChainWriteHostTests : IAsyncLifetime
{
    private static readonly Guid Alice = Guid.Parse("a11ce000-0000-4000-8000-000000000001");
    private ChainTestHost _host = null!;

    private FakeChainNode Node => _host.Node;

    public async Task InitializeAsync() => _host = await ChainTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_achievement_is_signed_sent_polled_and_accepted_in_a_block()
    {
        Node.MineAfterPolls = 2;

        await _host.Achievements.RecordAsync(Alice, "FIRST_TRADE", default);
        var id = OnChainAchievements.InstanceId(Alice, "FIRST_TRADE");
        await _host.RunUntilFinishedAsync([id]);

        var outcome = await _host.OutcomeAsync(id);
        Assert.Equal(ChainWriteResult.Accepted, outcome.Result);
        Assert.Equal(Node.LatestBlock, outcome.BlockNumber);
        Assert.Equal(1, outcome.Transactions);
        var received = Assert.Single(Node.Received);
        Assert.Equal(("accepted", received.Hash.ToHexString()), (received.Answer, outcome.TransactionHash));
        Assert.Contains((Felt.Parse(CairoValues.UserFelt(Alice)), Felt.Parse(CairoValues.ShortString("FIRST_TRADE"))), Node.Recorded);

        // The calldata is the account's multicall of record_achievement(player, achievement).
        Assert.Equal(
            [Felt.One, ChainTestHost.AchievementsAddress, FakeChainNode.RecordAchievement, (Felt)2UL, Felt.Parse(CairoValues.UserFelt(Alice)), Felt.Parse(CairoValues.ShortString("FIRST_TRADE"))],
            received.Calldata);

        // Polled on durable timers with backoff: 2 s, then 4 s, then accepted on the third poll.
        var history = (await _host.Client.GetStatusAsync(id, showHistory: true))!.History!;
        Assert.Equal(3, Node.Methods.Count(m => m == "starknet_getTransactionStatus"));
        Assert.Equal(1, Node.Methods.Count(m => m == "starknet_getTransactionReceipt"));
        Assert.Contains(history, e => e.EventType == "completed");
    }

    [Fact]
    public async Task The_resource_bounds_are_the_estimate_times_the_margin()
    {
        await _host.Achievements.RecordAsync(Alice, "LEVEL_10", default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Alice, "LEVEL_10")]);

        var estimate = Node.LastEstimate!.Value;
        var bounds = Node.Transactions.Values.Single().Bounds;
        Assert.Equal((0UL, estimate.L1Price * 3 / 2), (bounds.L1Gas.MaxAmount, bounds.L1Gas.MaxPricePerUnit));
        Assert.Equal((estimate.L2Gas * 3 / 2, estimate.L2Price * 3 / 2), (bounds.L2Gas.MaxAmount, bounds.L2Gas.MaxPricePerUnit));
        Assert.Equal((estimate.DataGas * 3 / 2, estimate.DataPrice * 3 / 2), (bounds.L1DataGas.MaxAmount, bounds.L1DataGas.MaxPricePerUnit));
    }

    [Fact]
    public async Task Starting_twice_is_one_write_and_a_recorded_achievement_is_not_written_again()
    {
        await _host.Achievements.RecordAsync(Alice, "WEEK_WARRIOR", default);
        await _host.Achievements.RecordAsync(Alice, "WEEK_WARRIOR", default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Alice, "WEEK_WARRIOR")]);
        Assert.Single(Node.Received);

        // Purged and started again (or recorded another way): is_recorded says done, and nothing is signed.
        Assert.Equal(OperationOutcome.Accepted, await _host.Client.PurgeAsync(OnChainAchievements.InstanceId(Alice, "WEEK_WARRIOR")));
        await _host.Achievements.RecordAsync(Alice, "WEEK_WARRIOR", default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Alice, "WEEK_WARRIOR")]);

        var again = await _host.OutcomeAsync(OnChainAchievements.InstanceId(Alice, "WEEK_WARRIOR"));
        Assert.Equal((ChainWriteResult.AlreadyDone, 0), (again.Result, again.Transactions));
        Assert.Single(Node.Received);
    }

    [Fact]
    public async Task A_reverted_transaction_ends_reverted_with_its_reason()
    {
        Node.RevertNextWith = "Out of gas";

        await _host.Achievements.RecordAsync(Alice, "PROFIT_MASTER", default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Alice, "PROFIT_MASTER")]);

        // is_recorded, asked after the revert, still says no: the revert stands.
        var outcome = await _host.OutcomeAsync(OnChainAchievements.InstanceId(Alice, "PROFIT_MASTER"));
        Assert.Equal((ChainWriteResult.Reverted, "Out of gas"), (outcome.Result, outcome.Reason));
        Assert.Equal(Node.Transactions.Values.Single().Block, outcome.BlockNumber);
        Assert.Empty(Node.Recorded);
    }

    [Fact]
    public async Task A_write_the_estimate_shows_would_fail_signs_nothing_and_fails_with_the_reason()
    {
        // Recorded on chain already, and the done-check skipped: a raw write straight to record_achievement.
        Node.Recorded.Add((Felt.Parse(CairoValues.UserFelt(Alice)), Felt.Parse(CairoValues.ShortString("LEVEL_25"))));
        var input = new ChainWriteInput([new(Application.Nft.Chain.ChainContracts.Achievements, AchievementsContract.RecordAchievement, AchievementsContract.Calldata(Alice, "LEVEL_25"))]);

        var started = await _host.Client.StartNewAsync(ChainWriteWorkflow.WorkflowName, input, new StartOptions("raw-write"));
        Assert.True(started.Started);
        await _host.RunUntilFinishedAsync(["raw-write"]);

        var outcome = await _host.OutcomeAsync("raw-write");
        Assert.Equal(ChainWriteResult.Failed, outcome.Result);
        Assert.Contains("Achievement already recorded", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(Node.Received);
    }

    [Fact]
    public async Task A_stuck_transaction_is_sent_again_unchanged_and_one_already_known_is_not_a_second_transaction()
    {
        Node.MineAfterPolls = -1; // nothing gets into a block
        await _host.Achievements.RecordAsync(Alice, "LEVEL_50", default);
        var id = OnChainAchievements.InstanceId(Alice, "LEVEL_50");
        await _host.AdvanceAsync(TimeSpan.FromSeconds(5));
        var hash = Assert.Single(Node.Received).Hash;

        // The node drops it from its mempool; after StuckAfter the same signed transaction is sent again.
        Node.Drop(hash);
        await _host.AdvanceAsync(_host.Timings.StuckAfter + TimeSpan.FromSeconds(20));
        Assert.Equal(2, Node.Received.Count);
        Assert.Equal([hash, hash], Node.Received.Select(r => r.Hash));

        // Still in the mempool this time: a resubmission answered "duplicate" is fine, and still the same transaction.
        await _host.AdvanceAsync(_host.Timings.StuckAfter + TimeSpan.FromSeconds(20));
        Assert.Contains(Node.Received, r => r.Answer == "59");
        Node.MineAfterPolls = 0;
        await _host.RunUntilFinishedAsync([id]);

        var outcome = await _host.OutcomeAsync(id);
        Assert.Equal((ChainWriteResult.Accepted, 1, hash.ToHexString()), (outcome.Result, outcome.Transactions, outcome.TransactionHash));
        Assert.Single(Node.Received.Select(r => r.Hash).Distinct());
        var status = (await _host.StatusAsync(id)).CustomStatus!.Value;
        Assert.True(status.GetProperty("resubmits").GetInt32() >= 2);
    }

    [Fact]
    public async Task A_nonce_used_elsewhere_is_refused_then_the_operator_resyncs_and_signs_a_replacement()
    {
        // Another process used the operator account after this one counted: its next nonce is taken.
        await _host.Achievements.RecordAsync(Alice, "FIRST_TRADE", default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Alice, "FIRST_TRADE")]);
        Node.UseNonceElsewhere();

        await _host.Achievements.RecordAsync(Alice, "TRADER_NOVICE", default);
        var id = OnChainAchievements.InstanceId(Alice, "TRADER_NOVICE");
        await _host.RunUntilFinishedAsync([id]);

        var outcome = await _host.OutcomeAsync(id);
        Assert.Equal((ChainWriteResult.Accepted, 2), (outcome.Result, outcome.Transactions));
        var attempts = Node.Received.Skip(1).ToList();
        Assert.Equal(["52", "accepted"], attempts.Select(a => a.Answer));
        Assert.Equal([Felt.One, (Felt)2UL], attempts.Select(a => a.Nonce)); // the refused one had nonce 1; the replacement 2
        Assert.Equal(3, (int)Node.Accounts[ChainTestHost.OperatorAddress].Nonce);
    }

    [Fact]
    public async Task A_refused_transaction_gives_its_nonce_back_so_no_later_write_waits_behind_a_hole()
    {
        Node.RefuseNext.Enqueue((54, "Account balance is smaller than the transaction's maximal fee"));

        await _host.Achievements.RecordAsync(Alice, "FIRST_TRADE", default);
        await _host.Achievements.RecordAsync(Alice, "LEVEL_10", default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Alice, "FIRST_TRADE"), OnChainAchievements.InstanceId(Alice, "LEVEL_10")]);

        Assert.Equal(ChainWriteResult.Accepted, (await _host.OutcomeAsync(OnChainAchievements.InstanceId(Alice, "FIRST_TRADE"))).Result);
        Assert.Equal(ChainWriteResult.Accepted, (await _host.OutcomeAsync(OnChainAchievements.InstanceId(Alice, "LEVEL_10"))).Result);
        var executed = Node.Transactions.Values.Where(t => t.Block is not null).Select(t => (int)t.Nonce).Order();
        Assert.Equal([0, 1], executed);
        Assert.Equal(2, (int)Node.Accounts[ChainTestHost.OperatorAddress].Nonce);
    }

    [Fact]
    public async Task A_purpose_the_node_keeps_refusing_fails_after_its_transactions_are_used_up()
    {
        for (var i = 0; i < _host.Timings.MaxTransactions; i++)
        {
            Node.RefuseNext.Enqueue((55, "Account validation failed"));
        }

        await _host.Achievements.RecordAsync(Alice, "LEVEL_100", default);
        await _host.RunUntilFinishedAsync([OnChainAchievements.InstanceId(Alice, "LEVEL_100")]);

        var outcome = await _host.OutcomeAsync(OnChainAchievements.InstanceId(Alice, "LEVEL_100"));
        Assert.Equal((ChainWriteResult.Failed, _host.Timings.MaxTransactions), (outcome.Result, outcome.Transactions));
        Assert.Contains("55 Account validation failed", outcome.Reason, StringComparison.Ordinal);
        Assert.All(Node.Received, r => Assert.Equal("55", r.Answer));
        Assert.Equal(0, (int)Node.Accounts[ChainTestHost.OperatorAddress].Nonce);
        Assert.All(Node.Received, r => Assert.Equal(Felt.Zero, r.Nonce)); // each refusal gave nonce 0 back
    }

    [Fact]
    public async Task Many_writes_at_once_get_consecutive_nonces_and_all_land()
    {
        var users = Enumerable.Range(1, 24).Select(i => Guid.Parse($"00000000-0000-4000-8000-{i:D12}")).ToList();

        await Task.WhenAll(users.Select(u => _host.Achievements.RecordAsync(u, "FIRST_TRADE", default).AsTask()));
        await _host.RunUntilFinishedAsync(users.Select(u => OnChainAchievements.InstanceId(u, "FIRST_TRADE")));

        foreach (var user in users)
        {
            Assert.Equal(ChainWriteResult.Accepted, (await _host.OutcomeAsync(OnChainAchievements.InstanceId(user, "FIRST_TRADE"))).Result);
        }

        Assert.Equal(users.Count, Node.Received.Count); // no refusals, no replacements
        Assert.Equal(Enumerable.Range(0, users.Count), Node.Received.Select(r => (int)r.Nonce.ToBigInteger()).Order());
        Assert.Equal(users.Count, Node.Recorded.Count);
    }

    [Fact]
    public async Task Without_configuration_a_write_waits_and_says_why()
    {
        await using var unconfigured = await ChainTestHost.StartAsync(configured: false);

        await unconfigured.Achievements.RecordAsync(Alice, "FIRST_TRADE", default);
        await unconfigured.AdvanceAsync(TimeSpan.FromSeconds(5));

        var status = await unconfigured.StatusAsync(OnChainAchievements.InstanceId(Alice, "FIRST_TRADE"));
        Assert.Equal(WorkflowRuntimeStatus.Running, status.RuntimeStatus);
        Assert.Equal("checking", status.CustomStatus!.Value.GetProperty("step").GetString());
        Assert.Equal("No Starknet node is configured (Starknet:RpcUrl).", status.CustomStatus.Value.GetProperty("waiting").GetString());
        Assert.Empty(unconfigured.Node.Methods);
    }
}
