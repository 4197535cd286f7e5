using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;
using AstraTrade.Contracts.Starknet;
using AstraTrade.Starknet;

namespace AstraTrade.Orchestrations.Tests.Chain;

/// <summary>
/// A Starknet node, the operator's account and the two AstraTrade contracts, as far as the operator account sees them:
/// JSON-RPC 2.0 over an <see cref="HttpMessageHandler"/> (the real <c>StarknetRpcClient</c> talks to it), answers written
/// by hand in the spec's shapes. It keeps the rules that make chain writes hard:
/// <list type="bullet">
/// <item>An INVOKE v3 is admitted only if its signature verifies (with <see cref="StarkEcdsa"/>) against the hash this node
/// recomputes with <see cref="InvokeV3Hash"/> from the fields it received and its own chain id (else 55), its nonce is not
/// below the account's (52), no other transaction holds that nonce in the mempool (64), the account can pay the maximal
/// fee (54), and it is not known already (59 while in the mempool; 52 once executed).</item>
/// <item>Transactions wait in the mempool (RECEIVED) and run in nonce order per account, only without a gap; a block runs
/// when a transaction has been polled <see cref="MineAfterPolls"/> times (or on <see cref="MineBlock"/>). A transaction
/// runs the account's <c>__execute__</c> multicall against the contracts: <c>record_achievement</c> (reverts for a pair
/// recorded already), <c>mint</c> (reverts for an existing token), both only for the operator; a revert is included and
/// charged, its changes undone.</item>
/// <item><c>starknet_estimateFee</c> checks the query-version signature and simulates the calls (error 41 if they revert);
/// <c>starknet_call</c> answers <c>is_recorded</c> and <c>owner_of</c> (which reverts for a token that does not exist).</item>
/// </list>
/// Every INVOKE received is recorded with its hash (<see cref="Received"/>), refused ones included, so a test can count the
/// distinct transactions one purpose produced. Hooks let a test refuse, drop, or interrupt a request at a chosen moment.
/// </summary>
internal sealed class FakeChainNode : HttpMessageHandler
{
    public static readonly Felt RecordAchievement = Selectors.GetSelectorFromName(AchievementsContract.RecordAchievement);
    public static readonly Felt IsRecorded = Selectors.GetSelectorFromName(AchievementsContract.IsRecorded);
    public static readonly Felt Mint = Selectors.GetSelectorFromName(GenesisContract.Mint);
    public static readonly Felt OwnerOf = Selectors.GetSelectorFromName(GenesisContract.OwnerOf);

    private static readonly BigInteger TwoTo128 = BigInteger.One << 128;
    private readonly Lock _gate = new();

    public FakeChainNode(Felt operatorAddress, StarkPoint operatorKey, Felt achievements, Felt genesis)
    {
        Operator = operatorAddress;
        Achievements = achievements;
        Genesis = genesis;
        Accounts[operatorAddress] = new Account(operatorKey);
    }

    public Felt ChainId { get; init; } = StarknetChainId.Sepolia;

    public Felt Operator { get; }

    public Felt Achievements { get; }

    public Felt Genesis { get; }

    public Dictionary<Felt, Account> Accounts { get; } = [];

    public ulong LatestBlock { get; private set; } = 900_000;

    /// <summary>Status polls a received transaction answers RECEIVED before a block runs it; negative: never (stuck).</summary>
    public int MineAfterPolls { get; set; }

    /// <summary>The next executed transaction reverts with this reason.</summary>
    public string? RevertNextWith { get; set; }

    /// <summary>The next executed transactions that mint revert with these reasons, one each.</summary>
    public Queue<string> RevertMints { get; } = new();

    /// <summary>The next INVOKE is refused with this JSON-RPC error (code, message), before anything else is checked.</summary>
    public Queue<(int Code, string Message)> RefuseNext { get; } = new();

    public HashSet<(Felt Player, Felt Achievement)> Recorded { get; } = [];

    public Dictionary<BigInteger, Felt> Owners { get; } = [];

    public Dictionary<Felt, Tx> Transactions { get; } = [];

    /// <summary>Every INVOKE received, in order: its recomputed hash, nonce and calldata (refused ones too).</summary>
    public List<(Felt Hash, Felt Nonce, IReadOnlyList<Felt> Calldata, string Answer)> Received { get; } = [];

