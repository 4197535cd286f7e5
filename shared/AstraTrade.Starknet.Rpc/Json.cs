using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.Starknet.Rpc;

/// <summary>FELT: "0x" and at most 63 hex digits, written without leading zeros as the spec's pattern requires.</summary>
public sealed class FeltJsonConverter : JsonConverter<Felt>
{
    /// <inheritdoc />
    public override Felt Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        // Felt.TryParse also takes decimal; the spec only allows hex, and a decimal here would mean a misread field.
        if (text is null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || !Felt.TryParse(text, out var value))
        {
            throw new JsonException($"Expected a field element (0x-prefixed hex below P), got {Describe(ref reader)}.");
        }

        return value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Felt value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToHexString());

    internal static string Describe(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : reader.TokenType.ToString();
}

/// <summary>An unsigned integer as the spec writes it: a "0x" hex string that must fit <typeparamref name="T"/>.</summary>
public abstract class HexIntegerJsonConverter<T> : JsonConverter<T>
    where T : IBinaryInteger<T>, IUnsignedNumber<T>
{
    private readonly string _name;

    private protected HexIntegerJsonConverter(string name) => _name = name;

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (text is null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            || !T.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new JsonException($"Expected a {_name} hex string, got {FeltJsonConverter.Describe(ref reader)}.");
        }

        return value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue("0x" + value.ToString("x", CultureInfo.InvariantCulture));
}

/// <summary>u64: a hex string of at most 16 digits.</summary>
public sealed class HexUInt64JsonConverter() : HexIntegerJsonConverter<ulong>("u64");

/// <summary>u128: a hex string of at most 32 digits.</summary>
public sealed class HexUInt128JsonConverter() : HexIntegerJsonConverter<UInt128>("u128");

/// <summary>BLOCK_ID: a tag string, {"block_number": n} or {"block_hash": "0x…"}.</summary>
public sealed class BlockIdJsonConverter : JsonConverter<BlockId>
{
    /// <inheritdoc />
    public override BlockId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() switch
            {
                "latest" => BlockId.Latest,
                "pre_confirmed" => BlockId.PreConfirmed,
                "l1_accepted" => BlockId.L1Accepted,
                var other => throw new JsonException($"Unknown block tag \"{other}\"."),
            };
        }

        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("block_number", out var number) && number.TryGetUInt64(out var n))
        {
            return BlockId.Number(n);
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("block_hash", out var hash) && hash.ValueKind == JsonValueKind.String
            && Felt.TryParse(hash.GetString(), out var h))
        {
            return BlockId.Hash(h);
        }

        throw new JsonException($"Not a block id: {root.GetRawText()}.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, BlockId value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case BlockIdKind.Number:
                writer.WriteStartObject();
                writer.WriteNumber("block_number", value.BlockNumber);
                writer.WriteEndObject();
                break;
            case BlockIdKind.Hash:
                writer.WriteStartObject();
                writer.WriteString("block_hash", value.BlockHash.ToHexString());
                writer.WriteEndObject();
                break;
            default:
                writer.WriteStringValue(value.Tag ?? "latest");
                break;
        }
    }
}

/// <summary>RESOURCE_BOUNDS on the wire.</summary>
internal sealed record ResourceBoundWire(
    [property: JsonConverter(typeof(HexUInt64JsonConverter))] ulong MaxAmount,
    [property: JsonConverter(typeof(HexUInt128JsonConverter))] UInt128 MaxPricePerUnit)
{
    public static ResourceBoundWire From(ResourceBound bound) => new(bound.MaxAmount, bound.MaxPricePerUnit);
}

/// <summary>RESOURCE_BOUNDS_MAPPING on the wire (all three resources are required since spec 0.8).</summary>
internal sealed record ResourceBoundsWire(ResourceBoundWire L1Gas, ResourceBoundWire L1DataGas, ResourceBoundWire L2Gas);

/// <summary>BROADCASTED_INVOKE_TXN (INVOKE_TXN_V3) on the wire.</summary>
internal sealed record InvokeV3Wire
{
    public string Type { get; init; } = "INVOKE";

    public required Felt SenderAddress { get; init; }

    public required IReadOnlyList<Felt> Calldata { get; init; }

    public required Felt Version { get; init; }

    public required IReadOnlyList<Felt> Signature { get; init; }

    public required Felt Nonce { get; init; }

    public required ResourceBoundsWire ResourceBounds { get; init; }

    [JsonConverter(typeof(HexUInt64JsonConverter))]
    public required ulong Tip { get; init; }

    public required IReadOnlyList<Felt> PaymasterData { get; init; }

    public required IReadOnlyList<Felt> AccountDeploymentData { get; init; }

    public required string NonceDataAvailabilityMode { get; init; }

    public required string FeeDataAvailabilityMode { get; init; }

    /// <summary>Only sent when there are proof facts: nodes of spec 0.9 and older do not know the field.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Felt>? ProofFacts { get; init; }

    public static InvokeV3Wire From(InvokeV3Transaction tx, IReadOnlyList<Felt> signature) => new()
    {
        SenderAddress = tx.SenderAddress,
        Calldata = tx.Calldata,
        Version = tx.Version,
        Signature = signature,
        Nonce = tx.Nonce,
        ResourceBounds = new ResourceBoundsWire(
            ResourceBoundWire.From(tx.ResourceBounds.L1Gas),
            ResourceBoundWire.From(tx.ResourceBounds.L1DataGas),
            ResourceBoundWire.From(tx.ResourceBounds.L2Gas)),
        Tip = tx.Tip,
        PaymasterData = tx.PaymasterData,
        AccountDeploymentData = tx.AccountDeploymentData,
        NonceDataAvailabilityMode = tx.NonceDataAvailabilityMode.ToString(),
        FeeDataAvailabilityMode = tx.FeeDataAvailabilityMode.ToString(),
        ProofFacts = tx.ProofFacts.Count > 0 ? tx.ProofFacts : null,
    };
}

/// <summary>Source-generated serialization for every type the client sends or reads.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(FeltJsonConverter)])]
[JsonSerializable(typeof(Felt))]
[JsonSerializable(typeof(Felt[]))]
[JsonSerializable(typeof(IReadOnlyList<Felt>))]
[JsonSerializable(typeof(IReadOnlyList<IReadOnlyList<Felt>>))]
[JsonSerializable(typeof(BlockId))]
[JsonSerializable(typeof(FunctionCall))]
[JsonSerializable(typeof(InvokeV3Wire))]
[JsonSerializable(typeof(IReadOnlyList<InvokeV3Wire>))]
[JsonSerializable(typeof(IReadOnlyList<FeeEstimate>))]
[JsonSerializable(typeof(TransactionStatus))]
[JsonSerializable(typeof(TransactionReceipt))]
[JsonSerializable(typeof(EventsChunk))]
[JsonSerializable(typeof(InvokeTransactionResult))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(ulong))]
[JsonSerializable(typeof(int))]
internal sealed partial class StarknetRpcJsonContext : JsonSerializerContext;
