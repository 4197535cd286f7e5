using System.Text.Json.Serialization;

namespace AstraTrade.Starknet.Rpc;

/// <summary>Which block a read refers to: a tag, a number or a hash (BLOCK_ID).</summary>
[JsonConverter(typeof(BlockIdJsonConverter))]
public readonly record struct BlockId
{
    private BlockId(BlockIdKind kind, ulong number, Felt hash, string? tag)
    {
        Kind = kind;
        BlockNumber = number;
        BlockHash = hash;
        Tag = tag;
    }

    /// <summary>What this id is.</summary>
    public BlockIdKind Kind { get; }

    /// <summary>The height when <see cref="Kind"/> is <see cref="BlockIdKind.Number"/>.</summary>
    public ulong BlockNumber { get; }

    /// <summary>The hash when <see cref="Kind"/> is <see cref="BlockIdKind.Hash"/>.</summary>
    public Felt BlockHash { get; }

    /// <summary>"latest", "pre_confirmed" or "l1_accepted" when <see cref="Kind"/> is <see cref="BlockIdKind.Tag"/>.</summary>
    public string? Tag { get; }

    /// <summary>The latest block finalized by L2 consensus.</summary>
    public static BlockId Latest { get; } = new(BlockIdKind.Tag, 0, default, "latest");

    /// <summary>The block being built (height latest + 1); what a nonce read before signing should use.</summary>
    public static BlockId PreConfirmed { get; } = new(BlockIdKind.Tag, 0, default, "pre_confirmed");

    /// <summary>The latest block whose state update is finalized on L1.</summary>
    public static BlockId L1Accepted { get; } = new(BlockIdKind.Tag, 0, default, "l1_accepted");

    /// <summary>A block by height.</summary>
    public static BlockId Number(ulong number) => new(BlockIdKind.Number, number, default, null);

    /// <summary>A block by hash.</summary>
    public static BlockId Hash(Felt hash) => new(BlockIdKind.Hash, 0, hash, null);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        BlockIdKind.Number => $"block {BlockNumber}",
        BlockIdKind.Hash => $"block {BlockHash}",
        _ => Tag ?? "latest",
    };
}

/// <summary>The form of a <see cref="BlockId"/>.</summary>
public enum BlockIdKind
{
    /// <summary>A tag (latest, pre_confirmed, l1_accepted).</summary>
    Tag,

    /// <summary>A block number.</summary>
    Number,

    /// <summary>A block hash.</summary>
    Hash,
}

/// <summary>A read-only contract call (FUNCTION_CALL).</summary>
/// <param name="ContractAddress">The contract.</param>
/// <param name="EntryPointSelector">The entry point's selector (<see cref="Selectors.GetSelectorFromName"/>).</param>
/// <param name="Calldata">The serialized arguments.</param>
public sealed record FunctionCall(Felt ContractAddress, Felt EntryPointSelector, IReadOnlyList<Felt> Calldata);

/// <summary>The unit a fee is given in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PriceUnit>))]
public enum PriceUnit
{
    /// <summary>Wei (ETH); only for L1→L2 message estimates and old transactions.</summary>
    [JsonStringEnumMemberName("WEI")]
    Wei,

    /// <summary>Fri (STRK), the unit of every v3 transaction.</summary>
    [JsonStringEnumMemberName("FRI")]
    Fri,
}

/// <summary>A fee estimate for one transaction (FEE_ESTIMATE).</summary>
public sealed record FeeEstimate
{
    /// <summary>L1 gas consumed.</summary>
    [JsonConverter(typeof(HexUInt64JsonConverter))]
    public required ulong L1GasConsumed { get; init; }

    /// <summary>L1 gas price used in the estimate.</summary>
    [JsonConverter(typeof(HexUInt128JsonConverter))]
    public required UInt128 L1GasPrice { get; init; }

    /// <summary>L2 gas consumed.</summary>
    [JsonConverter(typeof(HexUInt64JsonConverter))]
    public required ulong L2GasConsumed { get; init; }

    /// <summary>L2 gas price used in the estimate.</summary>
    [JsonConverter(typeof(HexUInt128JsonConverter))]
    public required UInt128 L2GasPrice { get; init; }

    /// <summary>L1 data gas consumed.</summary>
    [JsonConverter(typeof(HexUInt64JsonConverter))]
    public required ulong L1DataGasConsumed { get; init; }

