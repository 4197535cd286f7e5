using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AstraTrade.Starknet.Tests.Rpc;

/// <summary>
/// A Starknet node as far as the JSON-RPC client sees it, on Kestrel at 127.0.0.1 (a free port). Every request is checked
/// against the request schemas of starknet-specs 0.10.3 (envelope, method, params by name, FELT/u64/u128 patterns,
/// BLOCK_ID, FUNCTION_CALL, BROADCASTED_INVOKE_TXN v3, EVENT_FILTER + RESULT_PAGE_REQUEST); a request that does not match
/// gets -32602 and is recorded in <see cref="SchemaViolations"/>. Answers are written by hand in the spec's response
/// shapes, independently of the client's serializer. State is small but real: accounts with Stark public keys and
/// nonces (INVOKE v3 signatures are verified against the hash recomputed from the received fields), a mempool, blocks
/// that <see cref="CloseBlock"/> seals, and events paged with continuation tokens. Transport faults are injected per
/// HTTP request with <see cref="Faults"/>.
/// </summary>
public sealed partial class FakeStarknetNode : IAsyncDisposable
{
    public const string Path = "/rpc/v0_10";
    private static readonly BigInteger P = Felt.Prime;
    private readonly object _gate = new();
    private readonly WebApplication _app;
    private readonly HashSet<string> _issuedTokens = new(StringComparer.Ordinal);

