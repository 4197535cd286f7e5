using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AstraTrade.Starknet.Rpc;

namespace AstraTrade.Starknet.Tests.Rpc;

/// <summary>RPC errors become typed exceptions and are never retried; transport failures are, with backoff.</summary>
public sealed class RpcErrorAndRetryTests : RpcTestBase
{
    public static TheoryData<int, Type> SpecErrors => new()
    {
        { 1, typeof(FailedToReceiveTransactionException) },
        { 20, typeof(ContractNotFoundException) },
        { 21, typeof(ContractEntryPointNotFoundException) },
        { 24, typeof(BlockNotFoundException) },
        { 29, typeof(TransactionHashNotFoundException) },
        { 31, typeof(PageSizeTooBigException) },
        { 32, typeof(NoBlocksException) },
        { 33, typeof(InvalidContinuationTokenException) },
        { 34, typeof(TooManyKeysInFilterException) },
        { 40, typeof(ContractErrorException) },
        { 41, typeof(TransactionExecutionErrorException) },
        { 52, typeof(InvalidTransactionNonceException) },
        { 53, typeof(InsufficientResourcesForValidateException) },
        { 54, typeof(InsufficientAccountBalanceException) },
        { 55, typeof(ValidationFailureException) },
        { 58, typeof(NonAccountException) },
        { 59, typeof(DuplicateTransactionException) },
        { 61, typeof(UnsupportedTransactionVersionException) },
        { 63, typeof(UnexpectedRpcErrorException) },
        { 64, typeof(ReplacementTransactionUnderpricedException) },
        { 65, typeof(FeeBelowMinimumException) },
        { 69, typeof(InvalidProofException) },
        { -32601, typeof(RpcMethodNotFoundException) },
        { -32602, typeof(RpcInvalidParamsException) },
        { 28, typeof(StarknetRpcException) },
        { -32603, typeof(StarknetRpcException) },
        { 10_042, typeof(StarknetRpcException) },
    };

    [Theory]
    [MemberData(nameof(SpecErrors))]
    public async Task Error_codes_map_to_typed_exceptions_and_are_not_retried(int code, Type expected)
    {
        Node.Faults.Enqueue(new Fault.RpcErrorFault(code, "message " + code, JsonValue.Create("detail")));
        var error = await Assert.ThrowsAnyAsync<StarknetRpcException>(() => Client.GetBlockNumberAsync());
        Assert.Equal(expected, error.GetType());
        Assert.Equal(code, error.Code);
        Assert.Equal("message " + code, error.RpcMessage);
        Assert.Equal("detail", error.DataText);
        Assert.Equal("starknet_blockNumber", error.Method);
        Assert.Single(Node.Requests);
    }

