using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using AstraTrade.Contracts.Starknet;
using AstraTrade.Starknet;

namespace AstraTrade.Functions.FunctionalTests.Nft;

/// <summary>
/// A Starknet node on loopback for the NFT tests: the operator account, wallet accounts (SRC-6 <c>is_valid_signature</c>,
/// for sign-in and linking), the achievements contract and the Genesis ERC-721. An INVOKE v3 is admitted only if its
/// signature verifies, with <see cref="StarkEcdsa"/>, against the hash this node recomputes from what it received
/// (<see cref="InvokeV3Hash"/>, its own chain id), at a nonce not below the account's and not taken; it runs in a block the
/// first time its status is asked (after those before it), executing the account's multicall (a second record of one achievement, or a second mint of one token,
/// reverts). (The thorough node, with mempool rules, faults and interruptions, is the orchestration tests' FakeChainNode.)
/// </summary>
public sealed class FakeStarknetChain : IAsyncDisposable
{
    private static readonly Felt IsValidSignature = Selectors.GetSelectorFromName("is_valid_signature");
    private static readonly Felt RecordAchievement = Selectors.GetSelectorFromName(AchievementsContract.RecordAchievement);
    private static readonly Felt IsRecorded = Selectors.GetSelectorFromName(AchievementsContract.IsRecorded);
    private static readonly Felt Mint = Selectors.GetSelectorFromName(GenesisContract.Mint);
    private static readonly Felt OwnerOf = Selectors.GetSelectorFromName(GenesisContract.OwnerOf);

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<Felt, (Felt Sender, BigInteger Nonce, IReadOnlyList<Felt> Calldata, ulong? Block, string? Revert)> _transactions = [];
    private BigInteger _operatorNonce;
    private ulong _block = 500_000;

    private FakeStarknetChain(WebApplication app) => _app = app;

    public static readonly BigInteger OperatorKey = BigInteger.Parse("27182818284590452353602874713526624977572470936999", CultureInfo.InvariantCulture);
    public static readonly Felt Operator = Felt.Parse("0x0a57a0de0f01");
    public static readonly Felt Achievements = Felt.Parse("0x0a57a0de0fa1");
    public static readonly Felt Genesis = Felt.Parse("0x0a57a0de0fa2");

    public string Url { get; private set; } = "";

    /// <summary>Wallet accounts: address → Stark key.</summary>
    public ConcurrentDictionary<Felt, Felt> Wallets { get; } = new();

    public ConcurrentBag<(Felt Player, Felt Achievement)> Recorded { get; } = [];

    public ConcurrentDictionary<BigInteger, Felt> Owners { get; } = new();

    /// <summary>Hashes of every INVOKE admitted.</summary>
    public ConcurrentQueue<Felt> Invokes { get; } = new();

    /// <summary>The settings that point the app's operator account at this node.</summary>
    public Dictionary<string, string?> Settings => new()
    {
        ["Starknet:RpcUrl"] = Url,
        ["Starknet:ChainId"] = "SN_SEPOLIA",
        ["Starknet:Operator:Address"] = Operator.ToHexString(),
        ["Starknet:Operator:PrivateKey"] = "0x" + OperatorKey.ToString("x", CultureInfo.InvariantCulture),
        ["Starknet:Contracts:Achievements"] = Achievements.ToHexString(),
        ["Starknet:Contracts:Genesis"] = Genesis.ToHexString(),
    };