    /// <summary>The last fee estimate answered.</summary>
    public (ulong L1Gas, UInt128 L1Price, ulong L2Gas, UInt128 L2Price, ulong DataGas, UInt128 DataPrice)? LastEstimate { get; private set; }

    public List<string> Methods { get; } = [];

    /// <summary>Runs before a request is processed (method name); may throw or wait (e.g. to interrupt it).</summary>
    public Func<string, CancellationToken, Task>? BeforeRequest { get; set; }

    /// <summary>Runs after a request took effect and before its answer leaves (method name); may wait or throw, so the
    /// effect happens but the caller never learns it.</summary>
    public Func<string, CancellationToken, Task>? BeforeAnswer { get; set; }

    public int ExecutedCount => Transactions.Values.Count(t => t.Block is not null);

    /// <summary>Distinct transaction hashes received with this calldata (one purpose's transactions).</summary>
    public int DistinctHashesFor(IReadOnlyList<Felt> calldata)
    {
        lock (_gate)
        {
            return Received.Where(r => r.Calldata.SequenceEqual(calldata)).Select(r => r.Hash).Distinct().Count();
        }
    }

    /// <summary>Forgets a transaction still in the mempool, as a node that restarted or evicted it would.</summary>
    public void Drop(Felt hash)
    {
        lock (_gate)
        {
            if (Transactions.TryGetValue(hash, out var tx) && tx.Block is null)
            {
                Transactions.Remove(hash);
            }
        }
    }

    /// <summary>Another sender of the operator account's transactions (e.g. a second process) uses the next nonce.</summary>
    public void UseNonceElsewhere()
    {
        lock (_gate)
        {
            Accounts[Operator].Nonce++;
        }
    }

