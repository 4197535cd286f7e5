using System.Text.Json;
using AstraTrade.Starknet.Rpc;

namespace AstraTrade.Starknet.Tests.Rpc;

/// <summary>Each method of the client against the fake node (which checks every request against the spec's schemas).</summary>
public sealed class RpcMethodTests : RpcTestBase
{
    [Fact]
    public async Task Chain_id_spec_version_and_block_number()
    {
        Assert.Equal(StarknetChainId.Sepolia, await Client.GetChainIdAsync());
        Assert.Equal(StarknetRpcClient.SpecVersion, await Client.GetSpecVersionAsync());
        Assert.Equal(Node.LatestBlock, await Client.GetBlockNumberAsync());

        var body = JsonDocument.Parse(Node.Requests.First(r => r.Method == "starknet_chainId").Body).RootElement;
        Assert.Equal("2.0", body.GetProperty("jsonrpc").GetString());
        Assert.False(body.TryGetProperty("params", out _));
    }

    [Fact]
    public async Task Request_ids_are_unique_per_client()
    {
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.GetBlockNumberAsync()));
        var ids = Node.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(20, ids.Distinct().Count());
    }

    [Fact]
    public async Task Call_sends_the_function_call_and_block_id_by_name_and_returns_felts()
    {
        var balanceOf = Selectors.GetSelectorFromName("balance_of");
        Node.Functions[(Token, balanceOf)] = args => args.Count == 1 && args[0] == AccountAddress ? [123_456UL, 0UL] : [0UL, 0UL];
        var call = new FunctionCall(Token, balanceOf, [AccountAddress]);

        foreach (var block in new[] { BlockId.Latest, BlockId.PreConfirmed, BlockId.L1Accepted, BlockId.Number(Node.LatestBlock), BlockId.Hash(FakeStarknetNode.BlockHashOf(Node.LatestBlock - 3)) })
        {
            Assert.Equal([(Felt)123_456UL, Felt.Zero], await Client.CallAsync(call, block));
        }

        var sent = JsonDocument.Parse(Node.Requests.Last().Body).RootElement.GetProperty("params");
        Assert.Equal(Token.ToHexString(), sent.GetProperty("request").GetProperty("contract_address").GetString());
        Assert.Equal(FakeStarknetNode.BlockHashOf(Node.LatestBlock - 3).ToHexString(), sent.GetProperty("block_id").GetProperty("block_hash").GetString());
    }

    [Fact]
    public async Task Call_errors_are_typed()
    {
        var fails = Selectors.GetSelectorFromName("fails");
        Node.Functions[(Token, fails)] = _ => throw new ContractRevert("0x496e73756666696369656e742062616c616e6365 ('Insufficient balance')");

        var missingContract = await Assert.ThrowsAsync<ContractNotFoundException>(() =>
            Client.CallAsync(new FunctionCall(Felt.Parse("0x999"), fails, []), BlockId.Latest));
        Assert.Equal(20, missingContract.Code);
        await Assert.ThrowsAsync<ContractEntryPointNotFoundException>(() =>
            Client.CallAsync(new FunctionCall(Token, Selectors.GetSelectorFromName("nope"), []), BlockId.Latest));
        await Assert.ThrowsAsync<BlockNotFoundException>(() =>
            Client.CallAsync(new FunctionCall(Token, fails, []), BlockId.Number(Node.LatestBlock + 10)));
        var revert = await Assert.ThrowsAsync<ContractErrorException>(() => Client.CallAsync(new FunctionCall(Token, fails, []), BlockId.Latest));
        Assert.Contains("Insufficient balance", revert.RevertError, StringComparison.Ordinal);
        Assert.Equal("starknet_call", revert.Method);
    }

    [Fact]
    public async Task Get_nonce()
    {
        Assert.Equal((Felt)7UL, await Client.GetNonceAsync(AccountAddress, BlockId.PreConfirmed));
        await Assert.ThrowsAsync<ContractNotFoundException>(() => Client.GetNonceAsync(Felt.Parse("0x404"), BlockId.Latest));
        await Assert.ThrowsAsync<BlockNotFoundException>(() => Client.GetNonceAsync(AccountAddress, BlockId.Hash(Felt.Parse("0xdead"))));
    }

    [Fact]
    public async Task Estimate_fee_with_a_query_version_signature()
    {
        var tx = Transfer(7UL, version: InvokeV3Hash.QueryVersion);
        var estimate = await Client.EstimateFeeAsync(tx, [Sign(tx).R, Sign(tx).S], BlockId.PreConfirmed);

        Assert.Equal(PriceUnit.Fri, estimate.Unit);
        Assert.Equal(0UL, estimate.L1GasConsumed);
        Assert.Equal(870_000UL, estimate.L2GasConsumed);
        Assert.Equal((UInt128)8_000_000_000UL, estimate.L2GasPrice);
        Assert.Equal(192UL, estimate.L1DataGasConsumed);
        Assert.Equal((UInt128)30_000_000_000_000UL, estimate.L1GasPrice);
        Assert.Equal((estimate.L2GasConsumed * estimate.L2GasPrice) + (estimate.L1DataGasConsumed * estimate.L1DataGasPrice), estimate.OverallFee);

        var sent = JsonDocument.Parse(Node.Requests.Last().Body).RootElement.GetProperty("params");
        Assert.Equal("0x100000000000000000000000000000003", sent.GetProperty("request")[0].GetProperty("version").GetString());
        Assert.Equal(0, sent.GetProperty("simulation_flags").GetArrayLength());
        Assert.Equal("pre_confirmed", sent.GetProperty("block_id").GetString());
    }

    [Fact]
    public async Task Estimate_fee_of_a_sequence_reports_which_transaction_failed()
    {
        var first = Transfer(7UL, version: InvokeV3Hash.QueryVersion);
        var second = Transfer(8UL, amount: 5, version: InvokeV3Hash.QueryVersion);
        var badSignature = new Felt[] { 1UL, 2UL };

        var error = await Assert.ThrowsAsync<TransactionExecutionErrorException>(() =>
            Client.EstimateFeeAsync([(first, [Sign(first).R, Sign(first).S]), (second, badSignature)], BlockId.Latest));
        Assert.Equal(1, error.TransactionIndex);
        Assert.Contains("invalid signature", error.ExecutionError, StringComparison.Ordinal);

        var skipped = await Client.EstimateFeeAsync([(first, badSignature), (second, badSignature)], BlockId.Latest, skipValidate: true);
        Assert.Equal(2, skipped.Count);
        var flags = JsonDocument.Parse(Node.Requests.Last().Body).RootElement.GetProperty("params").GetProperty("simulation_flags");
        Assert.Equal("SKIP_VALIDATE", flags[0].GetString());
    }

    [Fact]
    public async Task Invoke_v3_sent_by_the_client_has_the_hash_InvokeV3Hash_computes()
    {
        var nonce = await Client.GetNonceAsync(AccountAddress, BlockId.PreConfirmed);
        var tx = Transfer(nonce) with { PaymasterData = [0x5UL], ProofFacts = [] };
        var expected = InvokeV3Hash.Compute(tx);

        var result = await Client.AddInvokeTransactionAsync(tx, Sign(tx));

        // The fake recomputed the hash from the fields it received and verified the signature against it.
        Assert.Equal(expected, result.TransactionHash);
        Assert.True(Node.Transactions.ContainsKey(expected));
        Assert.Equal((Felt)8UL, Node.Accounts[AccountAddress].Nonce);

        var wire = JsonDocument.Parse(Node.Transactions[expected].WireJson).RootElement;
        Assert.Equal("0x3", wire.GetProperty("version").GetString());
        Assert.Equal("0x3e8", wire.GetProperty("tip").GetString());
        Assert.Equal("0x1f4", wire.GetProperty("resource_bounds").GetProperty("l1_data_gas").GetProperty("max_amount").GetString());
        Assert.Equal("0x2cb417800", wire.GetProperty("resource_bounds").GetProperty("l2_gas").GetProperty("max_price_per_unit").GetString());
        Assert.Equal("L1", wire.GetProperty("nonce_data_availability_mode").GetString());
        Assert.False(wire.TryGetProperty("proof_facts", out _));
    }

    [Fact]
    public async Task Invoke_v3_with_proof_facts_sends_them_and_the_hash_covers_them()
    {
        var tx = Transfer(7UL) with { ProofFacts = [Felt.Parse("0xabc"), 42UL] };
        var result = await Client.AddInvokeTransactionAsync(tx, Sign(tx));
        Assert.Equal(InvokeV3Hash.Compute(tx), result.TransactionHash);
        Assert.NotEqual(InvokeV3Hash.Compute(tx with { ProofFacts = [] }), result.TransactionHash);
        Assert.Equal(2, JsonDocument.Parse(Node.Transactions[result.TransactionHash].WireJson).RootElement.GetProperty("proof_facts").GetArrayLength());
    }

    [Fact]
    public async Task Invoke_signed_for_another_chain_fails_validation()
    {
        var tx = Transfer(7UL, chainId: StarknetChainId.Mainnet);
        var error = await Assert.ThrowsAsync<ValidationFailureException>(() => Client.AddInvokeTransactionAsync(tx, Sign(tx)));
        Assert.Equal(55, error.Code);
        Assert.Equal("invalid signature", error.DataText);
        Assert.Empty(Node.Transactions);
    }

    [Fact]
    public async Task Invoke_errors_for_nonce_balance_duplicate_and_non_account()
    {
        var stale = Transfer(6UL);
        var nonceError = await Assert.ThrowsAsync<InvalidTransactionNonceException>(() => Client.AddInvokeTransactionAsync(stale, Sign(stale)));
        Assert.Contains("Account nonce: 0x7", nonceError.DataText, StringComparison.Ordinal);

        Node.Accounts[AccountAddress].Balance = 10;
        var expensive = Transfer(7UL);
        await Assert.ThrowsAsync<InsufficientAccountBalanceException>(() => Client.AddInvokeTransactionAsync(expensive, Sign(expensive)));
        Node.Accounts[AccountAddress].Balance = System.Numerics.BigInteger.Pow(10, 21);

        var tx = Transfer(7UL);
        await Client.AddInvokeTransactionAsync(tx, Sign(tx));
        await Assert.ThrowsAsync<DuplicateTransactionException>(() => Client.AddInvokeTransactionAsync(tx, Sign(tx)));

        var stranger = Transfer(0UL) with { SenderAddress = Felt.Parse("0x777") };
        await Assert.ThrowsAsync<NonAccountException>(() => Client.AddInvokeTransactionAsync(stranger, Sign(stranger)));
    }

    [Fact]
    public async Task Only_invoke_v3_is_accepted_by_the_client()
    {
        var v1 = Transfer(7UL, version: 1UL);
        await Assert.ThrowsAsync<ArgumentException>(() => Client.AddInvokeTransactionAsync(v1, Sign(v1)));
        var query = Transfer(7UL, version: InvokeV3Hash.QueryVersion);
        await Assert.ThrowsAsync<ArgumentException>(() => Client.AddInvokeTransactionAsync(query, Sign(query)));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.EstimateFeeAsync(v1, [], BlockId.Latest));
        Assert.Empty(Node.Requests);
    }

    [Fact]
    public async Task Status_and_receipt_follow_the_transaction_through_its_life()
    {
        var tx = Transfer(7UL);
        var hash = (await Client.AddInvokeTransactionAsync(tx, Sign(tx))).TransactionHash;

        var received = await Client.GetTransactionStatusAsync(hash);
        Assert.Equal(TransactionFinalityStatus.Received, received.FinalityStatus);
        Assert.Null(received.ExecutionStatus);
        await Assert.ThrowsAsync<TransactionHashNotFoundException>(() => Client.GetTransactionReceiptAsync(hash));

        Node.CloseBlock(preConfirmedOnly: true);
        var preConfirmed = await Client.GetTransactionReceiptAsync(hash);
        Assert.Equal(TransactionFinalityStatus.PreConfirmed, preConfirmed.FinalityStatus);
        Assert.Null(preConfirmed.BlockHash);
        Assert.Equal(Node.LatestBlock + 1, preConfirmed.BlockNumber);

        Node.CloseBlock();
        var status = await Client.GetTransactionStatusAsync(hash);
        Assert.Equal(TransactionFinalityStatus.AcceptedOnL2, status.FinalityStatus);
        Assert.Equal(TransactionExecutionStatus.Succeeded, status.ExecutionStatus);

        var receipt = await Client.GetTransactionReceiptAsync(hash);
        Assert.Equal(TransactionType.Invoke, receipt.Type);
        Assert.Equal(hash, receipt.TransactionHash);
        Assert.Equal(TransactionExecutionStatus.Succeeded, receipt.ExecutionStatus);
        Assert.Equal(FakeStarknetNode.BlockHashOf(Node.LatestBlock), receipt.BlockHash);
        Assert.Equal(Node.LatestBlock, receipt.BlockNumber);
        Assert.Equal(new FeePayment(Felt.Parse("0x1b48eb57e000"), PriceUnit.Fri), receipt.ActualFee);
        Assert.Equal(new ExecutionResources(0, 192, 812_340), receipt.ExecutionResources);
        var e = Assert.Single(receipt.Events);
        Assert.Equal([Selectors.GetSelectorFromName("transaction_executed"), hash], e.Keys);
        Assert.Empty(receipt.MessagesSent);
        Assert.Null(receipt.RevertReason);
    }

    [Fact]
    public async Task A_reverted_transaction_reports_why()
    {
        var tx = Transfer(7UL);
        var hash = (await Client.AddInvokeTransactionAsync(tx, Sign(tx))).TransactionHash;
        Node.RevertNextWith = "Error in the called contract: u256_sub Overflow";
        Node.CloseBlock();

        var status = await Client.GetTransactionStatusAsync(hash);
        Assert.Equal(TransactionExecutionStatus.Reverted, status.ExecutionStatus);
        Assert.Equal("Error in the called contract: u256_sub Overflow", status.FailureReason);
        var receipt = await Client.GetTransactionReceiptAsync(hash);
        Assert.Equal(TransactionExecutionStatus.Reverted, receipt.ExecutionStatus);
        Assert.Equal("Error in the called contract: u256_sub Overflow", receipt.RevertReason);
        Assert.Empty(receipt.Events);
    }

    [Fact]
    public async Task Unknown_transaction_hash()
    {
        var error = await Assert.ThrowsAsync<TransactionHashNotFoundException>(() => Client.GetTransactionStatusAsync(Felt.Parse("0xabc")));
        Assert.Equal(29, error.Code);
        Assert.Equal("Transaction hash not found", error.RpcMessage);
    }
}