    public static async Task<FakeStarknetChain> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var chain = new FakeStarknetChain(app);
        app.MapPost("/", (Delegate)chain.HandleAsync);
        await app.StartAsync();
        chain.Url = app.Urls.Single();
        return chain;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var request = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        var id = request["id"]!.DeepClone();
        try
        {
            JsonNode? result;
            lock (_gate)
            {
                result = Dispatch(request["method"]!.GetValue<string>(), request["params"]!.AsObject());
            }

            return Results.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result });
        }
        catch (RpcError e)
        {
            var error = new JsonObject { ["code"] = e.Code, ["message"] = e.Message };
            if (e.ErrorData is not null)
            {
                error["data"] = e.ErrorData;
            }

            return Results.Json(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error });
        }
    }

    private JsonNode? Dispatch(string method, JsonObject p)
    {
        switch (method)
        {
            case "starknet_getNonce":
                return F(p["contract_address"]) == Operator ? Felt.FromBigInteger(_operatorNonce).ToHexString() : throw new RpcError(20, "Contract not found");
            case "starknet_call":
                return Call(p["request"]!.AsObject());
            case "starknet_estimateFee":
            {
                var wire = p["request"]!.AsArray().Single()!.AsObject();
                var tx = Transaction(wire);
                if (tx.Version != InvokeV3Hash.QueryVersion || !SignedByOperator(tx, wire) || tx.Nonce.ToBigInteger() < _operatorNonce)
                {
                    throw new RpcError(41, "Transaction execution error", new JsonObject { ["transaction_index"] = 0, ["execution_error"] = "invalid estimate request" });
                }

                return new JsonArray(new JsonObject
                {
                    ["l1_gas_consumed"] = "0x0", ["l1_gas_price"] = "0x1b48eb57e000", ["l2_gas_consumed"] = "0x927c0", ["l2_gas_price"] = "0x1dcd65000",
                    ["l1_data_gas_consumed"] = "0xa0", ["l1_data_gas_price"] = "0x3e8", ["overall_fee"] = "0x10f0cf064dd59200000", ["unit"] = "FRI",
                });
            }

            case "starknet_addInvokeTransaction":
            {
                var wire = p["invoke_transaction"]!.AsObject();
                var tx = Transaction(wire);
                var hash = InvokeV3Hash.Compute(tx);
                if (_transactions.ContainsKey(hash))
                {
                    throw new RpcError(59, "A transaction with the same hash already exists in the mempool");
                }

                if (tx.SenderAddress != Operator || tx.Nonce.ToBigInteger() < _operatorNonce
                    || _transactions.Values.Any(t => t.Block is null && t.Nonce == tx.Nonce.ToBigInteger()))
                {
                    throw new RpcError(52, "Invalid transaction nonce");
                }

                if (!SignedByOperator(tx, wire))
                {
                    throw new RpcError(55, "Account validation failed");
                }

                _transactions[hash] = (tx.SenderAddress, tx.Nonce.ToBigInteger(), tx.Calldata, null, null);
                Invokes.Enqueue(hash);
                return new JsonObject { ["transaction_hash"] = hash.ToHexString() };
            }

            case "starknet_getTransactionStatus":
            {
                var hash = F(p["transaction_hash"]);
                MineUpTo(hash);
                var tx = _transactions[hash];
                if (tx.Block is null)
                {
                    return new JsonObject { ["finality_status"] = "RECEIVED" };
                }

                var status = new JsonObject { ["finality_status"] = "ACCEPTED_ON_L2", ["execution_status"] = tx.Revert is null ? "SUCCEEDED" : "REVERTED" };
                if (tx.Revert is not null)
                {
                    status["failure_reason"] = tx.Revert;
                }

                return status;
            }

            case "starknet_getTransactionReceipt":
            {
                var hash = F(p["transaction_hash"]);
                MineUpTo(hash);
                var tx = _transactions[hash];
                if (tx.Block is null)
                {
                    throw new RpcError(29, "Transaction hash not found");
                }

                var receipt = new JsonObject
                {
                    ["type"] = "INVOKE", ["transaction_hash"] = hash.ToHexString(), ["actual_fee"] = new JsonObject { ["amount"] = "0x1", ["unit"] = "FRI" },
                    ["finality_status"] = "ACCEPTED_ON_L2", ["execution_status"] = tx.Revert is null ? "SUCCEEDED" : "REVERTED",
                    ["messages_sent"] = new JsonArray(), ["events"] = new JsonArray(),
                    ["execution_resources"] = new JsonObject { ["l1_gas"] = 0, ["l1_data_gas"] = 160, ["l2_gas"] = 600_000 },
                    ["block_hash"] = "0xb10c", ["block_number"] = tx.Block,
                };
                if (tx.Revert is not null)
                {
                    receipt["revert_reason"] = tx.Revert;
                }

                return receipt;
            }

            default:
                throw new RpcError(-32601, "Method not found");
        }
    }

    private JsonNode Call(JsonObject call)
    {
        var contract = F(call["contract_address"]);
        var selector = F(call["entry_point_selector"]);
        var data = call["calldata"]!.AsArray().Select(F).ToArray();
        if (Wallets.TryGetValue(contract, out var key) && selector == IsValidSignature)
        {
            // is_valid_signature(hash, signature: Array<felt252>) = [hash, len, r, s]
            return data.Length == 4 && StarkEcdsa.Verify(data[0], new StarkSignature(data[2], data[3]), key)
                ? new JsonArray(ShortString.Encode("VALID").ToHexString())
                : throw new RpcError(40, "Contract error", new JsonObject { ["revert_error"] = "invalid signature" });
        }

        if (contract == Achievements && selector == IsRecorded)
        {
            return new JsonArray(Recorded.Contains((data[0], data[1])) ? "0x1" : "0x0");
        }

        if (contract == Genesis && selector == OwnerOf)
        {
            return Owners.TryGetValue(data[0].ToBigInteger() + (data[1].ToBigInteger() << 128), out var owner)
                ? new JsonArray(owner.ToHexString())
                : throw new RpcError(40, "Contract error", new JsonObject { ["revert_error"] = "ERC721: invalid token ID" });
        }

        throw new RpcError(20, "Contract not found");
    }

    /// <summary>Runs the operator's waiting transactions, in nonce order without gaps, up to and including <paramref name="hash"/>.</summary>
    private void MineUpTo(Felt hash)
    {
        if (!_transactions.TryGetValue(hash, out var target))
        {
            throw new RpcError(29, "Transaction hash not found");
        }

        while (target.Block is null && _transactions.Any(t => t.Value.Block is null && t.Value.Nonce == _operatorNonce))
        {
            var (txHash, tx) = _transactions.First(t => t.Value.Block is null && t.Value.Nonce == _operatorNonce);
            _operatorNonce++;
            _transactions[txHash] = tx with { Block = ++_block, Revert = Execute(tx.Calldata) };
            target = _transactions[hash];
        }
    }

    /// <summary>The account's multicall [n, (to, selector, len, data…)…].</summary>
    private string? Execute(IReadOnlyList<Felt> calldata)
    {
        var to = calldata[1];
        var selector = calldata[2];
        var data = calldata.Skip(4).Take((int)calldata[3].ToBigInteger()).ToArray();
        if (to == Achievements && selector == RecordAchievement)
        {
            if (Recorded.Contains((data[0], data[1])))
            {
                return "Achievement already recorded";
            }

            Recorded.Add((data[0], data[1]));
            return null;
        }

        if (to == Genesis && selector == Mint)
        {
            var token = data[1].ToBigInteger() + (data[2].ToBigInteger() << 128);
            return Owners.TryAdd(token, data[0]) ? null : "ERC721: token already minted";
        }

        return "ENTRYPOINT_NOT_FOUND";
    }

    private bool SignedByOperator(InvokeV3Transaction tx, JsonObject wire)
    {
        var signature = wire["signature"]!.AsArray().Select(F).ToArray();
        return signature.Length == 2
            && StarkEcdsa.Verify(InvokeV3Hash.Compute(tx), new StarkSignature(signature[0], signature[1]), new StarkSigner(OperatorKey).StarkKey);
    }

    private static InvokeV3Transaction Transaction(JsonObject wire)
    {
        var rb = wire["resource_bounds"]!;
        ResourceBound Bound(string name) => new(
            ulong.Parse(rb[name]!["max_amount"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            UInt128.Parse(rb[name]!["max_price_per_unit"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return new InvokeV3Transaction
        {
            SenderAddress = F(wire["sender_address"]),
            Calldata = [.. wire["calldata"]!.AsArray().Select(F)],
            ChainId = StarknetChainId.Sepolia,
            Nonce = F(wire["nonce"]),
            Version = F(wire["version"]),
            ResourceBounds = new ResourceBounds(Bound("l1_gas"), Bound("l2_gas"), Bound("l1_data_gas")),
            Tip = ulong.Parse(wire["tip"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
        };
    }

    private static Felt F(JsonNode? node) => Felt.Parse(node!.GetValue<string>());

    private sealed class RpcError(int code, string message, JsonNode? data = null) : Exception(message)
    {
        public int Code { get; } = code;

        public JsonNode? ErrorData { get; } = data;
    }
}