    [Fact]
    public async Task Transaction_execution_error_data_is_read()
    {
        var data = JsonNode.Parse("""
            { "transaction_index": 3, "execution_error": { "contract_address": "0x1", "class_hash": "0x2", "selector": "0x3",
              "error": { "contract_address": "0x4", "class_hash": "0x5", "selector": "0x6", "error": "Out of gas" } } }
            """);
        Node.Faults.Enqueue(new Fault.RpcErrorFault(41, "Transaction execution error", data));
        var error = await Assert.ThrowsAsync<TransactionExecutionErrorException>(() => Client.GetBlockNumberAsync());
        Assert.Equal(3, error.TransactionIndex);
        Assert.Contains("Out of gas", error.ExecutionError, StringComparison.Ordinal);
        Assert.Contains("Out of gas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_5xx_and_connection_resets_are_retried_until_an_answer()
    {
        Node.Faults.Enqueue(new Fault.Status(503));
        Node.Faults.Enqueue(new Fault.Abort());
        Node.Faults.Enqueue(new Fault.Status(502, "<html>bad gateway</html>"));
        Assert.Equal(Node.LatestBlock, await Client.GetBlockNumberAsync());
        Assert.Equal(4, Node.RequestCount("starknet_blockNumber"));
    }

    [Fact]
    public async Task Http_429_is_retried_and_Retry_After_is_honoured_up_to_the_cap()
    {
        var client = NewClient(new StarknetRpcOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(300) });
        Node.Faults.Enqueue(new Fault.Status(429, "slow down", RetryAfterSeconds: 30));
        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(StarknetChainId.Sepolia, await client.GetChainIdAsync());
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        Assert.Equal(2, Node.Requests.Count);
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried()
    {
        var client = NewClient(FastRetries.With(o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300)));
        Node.Faults.Enqueue(new Fault.Delay(TimeSpan.FromSeconds(5)));
        Assert.Equal("0.10.3", await client.GetSpecVersionAsync());
        Assert.Equal(2, Node.Requests.Count);
    }

    [Fact]
    public async Task Retries_stop_after_max_attempts_with_a_transport_exception()
    {
        for (var i = 0; i < 10; i++)
        {
            Node.Faults.Enqueue(new Fault.Status(500));
        }

        var client = NewClient(FastRetries.With(o => o.MaxAttempts = 3));
        var error = await Assert.ThrowsAsync<StarknetRpcTransportException>(() => client.GetBlockNumberAsync());
        Assert.Equal(3, error.Attempts);
        Assert.Equal(3, Node.Requests.Count);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_4xx_without_a_json_rpc_body_is_not_retried()
    {
        Node.Faults.Enqueue(new Fault.Status(404, "no such path"));
        var error = await Assert.ThrowsAsync<StarknetRpcTransportException>(() => Client.GetBlockNumberAsync());
        Assert.Equal(1, error.Attempts);
        Assert.Single(Node.Requests);
    }

    [Fact]
    public async Task A_json_rpc_error_in_an_http_500_is_an_rpc_error_not_a_transport_failure()
    {
        Node.Faults.Enqueue(new Fault.ErrorWithHttpStatus(500));
        await Assert.ThrowsAsync<ContractNotFoundException>(() => Client.GetNonceAsync(Felt.Parse("0x404"), BlockId.Latest));
        Assert.Single(Node.Requests);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_a_time_out_and_not_retried()
    {
        Node.Faults.Enqueue(new Fault.Delay(TimeSpan.FromSeconds(5)));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.GetBlockNumberAsync(cts.Token));
        Assert.Single(Node.Requests);
    }

    [Fact]
    public async Task Invoke_is_not_resent_after_a_transport_failure_unless_asked()
    {
        var tx = Transfer(7UL);
        Node.Faults.Enqueue(new Fault.Status(503));
        var error = await Assert.ThrowsAsync<StarknetRpcTransportException>(() => Client.AddInvokeTransactionAsync(tx, Sign(tx)));
        Assert.Equal(1, error.Attempts);
        Assert.Empty(Node.Transactions);

        Node.Faults.Enqueue(new Fault.Status(503));
        var result = await Client.AddInvokeTransactionAsync(tx, Sign(tx), retryTransportFailures: true);
        Assert.Equal(InvokeV3Hash.Compute(tx), result.TransactionHash);
        Assert.Equal(3, Node.RequestCount("starknet_addInvokeTransaction"));
    }

    [Fact]
    public async Task A_lost_answer_to_an_invoke_is_recovered_by_its_hash_or_by_the_duplicate_on_retry()
    {
        // Without retries: the caller learns nothing from the failure, but the locally computed hash finds the transaction.
        var first = Transfer(7UL);
        Node.Faults.Enqueue(new Fault.AnswerLost());
        await Assert.ThrowsAsync<StarknetRpcTransportException>(() => Client.AddInvokeTransactionAsync(first, Sign(first)));
        var status = await Client.GetTransactionStatusAsync(InvokeV3Hash.Compute(first));
        Assert.Equal(TransactionFinalityStatus.Received, status.FinalityStatus);

        // With retries: the re-send is refused as a duplicate, which proves the first attempt arrived.
        var second = Transfer(8UL);
        Node.Faults.Enqueue(new Fault.AnswerLost());
        var result = await Client.AddInvokeTransactionAsync(second, Sign(second), retryTransportFailures: true);
        Assert.Equal(InvokeV3Hash.Compute(second), result.TransactionHash);
        Assert.Equal(2, Node.Transactions.Count);
        Assert.Equal((Felt)9UL, Node.Accounts[AccountAddress].Nonce);
    }

    [Fact]
    public async Task A_duplicate_on_the_first_attempt_is_an_error()
    {
        var tx = Transfer(7UL);
        await Client.AddInvokeTransactionAsync(tx, Sign(tx));
        await Assert.ThrowsAsync<DuplicateTransactionException>(() => Client.AddInvokeTransactionAsync(tx, Sign(tx), retryTransportFailures: true));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":999999,"result":5}""", "id")]
    [InlineData("""{"jsonrpc":"1.0","id":1,"result":5}""", "2.0")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":5,"error":{"code":1,"message":"x"}}""", "exactly one")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"result":"0x5"}""", "does not match spec")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"error":{"message":"no code"}}""", "malformed error")]
    public async Task Answers_that_are_not_json_rpc_for_this_request_are_protocol_errors(string body, string expected)
    {
        Node.Faults.Enqueue(new Fault.RawBody(body));
        var error = await Assert.ThrowsAsync<StarknetRpcProtocolException>(() => Client.GetBlockNumberAsync());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Single(Node.Requests);
    }

    [Fact]
    public async Task A_2xx_that_is_not_json_rpc_is_a_protocol_error()
    {
        Node.Faults.Enqueue(new Fault.Status(200, "<html>captive portal</html>"));
        await Assert.ThrowsAsync<StarknetRpcProtocolException>(() => Client.GetBlockNumberAsync());
        Assert.Single(Node.Requests);
    }

    [Fact]
    public async Task Felts_in_results_must_be_hex()
    {
        Node.Faults.Enqueue(new Fault.RawBody("""{"jsonrpc":"2.0","id":1,"result":"12345"}"""));
        await Assert.ThrowsAsync<StarknetRpcProtocolException>(() => Client.GetNonceAsync(AccountAddress, BlockId.Latest));
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"starknet_getNonce","params":["latest","0x1"]}""", "by name")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"starknet_getNonce","params":{"block_id":"latest","contract_address":"0x01"}}""", "FELT")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"starknet_getNonce","params":{"block_id":"pending","contract_address":"0x1"}}""", "block_id")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"starknet_getNonce","params":{"contract_address":"0x1"}}""", "required")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"starknet_getEvents","params":{"filter":{"address":"0x1"}}}""", "chunk_size")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"starknet_getEvents","params":{"filter":{"chunk_size":0}}}""", "chunk_size")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"starknet_call","params":{"request":{"contract_address":"0x1","entry_point_selector":"0x2"},"block_id":"latest"}}""", "calldata")]
    public async Task The_fake_node_refuses_requests_that_break_the_spec_schemas(string body, string expected)
    {
        AllowSchemaViolations = true;
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(Node.Endpoint, content);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());
        Assert.Contains(expected, error.GetProperty("data").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fake_node_refuses_an_invoke_without_l1_data_gas_bounds()
    {
        AllowSchemaViolations = true;
        var tx = Transfer(7UL);
        var wire = JsonNode.Parse(InvokeWireJson(tx))!.AsObject();
        wire["resource_bounds"]!.AsObject().Remove("l1_data_gas");
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "starknet_addInvokeTransaction", ["params"] = new JsonObject { ["invoke_transaction"] = wire } };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(Node.Endpoint, content);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        Assert.Contains("l1_data_gas", error.GetProperty("data").GetString(), StringComparison.Ordinal);
        Assert.Empty(Node.Transactions);
    }

    private static string InvokeWireJson(InvokeV3Transaction tx)
    {
        // The client's own wire form, so that only the removed member makes the request wrong.
        var signature = Sign(tx);
        return System.Text.Json.JsonSerializer.Serialize(
            InvokeV3Wire.From(tx, [signature.R, signature.S]), StarknetRpcJsonContext.Default.InvokeV3Wire);
    }
}

internal static class OptionsExtensions
{
    public static StarknetRpcOptions With(this StarknetRpcOptions options, Action<StarknetRpcOptions> change)
    {
        change(options);
        return options;
    }
}