    private FakeStarknetNode(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    public Felt ChainId { get; set; } = StarknetChainId.Sepolia;

    public ulong LatestBlock { get; private set; } = 812_345;

    public int MaxChunkSize { get; set; } = 50;

    public int MaxKeysInFilter { get; set; } = 16;

    /// <summary>Break the paging contract: every page carries the same token (a client must not loop forever).</summary>
    public bool RepeatContinuationToken { get; set; }

    /// <summary>The next executed transaction reverts with this reason.</summary>
    public string? RevertNextWith { get; set; }

    public ConcurrentQueue<Fault> Faults { get; } = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> SchemaViolations { get; } = new();

    public Dictionary<Felt, FakeAccount> Accounts { get; } = [];

    /// <summary>View functions by (contract, selector); a function throws <see cref="ContractRevert"/> to fail.</summary>
    public Dictionary<(Felt Contract, Felt Selector), Func<IReadOnlyList<Felt>, Felt[]>> Functions { get; } = [];

    public Dictionary<Felt, FakeTransaction> Transactions { get; } = [];

    public List<FakeEvent> Events { get; } = [];

    public int RequestCount(string method) => Requests.Count(r => r.Method == method);

    public static async Task<FakeStarknetNode> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeStarknetNode? node = null;
        app.MapPost(Path, (HttpContext context) => node!.HandleAsync(context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        node = new FakeStarknetNode(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + Path));
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public FakeAccount AddAccount(Felt address, StarkPoint publicKey, Felt nonce = default, BigInteger? balance = null)
    {
        var account = new FakeAccount(address, publicKey) { Nonce = nonce, Balance = balance ?? BigInteger.Pow(10, 21) };
        lock (_gate)
        {
            Accounts[address] = account;
        }

        return account;
    }

    /// <summary>Executes the mempool into block LatestBlock + 1 (pre-confirmed) or seals it (ACCEPTED_ON_L2).</summary>
    public void CloseBlock(bool preConfirmedOnly = false)
    {
        lock (_gate)
        {
            var number = LatestBlock + 1;
            var index = 0;
            foreach (var tx in Transactions.Values.Where(t => t.Status is "RECEIVED" or "PRE_CONFIRMED").OrderBy(t => t.Sequence))
            {
                if (tx.Status == "RECEIVED")
                {
                    tx.RevertReason = RevertNextWith;
                    RevertNextWith = null;
                    tx.TransactionIndex = index++;
                    tx.BlockNumber = number;
                    if (tx.RevertReason is null)
                    {
                        // The account emits one event per executed transaction: keys [selector("transaction_executed"), hash].
                        tx.Events.Add(new FakeEvent(number, null, tx.Hash, tx.TransactionIndex, 0, tx.Sender,
                            [Selectors.GetSelectorFromName("transaction_executed"), tx.Hash], [tx.Nonce]));
                    }
                }

                tx.Status = preConfirmedOnly ? "PRE_CONFIRMED" : "ACCEPTED_ON_L2";
            }

            if (!preConfirmedOnly)
            {
                LatestBlock = number;
                foreach (var tx in Transactions.Values.Where(t => t.BlockNumber == number))
                {
                    tx.BlockHash = BlockHashOf(number);
                    foreach (var e in tx.Events)
                    {
                        Events.Add(e with { BlockHash = tx.BlockHash });
                    }
                }
            }
        }
    }

    public static Felt BlockHashOf(ulong number) => Poseidon.Hash(ShortString.Encode("fake block"), number);

    // ------------------------------------------------------------------------------------------------------------------
    // HTTP

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.ContentType is not { } contentType || !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            SchemaViolations.Enqueue($"content type {context.Request.ContentType}");
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        string? method = null;
        try
        {
            method = JsonNode.Parse(body)?["method"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
        }

        Requests.Enqueue(new RecordedRequest(method ?? "?", body));
        Faults.TryDequeue(out var fault);
        switch (fault)
        {
            case Fault.Status s:
                context.Response.StatusCode = s.Code;
                if (s.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                context.Response.ContentType = s.Body.StartsWith('{') ? "application/json" : "text/plain";
                await context.Response.WriteAsync(s.Body, context.RequestAborted);
                return;
            case Fault.Abort:
                context.Abort();
                return;
            case Fault.Delay d:
                await Task.Delay(d.Duration, context.RequestAborted);
                break;
        }

        var (status, response) = Process(body, fault);
        if (fault is Fault.AnswerLost)
        {
            // The request took effect; only the answer never arrives.
            context.Abort();
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(response.ToJsonString(), context.RequestAborted);
    }

    private (int Status, JsonObject Response) Process(string body, Fault? fault)
    {
        JsonNode? id = null;
        try
        {
            JsonNode? root;
            try
            {
                root = JsonNode.Parse(body);
            }
            catch (JsonException parseError)
            {
                throw new RpcError(StarknetRpcCodes.ParseError, "Parse error", JsonValue.Create(parseError.Message));
            }

            if (root is not JsonObject request)
            {
                throw Invalid("$", "the request must be an object (batches are not used by the client)");
            }

            id = request["id"]?.DeepClone();
            ValidateEnvelope(request);
            var method = request["method"]!.GetValue<string>();
            var parameters = request["params"] as JsonObject ?? [];
            if (fault is Fault.RpcErrorFault e)
            {
                throw new RpcError(e.Code, e.Message, e.Data?.DeepClone());
            }

            if (fault is Fault.RawBody raw)
            {
                return (raw.HttpStatus, JsonNode.Parse(raw.Body)!.AsObject());
            }

            JsonNode? result;
            lock (_gate)
            {
                result = Dispatch(method, parameters);
            }

            return (200, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result });
        }
        catch (RpcError e)
        {
            if ((e.Code == StarknetRpcCodes.InvalidParams || e.Code == StarknetRpcCodes.InvalidRequest) && fault is not Fault.RpcErrorFault)
            {
                SchemaViolations.Enqueue(e.Message + ": " + e.ErrorData?.ToJsonString());
            }

            var error = new JsonObject { ["code"] = e.Code, ["message"] = e.Message };
            if (e.ErrorData is not null)
            {
                error["data"] = e.ErrorData;
            }

            var status = fault is Fault.ErrorWithHttpStatus h ? h.HttpStatus : 200;
            return (status, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error });
        }
    }

    private JsonNode? Dispatch(string method, JsonObject p)
    {
        switch (method)
        {
            case "starknet_specVersion":
                CheckParams(p);
                return "0.10.3";
            case "starknet_chainId":
                CheckParams(p);
                return ChainId.ToHexString();
            case "starknet_blockNumber":
                CheckParams(p);
                return LatestBlock;
            case "starknet_call":
            {
                CheckParams(p, ("request", true, ValidateFunctionCall), ("block_id", true, ValidateBlockId));
                CheckBlock(p["block_id"]!);
                var call = p["request"]!;
                var contract = F(call["contract_address"]!);
                var selector = F(call["entry_point_selector"]!);
                if (!Functions.Keys.Any(k => k.Contract == contract) && !Accounts.ContainsKey(contract))
                {
                    throw new RpcError(StarknetRpcCodes.ContractNotFound, "Contract not found");
                }

                if (!Functions.TryGetValue((contract, selector), out var function))
                {
                    throw new RpcError(StarknetRpcCodes.EntryPointNotFound, "Requested entry point does not exist in the contract");
                }

                try
                {
                    return Felts(function(call["calldata"]!.AsArray().Select(F).ToArray()));
                }
                catch (ContractRevert revert)
                {
                    throw new RpcError(StarknetRpcCodes.ContractError, "Contract error", new JsonObject
                    {
                        ["revert_error"] = new JsonObject
                        {
                            ["contract_address"] = contract.ToHexString(),
                            ["class_hash"] = "0x1234",
                            ["selector"] = selector.ToHexString(),
                            ["error"] = revert.Message,
                        },
                    });
                }
            }

            case "starknet_getNonce":
            {
                CheckParams(p, ("block_id", true, ValidateBlockId), ("contract_address", true, ValidateFelt));
                CheckBlock(p["block_id"]!);
                return Accounts.TryGetValue(F(p["contract_address"]!), out var account)
                    ? account.Nonce.ToHexString()
                    : throw new RpcError(StarknetRpcCodes.ContractNotFound, "Contract not found");
            }

            case "starknet_estimateFee":
                CheckParams(p,
                    ("request", true, (n, path) => ValidateArray(n, path, ValidateBroadcastedInvoke)),
                    ("simulation_flags", true, (n, path) => ValidateArray(n, path, (f, fp) => ValidateEnum(f, fp, "SKIP_VALIDATE"))),
                    ("block_id", true, ValidateBlockId));
                CheckBlock(p["block_id"]!);
                return EstimateFee(p["request"]!.AsArray(), p["simulation_flags"]!.AsArray().Count > 0);
            case "starknet_addInvokeTransaction":
                CheckParams(p, ("invoke_transaction", true, ValidateBroadcastedInvoke));
                return AddInvoke(p["invoke_transaction"]!.AsObject());
            case "starknet_getTransactionStatus":
            {
                CheckParams(p, ("transaction_hash", true, ValidateFelt));
                var tx = Find(F(p["transaction_hash"]!));
                var status = new JsonObject { ["finality_status"] = tx.Status };
                if (tx.Status != "RECEIVED")
                {
                    status["execution_status"] = tx.RevertReason is null ? "SUCCEEDED" : "REVERTED";
                    if (tx.RevertReason is not null)
                    {
                        status["failure_reason"] = tx.RevertReason;
                    }
                }

                return status;
            }

            case "starknet_getTransactionReceipt":
            {
                CheckParams(p, ("transaction_hash", true, ValidateFelt));
                var tx = Find(F(p["transaction_hash"]!));
                if (tx.Status == "RECEIVED")
                {
                    throw new RpcError(StarknetRpcCodes.TxnHashNotFound, "Transaction hash not found");
                }

                return Receipt(tx);
            }

            case "starknet_getEvents":
                CheckParams(p, ("filter", true, ValidateEventsRequest));
                return GetEvents(p["filter"]!.AsObject());
            default:
                throw new RpcError(StarknetRpcCodes.MethodNotFound, "Method not found", JsonValue.Create(method));
        }
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Behaviour

    private JsonNode EstimateFee(JsonArray transactions, bool skipValidate)
    {
        var estimates = new JsonArray();
        var nonces = new Dictionary<Felt, Felt>();
        for (var i = 0; i < transactions.Count; i++)
        {
            var wire = transactions[i]!.AsObject();
            var sender = F(wire["sender_address"]!);
            if (!Accounts.TryGetValue(sender, out var account))
            {
                throw new RpcError(StarknetRpcCodes.ContractNotFound, "Contract not found");
            }

            var expectedNonce = nonces.TryGetValue(sender, out var n) ? n : account.Nonce;
            var tx = ToTransaction(wire);
            var problem = tx.Nonce != expectedNonce ? $"invalid nonce {tx.Nonce}, expected {expectedNonce}"
                : skipValidate || SignatureValid(account, tx, wire) ? null
                : "invalid signature";
            if (problem is not null)
            {
                throw new RpcError(StarknetRpcCodes.TransactionExecutionError, "Transaction execution error", new JsonObject
                {
                    ["transaction_index"] = i,
                    ["execution_error"] = new JsonObject
                    {
                        ["contract_address"] = sender.ToHexString(),
                        ["class_hash"] = "0x1234",
                        ["selector"] = Selectors.GetSelectorFromName("__validate__").ToHexString(),
                        ["error"] = problem,
                    },
                });
            }

            nonces[sender] = tx.Nonce + Felt.One;
            ulong l2Gas = 800_000UL + (ulong)(tx.Calldata.Count * 10_000);
            const ulong l1DataGas = 192;
            var l2Price = (UInt128)8_000_000_000UL;
            var l1Price = (UInt128)30_000_000_000_000UL;
            var l1DataPrice = (UInt128)1_000UL;
            var overall = (l2Gas * l2Price) + (l1DataGas * l1DataPrice);
            estimates.Add(new JsonObject
            {
                ["l1_gas_consumed"] = "0x0",
                ["l1_gas_price"] = Hex(l1Price),
                ["l2_gas_consumed"] = Hex(l2Gas),
                ["l2_gas_price"] = Hex(l2Price),
                ["l1_data_gas_consumed"] = Hex(l1DataGas),
                ["l1_data_gas_price"] = Hex(l1DataPrice),
                ["overall_fee"] = Hex(overall),
                ["unit"] = "FRI",
            });
        }

        return estimates;
    }

    private JsonNode AddInvoke(JsonObject wire)
    {
        if (wire["version"]!.GetValue<string>() != "0x3")
        {
            throw new RpcError(StarknetRpcCodes.UnsupportedTxVersion, "the transaction version is not supported");
        }

        var tx = ToTransaction(wire);
        if (!Accounts.TryGetValue(tx.SenderAddress, out var account))
        {
            throw new RpcError(StarknetRpcCodes.NonAccount, "Sender address is not an account contract");
        }

        var hash = InvokeV3Hash.Compute(tx);
        if (Transactions.ContainsKey(hash))
        {
            throw new RpcError(StarknetRpcCodes.DuplicateTx, "A transaction with the same hash already exists in the mempool");
        }

        if (tx.Nonce != account.Nonce)
        {
            throw new RpcError(StarknetRpcCodes.InvalidTransactionNonce, "Invalid transaction nonce",
                JsonValue.Create($"Invalid transaction nonce of contract at address {tx.SenderAddress}. Account nonce: {account.Nonce}; got: {tx.Nonce}."));
        }

        var b = tx.ResourceBounds;
        var maxFee = ((BigInteger)b.L1Gas.MaxAmount * b.L1Gas.MaxPricePerUnit) + ((BigInteger)b.L2Gas.MaxAmount * b.L2Gas.MaxPricePerUnit)
            + ((BigInteger)b.L1DataGas.MaxAmount * b.L1DataGas.MaxPricePerUnit);
        if (maxFee > account.Balance)
        {
            throw new RpcError(StarknetRpcCodes.InsufficientAccountBalance,
                "Account balance is smaller than the transaction's maximal fee (calculated as the sum of each resource's limit x max price)");
        }

        if (!SignatureValid(account, tx, wire))
        {
            throw new RpcError(StarknetRpcCodes.ValidationFailure, "Account validation failed", JsonValue.Create("invalid signature"));
        }

        account.Nonce += Felt.One;
        Transactions[hash] = new FakeTransaction(hash, tx.SenderAddress, tx.Nonce, Transactions.Count, wire.ToJsonString());
        return new JsonObject { ["transaction_hash"] = hash.ToHexString() };
    }

    private static bool SignatureValid(FakeAccount account, InvokeV3Transaction tx, JsonObject wire)
    {
        var signature = wire["signature"]!.AsArray().Select(F).ToArray();
        // __validate__ of an OpenZeppelin-style account: [r, s] over the hash the node computes with its own chain id.
        return signature.Length == 2 && StarkEcdsa.Verify(InvokeV3Hash.Compute(tx), new StarkSignature(signature[0], signature[1]), account.PublicKey);
    }

    private InvokeV3Transaction ToTransaction(JsonObject wire)
    {
        var rb = wire["resource_bounds"]!;
        ResourceBound Bound(string name) => new(
            ulong.Parse(rb[name]!["max_amount"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            UInt128.Parse(rb[name]!["max_price_per_unit"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return new InvokeV3Transaction
        {
            SenderAddress = F(wire["sender_address"]!),
            Calldata = wire["calldata"]!.AsArray().Select(F).ToArray(),
            ChainId = ChainId,
            Nonce = F(wire["nonce"]!),
            Version = F(wire["version"]!),
            ResourceBounds = new ResourceBounds(Bound("l1_gas"), Bound("l2_gas"), Bound("l1_data_gas")),
            Tip = ulong.Parse(wire["tip"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            PaymasterData = wire["paymaster_data"]!.AsArray().Select(F).ToArray(),
            AccountDeploymentData = wire["account_deployment_data"]!.AsArray().Select(F).ToArray(),
            NonceDataAvailabilityMode = Enum.Parse<DataAvailabilityMode>(wire["nonce_data_availability_mode"]!.GetValue<string>()),
            FeeDataAvailabilityMode = Enum.Parse<DataAvailabilityMode>(wire["fee_data_availability_mode"]!.GetValue<string>()),
            ProofFacts = wire["proof_facts"]?.AsArray().Select(F).ToArray() ?? [],
        };
    }

    private FakeTransaction Find(Felt hash) =>
        Transactions.TryGetValue(hash, out var tx) ? tx : throw new RpcError(StarknetRpcCodes.TxnHashNotFound, "Transaction hash not found");

    private static JsonObject Receipt(FakeTransaction tx)
    {
        var receipt = new JsonObject
        {
            ["type"] = "INVOKE",
            ["transaction_hash"] = tx.Hash.ToHexString(),
            ["actual_fee"] = new JsonObject { ["amount"] = "0x1b48eb57e000", ["unit"] = "FRI" },
            ["finality_status"] = tx.Status,
            ["execution_status"] = tx.RevertReason is null ? "SUCCEEDED" : "REVERTED",
            ["messages_sent"] = new JsonArray(),
            ["events"] = new JsonArray(tx.Events.Select(e => (JsonNode)new JsonObject
            {
                ["from_address"] = e.FromAddress.ToHexString(),
                ["keys"] = Felts(e.Keys),
                ["data"] = Felts(e.Data),
            }).ToArray()),
            ["execution_resources"] = new JsonObject { ["l1_gas"] = 0, ["l1_data_gas"] = 192, ["l2_gas"] = 812_340 },
            ["block_number"] = tx.BlockNumber,
        };
        if (tx.RevertReason is not null)
        {
            receipt["revert_reason"] = tx.RevertReason;
        }

        if (tx.BlockHash is { } blockHash)
        {
            receipt["block_hash"] = blockHash.ToHexString();
        }

        return receipt;
    }

    private JsonNode GetEvents(JsonObject filter)
    {
        var chunkSize = filter["chunk_size"]!.GetValue<int>();
        if (chunkSize > MaxChunkSize)
        {
            throw new RpcError(StarknetRpcCodes.PageSizeTooBig, "Requested page size is too big");
        }

        var keys = filter["keys"]?.AsArray().Select(k => k!.AsArray().Select(F).ToHashSet()).ToList() ?? [];
        if (keys.Count > MaxKeysInFilter)
        {
            throw new RpcError(StarknetRpcCodes.TooManyKeysInFilter, "Too many keys provided in a filter");
        }

        var from = filter["from_block"] is { } f ? BlockNumberOf(f) : 0;
        var to = filter["to_block"] is { } t ? BlockNumberOf(t) : LatestBlock;
        var addresses = filter["address"] switch
        {
            null => null,
            JsonArray a => a.Select(F).ToHashSet(),
            var single => new HashSet<Felt> { F(single) },
        };

        var offset = 0;
        if (filter["continuation_token"]?.GetValue<string>() is { } token)
        {
            var match = TokenPattern().Match(token);
            if (!_issuedTokens.Contains(token) || !match.Success)
            {
                throw new RpcError(StarknetRpcCodes.InvalidContinuationToken, "The supplied continuation token is invalid or unknown");
            }

            offset = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var matching = Events
            .Where(e => e.BlockNumber >= from && e.BlockNumber <= to)
            .Where(e => addresses is null || addresses.Count == 0 || addresses.Contains(e.FromAddress))
            .Where(e => keys.Select((allowed, i) => allowed.Count == 0 || (i < e.Keys.Count && allowed.Contains(e.Keys[i]))).All(ok => ok))
            .ToList();
        var page = matching.Skip(offset).Take(chunkSize).ToList();
        var chunk = new JsonObject
        {
            ["events"] = new JsonArray(page.Select(e =>
            {
                var o = new JsonObject
                {
                    ["from_address"] = e.FromAddress.ToHexString(),
                    ["keys"] = Felts(e.Keys),
                    ["data"] = Felts(e.Data),
                    ["block_number"] = e.BlockNumber,
                    ["transaction_hash"] = e.TransactionHash.ToHexString(),
                    ["transaction_index"] = e.TransactionIndex,
                    ["event_index"] = e.EventIndex,
                };
                if (e.BlockHash is { } h)
                {
                    o["block_hash"] = h.ToHexString();
                }

                return (JsonNode)o;
            }).ToArray()),
        };
        if (offset + page.Count < matching.Count || RepeatContinuationToken)
        {
            var next = RepeatContinuationToken ? "page-1-x" : $"page-{offset + page.Count}-{Guid.NewGuid():N}";
            _issuedTokens.Add(next);
            chunk["continuation_token"] = next;
        }

        return chunk;
    }

    [GeneratedRegex("^page-([0-9]+)-[0-9a-z]+$")]
    private static partial Regex TokenPattern();

    private ulong BlockNumberOf(JsonNode blockId) => blockId switch
    {
        JsonValue v => v.GetValue<string>() == "pre_confirmed" ? LatestBlock + 1 : LatestBlock,
        JsonObject o when o["block_number"] is { } n => n.GetValue<ulong>(),
        JsonObject o => Enumerable.Range(0, (int)Math.Min(LatestBlock + 1, 100)).Select(i => LatestBlock - (ulong)i)
            .FirstOrDefault(n => BlockHashOf(n) == F(o["block_hash"]!), ulong.MaxValue),
        _ => LatestBlock,
    };

    private void CheckBlock(JsonNode blockId)
    {
        var number = BlockNumberOf(blockId);
        if (number == ulong.MaxValue || (blockId is JsonObject && number > LatestBlock))
        {
            throw new RpcError(StarknetRpcCodes.BlockNotFound, "Block not found");
        }
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Request schema checks (starknet-specs 0.10.3)

    private delegate void Validator(JsonNode? node, string path);

    private static void ValidateEnvelope(JsonObject request)
    {
        foreach (var (name, _) in request)
        {
            if (name is not ("jsonrpc" or "id" or "method" or "params"))
            {
                throw new RpcError(StarknetRpcCodes.InvalidRequest, "Invalid request", JsonValue.Create($"unknown member '{name}'"));
            }
        }

        if (request["jsonrpc"] is not JsonValue v || v.GetValueKind() != JsonValueKind.String || v.GetValue<string>() != "2.0")
        {
            throw new RpcError(StarknetRpcCodes.InvalidRequest, "Invalid request", JsonValue.Create("jsonrpc must be \"2.0\""));
        }

        // The client always expects an answer, so a request without an id (a notification) is a client bug here.
        if (request["id"] is not JsonValue id || id.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String))
        {
            throw new RpcError(StarknetRpcCodes.InvalidRequest, "Invalid request", JsonValue.Create("id must be a number or a string"));
        }

        if (request["method"] is not JsonValue m || m.GetValueKind() != JsonValueKind.String)
        {
            throw new RpcError(StarknetRpcCodes.InvalidRequest, "Invalid request", JsonValue.Create("method must be a string"));
        }

        if (request.ContainsKey("params") && request["params"] is not JsonObject)
        {
            throw Invalid("$.params", "params must be an object (by name), as the client sends them");
        }
    }

    private static void CheckParams(JsonObject parameters, params (string Name, bool Required, Validator Validate)[] spec)
    {
        foreach (var (name, _) in parameters)
        {
            if (spec.All(s => s.Name != name))
            {
                throw Invalid("$.params." + name, "not a parameter of this method");
            }
        }

        foreach (var (name, required, validate) in spec)
        {
            if (!parameters.TryGetPropertyValue(name, out var value))
            {
                if (required)
                {
                    throw Invalid("$.params." + name, "required parameter missing");
                }

                continue;
            }

            validate(value, "$.params." + name);
        }
    }

    private static void ValidateObject(JsonNode? node, string path, (string Name, bool Required, Validator Validate)[] members)
    {
        if (node is not JsonObject o)
        {
            throw Invalid(path, "expected an object");
        }

        foreach (var (name, _) in o)
        {
            if (members.All(m => m.Name != name))
            {
                throw Invalid($"{path}.{name}", "unknown member");
            }
        }

        foreach (var (name, required, validate) in members)
        {
            if (o.TryGetPropertyValue(name, out var value))
            {
                validate(value, $"{path}.{name}");
            }
            else if (required)
            {
                throw Invalid($"{path}.{name}", "required member missing");
            }
        }
    }

    private static void ValidatePattern(JsonNode? node, string path, Regex pattern, string what)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String || !pattern.IsMatch(v.GetValue<string>()))
        {
            throw Invalid(path, $"expected {what}, got {node?.ToJsonString() ?? "null"}");
        }
    }

    private static void ValidateFelt(JsonNode? node, string path)
    {
        ValidatePattern(node, path, FeltPattern(), "FELT");
        if (BigInteger.Parse("0" + node!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture) >= P)
        {
            throw Invalid(path, "FELT not below P");
        }
    }

    private static void ValidateU64(JsonNode? node, string path) => ValidatePattern(node, path, U64Pattern(), "u64");

    private static void ValidateU128(JsonNode? node, string path) => ValidatePattern(node, path, U128Pattern(), "u128");

    private static void ValidateEnum(JsonNode? node, string path, params string[] values)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String || !values.Contains(v.GetValue<string>()))
        {
            throw Invalid(path, $"expected one of {string.Join(", ", values)}");
        }
    }

    private static void ValidateArray(JsonNode? node, string path, Validator item)
    {
        if (node is not JsonArray a)
        {
            throw Invalid(path, "expected an array");
        }

        for (var i = 0; i < a.Count; i++)
        {
            item(a[i], $"{path}[{i}]");
        }
    }

    private static void ValidateFelts(JsonNode? node, string path) => ValidateArray(node, path, ValidateFelt);

    private static void ValidateNonNegativeInteger(JsonNode? node, string path, long minimum)
    {
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<long>(out var n) || n < minimum)
        {
            throw Invalid(path, $"expected an integer >= {minimum}");
        }
    }

    private static void ValidateBlockId(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonValue:
                ValidateEnum(node, path, "l1_accepted", "latest", "pre_confirmed");
                break;
            case JsonObject o when o.ContainsKey("block_hash"):
                ValidateObject(o, path, [("block_hash", true, ValidateFelt)]);
                break;
            case JsonObject o:
                ValidateObject(o, path, [("block_number", true, (n, p) => ValidateNonNegativeInteger(n, p, 0))]);
                break;
            default:
                throw Invalid(path, "expected a BLOCK_ID");
        }
    }

    private static void ValidateFunctionCall(JsonNode? node, string path) => ValidateObject(node, path,
    [
        ("contract_address", true, ValidateFelt),
        ("entry_point_selector", true, ValidateFelt),
        ("calldata", true, ValidateFelts),
    ]);

    private static void ValidateResourceBounds(JsonNode? node, string path)
    {
        Validator bound = (n, p) => ValidateObject(n, p, [("max_amount", true, ValidateU64), ("max_price_per_unit", true, ValidateU128)]);
        ValidateObject(node, path, [("l1_gas", true, bound), ("l1_data_gas", true, bound), ("l2_gas", true, bound)]);
    }

    private static void ValidateBroadcastedInvoke(JsonNode? node, string path) => ValidateObject(node, path,
    [
        ("type", true, (n, p) => ValidateEnum(n, p, "INVOKE")),
        ("sender_address", true, ValidateFelt),
        ("calldata", true, ValidateFelts),
        ("version", true, (n, p) => ValidateEnum(n, p, "0x3", "0x100000000000000000000000000000003")),
        ("signature", true, ValidateFelts),
        ("nonce", true, ValidateFelt),
        ("resource_bounds", true, ValidateResourceBounds),
        ("tip", true, ValidateU64),
        ("paymaster_data", true, ValidateFelts),
        ("account_deployment_data", true, ValidateFelts),
        ("nonce_data_availability_mode", true, (n, p) => ValidateEnum(n, p, "L1", "L2")),
        ("fee_data_availability_mode", true, (n, p) => ValidateEnum(n, p, "L1", "L2")),
        ("proof_facts", false, ValidateFelts),
        ("proof", false, (n, p) => ValidatePattern(n, p, Base64Pattern(), "PROOF (base64)")),
    ]);

    private static void ValidateEventsRequest(JsonNode? node, string path) => ValidateObject(node, path,
    [
        ("from_block", false, ValidateBlockId),
        ("to_block", false, ValidateBlockId),
        ("address", false, (n, p) =>
        {
            if (n is JsonArray)
            {
                ValidateFelts(n, p);
            }
            else
            {
                ValidateFelt(n, p);
            }
        }),
        ("keys", false, (n, p) => ValidateArray(n, p, ValidateFelts)),
        ("continuation_token", false, (n, p) => ValidatePattern(n, p, AnyString(), "a string")),
        ("chunk_size", true, (n, p) => ValidateNonNegativeInteger(n, p, 1)),
    ]);

    private static RpcError Invalid(string path, string why) =>
        new(StarknetRpcCodes.InvalidParams, "Invalid params", JsonValue.Create($"{path}: {why}"));

    [GeneratedRegex("^0x(0|[a-fA-F1-9]{1}[a-fA-F0-9]{0,62})$")]
    private static partial Regex FeltPattern();

    [GeneratedRegex("^0x(0|[a-fA-F1-9]{1}[a-fA-F0-9]{0,15})$")]
    private static partial Regex U64Pattern();

    [GeneratedRegex("^0x(0|[a-fA-F1-9]{1}[a-fA-F0-9]{0,31})$")]
    private static partial Regex U128Pattern();

    [GeneratedRegex("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)?$")]
    private static partial Regex Base64Pattern();

    [GeneratedRegex("^")]
    private static partial Regex AnyString();

    private static Felt F(JsonNode? node) => Felt.Parse(node!.GetValue<string>());

    private static JsonArray Felts(IEnumerable<Felt> felts) => new(felts.Select(f => (JsonNode)JsonValue.Create(f.ToHexString())).ToArray());

    private static string Hex(UInt128 value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Hex(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private sealed class RpcError(int code, string message, JsonNode? data = null) : Exception(message)
    {
        public int Code { get; } = code;

        public JsonNode? ErrorData { get; } = data;
    }
}

/// <summary>The spec's error codes, written out again here so that the fake does not take them from the client.</summary>
internal static class StarknetRpcCodes
{
    public const int ContractNotFound = 20;
    public const int EntryPointNotFound = 21;
    public const int BlockNotFound = 24;
    public const int TxnHashNotFound = 29;
    public const int PageSizeTooBig = 31;
    public const int InvalidContinuationToken = 33;
    public const int TooManyKeysInFilter = 34;
    public const int ContractError = 40;
    public const int TransactionExecutionError = 41;
    public const int InvalidTransactionNonce = 52;
    public const int InsufficientAccountBalance = 54;
    public const int ValidationFailure = 55;
    public const int NonAccount = 58;
    public const int DuplicateTx = 59;
    public const int UnsupportedTxVersion = 61;
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
}

public sealed record RecordedRequest(string Method, string Body);

public sealed class FakeAccount(Felt address, StarkPoint publicKey)
{
    public Felt Address { get; } = address;

    public StarkPoint PublicKey { get; } = publicKey;

    public Felt Nonce { get; set; }

    public BigInteger Balance { get; set; }
}

public sealed class FakeTransaction(Felt hash, Felt sender, Felt nonce, int sequence, string wireJson)
{
    public Felt Hash { get; } = hash;

    public Felt Sender { get; } = sender;

    public Felt Nonce { get; } = nonce;

    public int Sequence { get; } = sequence;

    /// <summary>The BROADCASTED_INVOKE_TXN as received.</summary>
    public string WireJson { get; } = wireJson;

    public string Status { get; set; } = "RECEIVED";

    public string? RevertReason { get; set; }

    public ulong BlockNumber { get; set; }

    public Felt? BlockHash { get; set; }

    public int TransactionIndex { get; set; }

    public List<FakeEvent> Events { get; } = [];
}

public sealed record FakeEvent(
    ulong BlockNumber, Felt? BlockHash, Felt TransactionHash, int TransactionIndex, int EventIndex, Felt FromAddress,
    IReadOnlyList<Felt> Keys, IReadOnlyList<Felt> Data);

public sealed class ContractRevert(string message) : Exception(message);

/// <summary>What the fake does to one HTTP request instead of (or before) answering it.</summary>
public abstract record Fault
{
    /// <summary>Answer with this HTTP status and body (not JSON-RPC unless the body is).</summary>
    public sealed record Status(int Code, string Body = "upstream unavailable", int? RetryAfterSeconds = null) : Fault;

    /// <summary>Reset the connection without an answer.</summary>
    public sealed record Abort : Fault;

    /// <summary>Wait before handling the request (longer than the client's attempt time-out makes it a time-out).</summary>
    public sealed record Delay(TimeSpan Duration) : Fault;

    /// <summary>Handle the request (it takes effect) and then reset the connection: the answer is lost.</summary>
    public sealed record AnswerLost : Fault;

    /// <summary>Answer with this JSON-RPC error.</summary>
    public sealed record RpcErrorFault(int Code, string Message, JsonNode? Data = null) : Fault;

    /// <summary>Answer the JSON-RPC error the request causes, with this HTTP status.</summary>
    public sealed record ErrorWithHttpStatus(int HttpStatus) : Fault;

    /// <summary>Answer with this exact body.</summary>
    public sealed record RawBody(string Body, int HttpStatus = 200) : Fault;
}
