using AstraTrade.Contracts.Starknet;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Starknet;

namespace AstraTrade.Orchestrations.Tests.Chain;

/// <summary>
/// "A crash at any instant never produces two different transactions for one purpose": several chain writes run at once,
/// the host is interrupted at a chosen moment (the request or store write in progress never completes, the queue and the
/// operator's memory are lost), then restarted on the same store. Every write must still land exactly once, and the node
/// must have received one transaction hash per purpose, however often that transaction was sent.
/// </summary>
public sealed class ChainWriteCrashTests
{
    private const int Writes = 6;

    private static readonly Guid[] Users = [.. Enumerable.Range(1, Writes).Select(i => Guid.Parse($"c0000000-0000-4000-8000-{i:D12}"))];

    public static TheoryData<string, int> Moments => new()
    {
        { "starknet_estimateFee", 3 },                   // preparing: nothing signed yet
        { "put:chain-operator", 4 },                     // the nonce recorded for the purpose, its transaction not yet persisted
        { "put:chain-transactions", 2 },                 // the signed transaction persisted, the prepare not yet answered
        { "starknet_addInvokeTransaction", 3 },          // about to send
        { "starknet_addInvokeTransaction:answer", 1 },   // the node took it; the answer is lost
        { "starknet_addInvokeTransaction:answer", 5 },
        { "starknet_getTransactionStatus", 4 },          // polling
        { "starknet_getTransactionReceipt:answer", 2 },  // in a block; the receipt never arrives
        { "starknet_call:answer", 3 },                   // the done-check
    };

    [Theory]
    [MemberData(nameof(Moments))]
    public async Task Interrupted_at_a_moment_and_restarted_every_write_lands_once_with_one_transaction(string moment, int occurrence)
    {
        await using var host = await ChainTestHost.StartAsync();
        host.Node.MineAfterPolls = 1;
        var seen = 0;
        var crashed = host.CrashAt(m => m == moment && Interlocked.Increment(ref seen) == occurrence);

        await StartAllAsync(host);
        using var interrupted = new CancellationTokenSource();
        var finished = host.RunUntilFinishedAsync(Ids, cancellationToken: interrupted.Token);
        Assert.Same(crashed, await Task.WhenAny(crashed, finished));
        await interrupted.CancelAsync();
        await Swallow(finished);
        await host.RestartAsync();

        await host.RunUntilFinishedAsync(Ids);
        await AssertEachLandedOnceAsync(host);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task Interrupted_at_random_moments_again_and_again_every_write_lands_once_with_one_transaction(int seed)
    {
        await using var host = await ChainTestHost.StartAsync();
        host.Node.MineAfterPolls = 1;
        var random = new Random(seed);
        await StartAllAsync(host);

        var crashes = 0;
        for (; crashes < 4; crashes++)
        {
            var crashed = host.CrashAt(_ => { lock (random) { return random.NextDouble() < 0.08; } });
            using var interrupted = new CancellationTokenSource();
            var finished = host.RunUntilFinishedAsync(Ids, cancellationToken: interrupted.Token);
            if (await Task.WhenAny(crashed, finished) == finished)
            {
                await finished;
                break;
            }

            await interrupted.CancelAsync();
            await Swallow(finished);
            await host.RestartAsync();
        }

        Assert.True(crashes > 0, "No crash happened: the test proved nothing.");
        await host.RunUntilFinishedAsync(Ids);
        await AssertEachLandedOnceAsync(host);
    }

    private static IEnumerable<string> Ids => Users.Select(u => OnChainAchievements.InstanceId(u, "FIRST_TRADE"));

    private static async Task StartAllAsync(ChainTestHost host) =>
        await Task.WhenAll(Users.Select(u => host.Achievements.RecordAsync(u, "FIRST_TRADE", default).AsTask()));

    /// <summary>The run that was going on when the crash happened is abandoned.</summary>
    private static async Task Swallow(Task run)
    {
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task AssertEachLandedOnceAsync(ChainTestHost host)
    {
        foreach (var user in Users)
        {
            var outcome = await host.OutcomeAsync(OnChainAchievements.InstanceId(user, "FIRST_TRADE"));
            Assert.Equal(ChainWriteResult.Accepted, outcome.Result);
            var calldata = new[] { Felt.One, ChainTestHost.AchievementsAddress, FakeChainNode.RecordAchievement, (Felt)2UL,
                Felt.Parse(CairoValues.UserFelt(user)), Felt.Parse(CairoValues.ShortString("FIRST_TRADE")) };
            Assert.Equal(1, host.Node.DistinctHashesFor(calldata));
            Assert.Equal(1, outcome.Transactions);
        }

        // One recorded achievement and one executed (never reverted) transaction per write, on consecutive nonces.
        Assert.Equal(Writes, host.Node.Recorded.Count);
        var executed = host.Node.Transactions.Values.Where(t => t.Block is not null).ToList();
        Assert.Equal(Writes, executed.Count);
        Assert.All(executed, t => Assert.Null(t.RevertReason));
        Assert.Equal(Enumerable.Range(0, Writes), executed.Select(t => (int)t.Nonce).Order());
        Assert.DoesNotContain(host.Node.Received, r => r.Answer is not ("accepted" or "59" or "52"));
    }
}
