using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Application.Nft.Chain;

namespace AstraTrade.Orchestrations.Chain;

/// <summary>The chain-write workflow's JSON, source-generated; enums as names, so custom statuses and outputs read like the
/// rest of the API. Read strictly: an input (the management API can start an instance) with a missing or unknown member
/// is refused.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(ChainWriteInput))]
[JsonSerializable(typeof(ChainWriteWorkflow.State))]
[JsonSerializable(typeof(ChainWriteOutcome))]
[JsonSerializable(typeof(ChainWriteSent))]
[JsonSerializable(typeof(ChainWriteStatus))]
[JsonSerializable(typeof(PrepareInput))]
[JsonSerializable(typeof(PrepareResult))]
[JsonSerializable(typeof(DoneCheck))]
[JsonSerializable(typeof(NotifyInput))]
[JsonSerializable(typeof(ChainCall))]
[JsonSerializable(typeof(SignedInvoke))]
[JsonSerializable(typeof(SubmitResult))]
[JsonSerializable(typeof(TransactionCheck))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
public sealed partial class ChainWriteJson : JsonSerializerContext;