    /// <summary>L1 data gas price used in the estimate.</summary>
    [JsonConverter(typeof(HexUInt128JsonConverter))]
    public required UInt128 L1DataGasPrice { get; init; }

    /// <summary>The sum of consumed × price over the three resources.</summary>
    [JsonConverter(typeof(HexUInt128JsonConverter))]
    public required UInt128 OverallFee { get; init; }

    /// <summary>FRI for v3 transactions.</summary>
    public required PriceUnit Unit { get; init; }
}

/// <summary>Where a transaction is in its life (TXN_STATUS; receipts use the last three).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransactionFinalityStatus>))]
public enum TransactionFinalityStatus
{
    /// <summary>In the mempool.</summary>
    [JsonStringEnumMemberName("RECEIVED")]
    Received,

    /// <summary>Picked for a block, not yet executed in one.</summary>
    [JsonStringEnumMemberName("CANDIDATE")]
    Candidate,

    /// <summary>Executed in the block being built.</summary>
    [JsonStringEnumMemberName("PRE_CONFIRMED")]
    PreConfirmed,

    /// <summary>In a block finalized by L2 consensus.</summary>
    [JsonStringEnumMemberName("ACCEPTED_ON_L2")]
    AcceptedOnL2,

    /// <summary>In a block whose state update is final on L1.</summary>
    [JsonStringEnumMemberName("ACCEPTED_ON_L1")]
    AcceptedOnL1,
}

/// <summary>Whether an executed transaction succeeded (TXN_EXECUTION_STATUS).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransactionExecutionStatus>))]
public enum TransactionExecutionStatus
{
    /// <summary>Succeeded.</summary>
    [JsonStringEnumMemberName("SUCCEEDED")]
    Succeeded,

    /// <summary>Reverted: included and charged, but its state changes were rolled back.</summary>
    [JsonStringEnumMemberName("REVERTED")]
    Reverted,
}

/// <summary>The kind of a transaction (TXN_TYPE).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TransactionType>))]
public enum TransactionType
{
    /// <summary>INVOKE.</summary>
    [JsonStringEnumMemberName("INVOKE")]
    Invoke,

    /// <summary>DECLARE.</summary>
    [JsonStringEnumMemberName("DECLARE")]
    Declare,

    /// <summary>DEPLOY (legacy).</summary>
    [JsonStringEnumMemberName("DEPLOY")]
    Deploy,

    /// <summary>DEPLOY_ACCOUNT.</summary>
    [JsonStringEnumMemberName("DEPLOY_ACCOUNT")]
    DeployAccount,

    /// <summary>L1_HANDLER.</summary>
    [JsonStringEnumMemberName("L1_HANDLER")]
    L1Handler,
}

/// <summary>The answer of starknet_getTransactionStatus (TXN_STATUS_RESULT).</summary>
public sealed record TransactionStatus
{
    /// <summary>Where the transaction is.</summary>
    public required TransactionFinalityStatus FinalityStatus { get; init; }

    /// <summary>Set once executed.</summary>
    public TransactionExecutionStatus? ExecutionStatus { get; init; }

    /// <summary>Why it reverted, when it did.</summary>
    public string? FailureReason { get; init; }
}

/// <summary>A fee as charged (FEE_PAYMENT).</summary>
/// <param name="Amount">The amount.</param>
/// <param name="Unit">Its unit.</param>
public sealed record FeePayment(Felt Amount, PriceUnit Unit);

/// <summary>A message sent to L1 (MSG_TO_L1).</summary>
/// <param name="FromAddress">The L2 sender.</param>
/// <param name="ToAddress">The L1 recipient.</param>
/// <param name="Payload">The payload.</param>
public sealed record MessageToL1(Felt FromAddress, Felt ToAddress, IReadOnlyList<Felt> Payload);

/// <summary>An event as a receipt lists it (EVENT).</summary>
/// <param name="FromAddress">The emitting contract.</param>
/// <param name="Keys">Keys; the first is the event's selector for Cairo 1 contracts.</param>
/// <param name="Data">Data.</param>
public sealed record StarknetEvent(Felt FromAddress, IReadOnlyList<Felt> Keys, IReadOnlyList<Felt> Data);