    /// <summary>Runs every runnable transaction (in nonce order, without gaps) in a new block.</summary>
    public void MineBlock()
    {
        lock (_gate)
        {
            var number = LatestBlock + 1;
            var ran = false;
            foreach (var (address, account) in Accounts)
            {
                while (Transactions.Values.FirstOrDefault(t => t.Sender == address && t.Block is null && t.Nonce == account.Nonce) is { } tx)
                {
                    account.Nonce++;
                    var forced = RevertNextWith ?? (tx.Calldata.Contains(Mint) && RevertMints.TryDequeue(out var reason) ? reason : null);
                    tx.RevertReason = forced ?? Execute(tx.Sender, tx.Calldata, apply: true);
                    RevertNextWith = null;
                    tx.Block = number;
                    ran = true;
                }
            }

            if (ran)
            {
                LatestBlock = number;
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = await request.Content!.ReadAsStringAsync(cancellationToken);
        var root = JsonNode.Parse(body)!.AsObject();
        var id = root["id"]?.DeepClone();
        var method = root["method"]!.GetValue<string>();
        if (root["jsonrpc"]?.GetValue<string>() != "2.0" || id is null || root["params"] is not JsonObject parameters)
        {
            return Answer(Error(id, -32600, "Invalid request"));
        }

        if (BeforeRequest is { } before)
        {
            await before(method, cancellationToken);
        }

        JsonObject answer;
        lock (_gate)
        {
            Methods.Add(method);
            try
            {
                var result = Dispatch(method, parameters);
                answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };
            }
            catch (RpcError e)
            {
                answer = Error(id, e.Code, e.Message, e.ErrorData);
            }
        }

        if (BeforeAnswer is { } after)
        {
            await after(method, cancellationToken);
        }

        return Answer(answer);
    }

    private static HttpResponseMessage Answer(JsonObject answer) =>
        new(HttpStatusCode.OK) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json") };

    private static JsonObject Error(JsonNode? id, int code, string message, JsonNode? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null)
        {
            error["data"] = data;
        }

        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error };
    }

    private JsonNode? Dispatch(string method, JsonObject p) => method switch
    {
        "starknet_getNonce" => Hex(AccountAt(F(p["contract_address"]!)).Nonce),
        "starknet_call" => Call(p["request"]!.AsObject()),
        "starknet_estimateFee" => EstimateFee(p["request"]!.AsArray(), p["simulation_flags"]!.AsArray().Count > 0),
        "starknet_addInvokeTransaction" => AddInvoke(p["invoke_transaction"]!.AsObject()),
        "starknet_getTransactionStatus" => Status(F(p["transaction_hash"]!)),
        "starknet_getTransactionReceipt" => Receipt(F(p["transaction_hash"]!)),
        _ => throw new RpcError(-32601, "Method not found"),
    };

    private JsonNode Call(JsonObject call)
    {
        var contract = F(call["contract_address"]!);
        var selector = F(call["entry_point_selector"]!);
        var data = call["calldata"]!.AsArray().Select(F).ToArray();
        if (contract == Achievements && selector == IsRecorded)
        {
            return new JsonArray(Recorded.Contains((data[0], data[1])) ? "0x1" : "0x0");
        }

        if (contract == Genesis && selector == OwnerOf)
        {
            return Owners.TryGetValue(TokenId(data[0], data[1]), out var owner)
                ? new JsonArray(owner.ToHexString())
                : throw new RpcError(40, "Contract error", new JsonObject { ["revert_error"] = "ERC721: invalid token ID" });
        }

        throw new RpcError(contract == Achievements || contract == Genesis ? 21 : 20, "Entry point or contract not found");
    }

    private JsonNode EstimateFee(JsonArray requests, bool skipValidate)
    {
        var wire = requests.Single()!.AsObject();
        var tx = ToTransaction(wire);
        var account = AccountAt(tx.SenderAddress);
        string? problem = tx.Version != InvokeV3Hash.QueryVersion ? "an estimate must use the query version"
            : tx.Nonce.ToBigInteger() < account.Nonce ? $"invalid nonce {tx.Nonce}, the account's is {account.Nonce}"
            : !skipValidate && !SignatureValid(account, tx, wire) ? "invalid signature"
            : Execute(tx.SenderAddress, tx.Calldata, apply: false);
        if (problem is not null)
        {
            throw new RpcError(41, "Transaction execution error", new JsonObject
            {
                ["transaction_index"] = 0,
                ["execution_error"] = problem,
            });
        }

        var estimate = (L1Gas: 0UL, L1Price: (UInt128)30_000_000_000_000UL, L2Gas: 600_000UL + (ulong)(tx.Calldata.Count * 10_000),
            L2Price: (UInt128)8_000_000_000UL, DataGas: 160UL, DataPrice: (UInt128)1_000UL);
        LastEstimate = estimate;
        var overall = (estimate.L2Gas * estimate.L2Price) + (estimate.DataGas * estimate.DataPrice);
        return new JsonArray(new JsonObject
        {
            ["l1_gas_consumed"] = Hex(estimate.L1Gas),
            ["l1_gas_price"] = Hex(estimate.L1Price),
            ["l2_gas_consumed"] = Hex(estimate.L2Gas),
            ["l2_gas_price"] = Hex(estimate.L2Price),
            ["l1_data_gas_consumed"] = Hex(estimate.DataGas),
            ["l1_data_gas_price"] = Hex(estimate.DataPrice),
            ["overall_fee"] = Hex(overall),
            ["unit"] = "FRI",
        });
    }

    private JsonNode AddInvoke(JsonObject wire)
    {
        var tx = ToTransaction(wire);
        var hash = InvokeV3Hash.Compute(tx);
        var answer = "accepted";
        try
        {
            if (RefuseNext.TryDequeue(out var refusal))
            {
                throw new RpcError(refusal.Code, refusal.Message);
            }

            if (tx.Version != (Felt)3UL)
            {
                throw new RpcError(61, "The transaction version is not supported");
            }

            if (!Accounts.TryGetValue(tx.SenderAddress, out var account))
            {
                throw new RpcError(58, "Sender address is not an account contract");
            }

            if (Transactions.TryGetValue(hash, out var known))
            {
                throw known.Block is null
                    ? new RpcError(59, "A transaction with the same hash already exists in the mempool")
                    : new RpcError(52, "Invalid transaction nonce");
            }

            if (tx.Nonce.ToBigInteger() < account.Nonce)
            {
                throw new RpcError(52, "Invalid transaction nonce");
            }

            if (Transactions.Values.Any(t => t.Sender == tx.SenderAddress && t.Block is null && t.Nonce == tx.Nonce.ToBigInteger()))
            {
                throw new RpcError(64, "Replacement transaction is underpriced");
            }

            var b = tx.ResourceBounds;
            var maxFee = ((BigInteger)b.L1Gas.MaxAmount * b.L1Gas.MaxPricePerUnit) + ((BigInteger)b.L2Gas.MaxAmount * b.L2Gas.MaxPricePerUnit)
                + ((BigInteger)b.L1DataGas.MaxAmount * b.L1DataGas.MaxPricePerUnit);
            if (maxFee > account.Balance)
            {
                throw new RpcError(54, "Account balance is smaller than the transaction's maximal fee");
            }

            if (!SignatureValid(account, tx, wire))
            {
                throw new RpcError(55, "Account validation failed");
            }

            Transactions[hash] = new Tx(hash, tx.SenderAddress, tx.Nonce.ToBigInteger(), tx.Calldata, b);
            return new JsonObject { ["transaction_hash"] = hash.ToHexString() };
        }
        catch (RpcError e)
        {
            answer = e.Code.ToString(CultureInfo.InvariantCulture);
            throw;
        }
        finally
        {
            Received.Add((hash, tx.Nonce, tx.Calldata, answer));
        }
    }

    private JsonNode Status(Felt hash)
    {
        var tx = Find(hash);
        if (tx.Block is null && MineAfterPolls >= 0 && ++tx.Polls > MineAfterPolls)
        {
            MineBlock();
        }

        var status = new JsonObject { ["finality_status"] = tx.Block is null ? "RECEIVED" : "ACCEPTED_ON_L2" };
        if (tx.Block is not null)
        {
            status["execution_status"] = tx.RevertReason is null ? "SUCCEEDED" : "REVERTED";
            if (tx.RevertReason is not null)
            {
                status["failure_reason"] = tx.RevertReason;
            }
        }

        return status;
    }

    private JsonNode Receipt(Felt hash)
    {
        var tx = Find(hash);
        if (tx.Block is null)
        {
            throw new RpcError(29, "Transaction hash not found");
        }

        var receipt = new JsonObject
        {
            ["type"] = "INVOKE",
            ["transaction_hash"] = tx.Hash.ToHexString(),
            ["actual_fee"] = new JsonObject { ["amount"] = "0x1b48eb57e000", ["unit"] = "FRI" },
            ["finality_status"] = "ACCEPTED_ON_L2",
            ["execution_status"] = tx.RevertReason is null ? "SUCCEEDED" : "REVERTED",
            ["messages_sent"] = new JsonArray(),
            ["events"] = new JsonArray(),
            ["execution_resources"] = new JsonObject { ["l1_gas"] = 0, ["l1_data_gas"] = 160, ["l2_gas"] = 612_340 },
            ["block_hash"] = Hex(new BigInteger(tx.Block!.Value) * 7919),
            ["block_number"] = tx.Block,
        };
        if (tx.RevertReason is not null)
        {
            receipt["revert_reason"] = tx.RevertReason;
        }

        return receipt;
    }

    /// <summary>Runs the account's <c>__execute__(calls: Array&lt;Call&gt;)</c>: null when every call succeeds (and, with
    /// <paramref name="apply"/>, their changes are kept), otherwise the revert reason and nothing changes.</summary>
    private string? Execute(Felt sender, IReadOnlyList<Felt> calldata, bool apply)
    {
        var recorded = new List<(Felt, Felt)>();
        var minted = new List<(BigInteger, Felt)>();
        var at = 0;
        var count = (int)calldata[at++].ToBigInteger();
        for (var i = 0; i < count; i++)
        {
            var (to, selector, length) = (calldata[at], calldata[at + 1], (int)calldata[at + 2].ToBigInteger());
            var data = calldata.Skip(at + 3).Take(length).ToArray();
            at += 3 + length;
            if (to == Achievements && selector == RecordAchievement && data.Length == 2)
            {
                if (sender != Operator)
                {
                    return "Caller is not the recorder";
                }

                if (Recorded.Contains((data[0], data[1])) || recorded.Contains((data[0], data[1])))
                {
                    return "Achievement already recorded";
                }

                recorded.Add((data[0], data[1]));
            }
            else if (to == Genesis && selector == Mint && data.Length == 4)
            {
                var token = TokenId(data[1], data[2]);
                if (sender != Operator)
                {
                    return "Caller is not the minter";
                }

                if (data[0].IsZero)
                {
                    return "ERC721: invalid receiver";
                }

                if (Owners.ContainsKey(token) || minted.Any(m => m.Item1 == token))
                {
                    return "ERC721: token already minted";
                }

                minted.Add((token, data[0]));
            }
            else
            {
                return "ENTRYPOINT_NOT_FOUND";
            }
        }

        if (apply)
        {
            recorded.ForEach(r => Recorded.Add(r));
            minted.ForEach(m => Owners[m.Item1] = m.Item2);
        }

        return null;
    }

    private Tx Find(Felt hash) => Transactions.TryGetValue(hash, out var tx) ? tx : throw new RpcError(29, "Transaction hash not found");

    private Account AccountAt(Felt address) => Accounts.TryGetValue(address, out var account) ? account : throw new RpcError(20, "Contract not found");

    private bool SignatureValid(Account account, InvokeV3Transaction tx, JsonObject wire)
    {
        var signature = wire["signature"]!.AsArray().Select(F).ToArray();
        return signature.Length == 2 && StarkEcdsa.Verify(InvokeV3Hash.Compute(tx), new StarkSignature(signature[0], signature[1]), account.PublicKey);
    }

    /// <summary>The transaction as received, with this node's chain id (what the account's signature must cover).</summary>
    private InvokeV3Transaction ToTransaction(JsonObject wire)
    {
        var rb = wire["resource_bounds"]!;
        ResourceBound Bound(string name) => new(
            ulong.Parse(rb[name]!["max_amount"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            UInt128.Parse(rb[name]!["max_price_per_unit"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
        return new InvokeV3Transaction
        {
            SenderAddress = F(wire["sender_address"]!),
            Calldata = [.. wire["calldata"]!.AsArray().Select(F)],
            ChainId = ChainId,
            Nonce = F(wire["nonce"]!),
            Version = F(wire["version"]!),
            ResourceBounds = new ResourceBounds(Bound("l1_gas"), Bound("l2_gas"), Bound("l1_data_gas")),
            Tip = ulong.Parse(wire["tip"]!.GetValue<string>()[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture),
            PaymasterData = [.. wire["paymaster_data"]!.AsArray().Select(F)],
            AccountDeploymentData = [.. wire["account_deployment_data"]!.AsArray().Select(F)],
            NonceDataAvailabilityMode = Enum.Parse<DataAvailabilityMode>(wire["nonce_data_availability_mode"]!.GetValue<string>()),
            FeeDataAvailabilityMode = Enum.Parse<DataAvailabilityMode>(wire["fee_data_availability_mode"]!.GetValue<string>()),
        };
    }

    private static BigInteger TokenId(Felt low, Felt high) => low.ToBigInteger() + (high.ToBigInteger() * TwoTo128);

    private static Felt F(JsonNode? node) => Felt.Parse(node!.GetValue<string>());

    private static string Hex(BigInteger value) => Felt.FromBigInteger(value).ToHexString();

    private static string Hex(UInt128 value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    internal sealed class Account(StarkPoint publicKey)
    {
        public StarkPoint PublicKey { get; } = publicKey;

        public BigInteger Nonce { get; set; }

        public BigInteger Balance { get; set; } = BigInteger.Pow(10, 21);
    }

    internal sealed class Tx(Felt hash, Felt sender, BigInteger nonce, IReadOnlyList<Felt> calldata, ResourceBounds bounds)
    {
        public Felt Hash { get; } = hash;

        public Felt Sender { get; } = sender;

        public BigInteger Nonce { get; } = nonce;

        public IReadOnlyList<Felt> Calldata { get; } = calldata;

        public ResourceBounds Bounds { get; } = bounds;

        public int Polls { get; set; }

        public ulong? Block { get; set; }

        public string? RevertReason { get; set; }
    }

    private sealed class RpcError(int code, string message, JsonNode? data = null) : Exception(message)
    {
        public int Code { get; } = code;

        public JsonNode? ErrorData { get; } = data;
    }
}
