using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.Orchestrations.Nft;

/// <summary>The Genesis mint workflow's JSON, source-generated.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(GenesisMintInput))]
[JsonSerializable(typeof(GenesisMintWorkflow.State))]
[JsonSerializable(typeof(GenesisMintOutcome))]
[JsonSerializable(typeof(MintReadiness))]
[JsonSerializable(typeof(StartAttemptInput))]
[JsonSerializable(typeof(RecordSentInput))]
[JsonSerializable(typeof(RecordOutcomeInput))]
[JsonSerializable(typeof(MintProgress))]
[JsonSerializable(typeof(GenesisMintStatusView))]
[JsonSerializable(typeof(Chain.ChainWriteOutcome))]
[JsonSerializable(typeof(Chain.ChainWriteSent))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(string))]
public sealed partial class GenesisMintJson : JsonSerializerContext;
