using AstraTrade.Application.Nft.Chain;
using AstraTrade.Infrastructure.Starknet.Operator;
using AstraTrade.Infrastructure.Storage.Embedded;
using AstraTrade.Orchestrations.Chain;
using AstraTrade.Starknet;
using AstraTrade.Starknet.Rpc;
using Microsoft.Extensions.Logging.Abstractions;

namespace AstraTrade.Orchestrations.Tests.Chain;

/// <summary>The operator account's configuration rules and what it keeps secret, and its prepare step on its own.</summary>
public sealed class OperatorAccountTests : IAsyncLifetime
{
    private const string Secret = "0x5ec7e7000000000000000000000000000000000000000000000000000000000000000000000000001";
    private ChainTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ChainTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void A_malformed_key_is_refused_at_start_without_showing_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(new OperatorOptions { Address = "0xa57", PrivateKey = Secret + "zz" }));

        Assert.DoesNotContain("5ec7e7", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.DoesNotContain("5ec7e7", new OperatorOptions { Address = "0xa57", PrivateKey = Secret }.ToString(), StringComparison.Ordinal);
        Assert.Contains("PrivateKey = set", new OperatorOptions { Address = "0xa57", PrivateKey = Secret }.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0xa57", null, "set both Address and PrivateKey")]
    [InlineData(null, "0x1", "set both Address and PrivateKey")]
    [InlineData("not hex", "0x1", "is not a \"0x\" hex address")]
    public void Half_an_account_or_a_bad_address_is_refused_at_start(string? address, string? key, string message) =>
        Assert.Contains(message, Assert.Throws<InvalidOperationException>(() => Create(new OperatorOptions { Address = address, PrivateKey = key })).Message, StringComparison.Ordinal);

    [Fact]
    public void A_fee_margin_below_one_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Create(new OperatorOptions { FeeMargin = 0.9m }));
        Assert.Contains("FeeMargin must be at least 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unavailable_says_what_is_missing()
    {
        Assert.Equal("No Starknet node is configured (Starknet:RpcUrl).", Create(new OperatorOptions()).Unavailable([]));
        Assert.Equal("No operator account is configured (Starknet:Operator:Address and :PrivateKey).", Create(new OperatorOptions(), withNode: true).Unavailable([]));
        var account = Create(new OperatorOptions { Address = "0xa57", PrivateKey = "0x1" }, withNode: true);
        Assert.Null(account.Unavailable([]));
        Assert.Equal("No address is configured for Starknet:Contracts:genesis.", account.Unavailable([ChainContracts.Genesis]));
    }

    [Fact]
    public async Task Preparing_a_purpose_again_returns_the_same_signed_transaction_even_from_another_process()
    {
        var calls = new[] { new ChainCall(ChainContracts.Achievements, "record_achievement", ["0x1", "0x2"]) };

        var first = await _host.Operator.PrepareAsync("purpose-1", calls, null, default);
        var again = await _host.Operator.PrepareAsync("purpose-1", calls, null, default);
        await _host.RestartAsync(); // a new operator account: its memory is gone, the store is not
        var afterRestart = await _host.Operator.PrepareAsync("purpose-1", calls, null, default);
        var other = await _host.Operator.PrepareAsync("purpose-2", calls, null, default);

        Assert.Equal(first.Hash, again.Hash);
        Assert.Equal(first.Hash, afterRestart.Hash);
        Assert.Equal(("0x0", "0x1"), (first.Nonce, other.Nonce)); // the restarted count starts above the nonce purpose-1 holds
        Assert.Empty(_host.Node.Received); // preparing sends nothing

        // The signature is the operator's over the hash, and the hash is the transaction's.
        var signer = new StarkSigner(ChainTestHost.OperatorKey);
        Assert.True(StarkEcdsa.Verify(Felt.Parse(first.Hash), new StarkSignature(Felt.Parse(first.Signature[0]), Felt.Parse(first.Signature[1])), signer.PublicKey));
        Assert.Equal(ChainTestHost.OperatorAddress.ToHexString(), first.Sender);
        Assert.Equal(StarknetChainId.Sepolia.ToHexString(), first.ChainId);
    }

    [Fact]
    public async Task Concurrent_prepares_get_consecutive_nonces_and_concurrent_repeats_of_a_purpose_get_its_one_transaction()
    {
        var calls = new[] { new ChainCall(ChainContracts.Achievements, "record_achievement", ["0x1", "0x2"]) };
        var purposes = Enumerable.Range(0, 40).Select(i => $"purpose-{i}").ToList();

        // Each purpose prepared three times at once, all purposes at once.
        var prepared = await Task.WhenAll(purposes.SelectMany(p => Enumerable.Repeat(p, 3))
            .Select(p => Task.Run(async () => await _host.Operator.PrepareAsync(p, calls, null, default))));

        var byPurpose = prepared.GroupBy(t => t.Purpose).ToList();
        Assert.All(byPurpose, g => Assert.Single(g.Select(t => t.Hash).Distinct()));
        Assert.Equal(
            Enumerable.Range(0, purposes.Count),
            byPurpose.Select(g => (int)Felt.Parse(g.First().Nonce).ToBigInteger()).Order());
    }

    [Fact]
    public async Task A_replacement_is_signed_only_for_the_dead_hash_it_names()
    {
        var calls = new[] { new ChainCall(ChainContracts.Achievements, "record_achievement", ["0x1", "0x2"]) };
        var first = await _host.Operator.PrepareAsync("purpose-r", calls, null, default);

        var replacement = await _host.Operator.PrepareAsync("purpose-r", calls, first.Hash, default);
        var stale = await _host.Operator.PrepareAsync("purpose-r", calls, first.Hash, default); // the same step running again

        Assert.NotEqual(first.Hash, replacement.Hash);
        Assert.Equal((2, "0x1"), (replacement.Revision, replacement.Nonce));
        Assert.Equal(replacement.Hash, stale.Hash);
    }

    [Fact]
    public async Task A_stored_transaction_that_no_longer_matches_its_hash_is_never_sent()
    {
        var calls = new[] { new ChainCall(ChainContracts.Achievements, "record_achievement", ["0x1", "0x2"]) };
        var signed = await _host.Operator.PrepareAsync("purpose-t", calls, null, default);

        var tampered = signed with { Calldata = [.. signed.Calldata.SkipLast(1), "0x3"] };

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await _host.Operator.SubmitAsync(tampered, default));
        Assert.Empty(_host.Node.Received);
    }

    private OperatorAccount Create(OperatorOptions options, bool withNode = false) => new(
        options,
        new Dictionary<string, string> { ["achievements"] = "0xa1" },
        "SN_SEPOLIA",
        withNode ? new StarknetRpcClient(new HttpClient(), new Uri("http://node.test/")) : null,
        _host.Store.Documents,
        NullLogger<OperatorAccount>.Instance);
}