/// <summary>Resources a transaction consumed (EXECUTION_RESOURCES).</summary>
/// <param name="L1Gas">L1 gas.</param>
/// <param name="L1DataGas">L1 data (blob) gas.</param>
/// <param name="L2Gas">L2 gas.</param>
public sealed record ExecutionResources(ulong L1Gas, ulong L1DataGas, ulong L2Gas);

/// <summary>
/// A transaction receipt with its block (TXN_RECEIPT_WITH_BLOCK_INFO), for every transaction type: the fields that only some
/// types have are null for the others.
/// </summary>
public sealed record TransactionReceipt
{
    /// <summary>The transaction type.</summary>
    public required TransactionType Type { get; init; }

    /// <summary>The transaction hash.</summary>
    public required Felt TransactionHash { get; init; }

    /// <summary>The fee charged.</summary>
    public required FeePayment ActualFee { get; init; }

    /// <summary>PRE_CONFIRMED, ACCEPTED_ON_L2 or ACCEPTED_ON_L1.</summary>
    public required TransactionFinalityStatus FinalityStatus { get; init; }

    /// <summary>Succeeded or reverted.</summary>
    public required TransactionExecutionStatus ExecutionStatus { get; init; }

    /// <summary>Why it reverted (only when <see cref="ExecutionStatus"/> is reverted).</summary>
    public string? RevertReason { get; init; }

    /// <summary>Messages to L1.</summary>
    public required IReadOnlyList<MessageToL1> MessagesSent { get; init; }

    /// <summary>Events emitted, in order.</summary>
    public required IReadOnlyList<StarknetEvent> Events { get; init; }

    /// <summary>Resources consumed.</summary>
    public required ExecutionResources ExecutionResources { get; init; }

    /// <summary>The block hash; null while the block is pre-confirmed.</summary>
    public Felt? BlockHash { get; init; }

    /// <summary>The block number.</summary>
    public required ulong BlockNumber { get; init; }

    /// <summary>The deployed contract (DEPLOY and DEPLOY_ACCOUNT receipts).</summary>
    public Felt? ContractAddress { get; init; }

    /// <summary>The L1→L2 message hash (L1_HANDLER receipts); hex, it can exceed a field element.</summary>
    public string? MessageHash { get; init; }
}

/// <summary>Which events starknet_getEvents returns (EVENT_FILTER); every part is optional.</summary>
public sealed record EventFilter
{
    /// <summary>First block (inclusive).</summary>
    public BlockId? FromBlock { get; init; }

    /// <summary>Last block (inclusive).</summary>
    public BlockId? ToBlock { get; init; }

    /// <summary>Emitting contracts (any when null or empty).</summary>
    public IReadOnlyList<Felt>? Addresses { get; init; }

    /// <summary>Per key position, the values that match (an empty list matches any value at that position).</summary>
    public IReadOnlyList<IReadOnlyList<Felt>>? Keys { get; init; }
}

/// <summary>An event with where it was emitted (EMITTED_EVENT).</summary>
public sealed record EmittedEvent
{
    /// <summary>The emitting contract.</summary>
    public required Felt FromAddress { get; init; }

    /// <summary>Keys.</summary>
    public required IReadOnlyList<Felt> Keys { get; init; }

    /// <summary>Data.</summary>
    public required IReadOnlyList<Felt> Data { get; init; }

    /// <summary>The block hash; null for the pre-confirmed block.</summary>
    public Felt? BlockHash { get; init; }

    /// <summary>The block number; null for the pre-confirmed block.</summary>
    public ulong? BlockNumber { get; init; }

    /// <summary>The emitting transaction.</summary>
    public required Felt TransactionHash { get; init; }

    /// <summary>The transaction's index in its block.</summary>
    public required int TransactionIndex { get; init; }

    /// <summary>The event's index in its transaction.</summary>
    public required int EventIndex { get; init; }
}

/// <summary>One page of starknet_getEvents (EVENTS_CHUNK).</summary>
public sealed record EventsChunk
{
    /// <summary>The events of this page.</summary>
    public required IReadOnlyList<EmittedEvent> Events { get; init; }

    /// <summary>Pass to the next call for the next page; null on the last page.</summary>
    public string? ContinuationToken { get; init; }
}

/// <summary>The answer of starknet_addInvokeTransaction.</summary>
/// <param name="TransactionHash">The hash the node computed.</param>
public sealed record InvokeTransactionResult(Felt TransactionHash);
