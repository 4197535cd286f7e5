using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Domain.Common;

namespace AstraTrade.Functions.Http;

/// <summary>Writes decimals without the trailing zeros of their arithmetic scale (0.5, not 0.5000); reads them strictly
/// as JSON numbers, exactly (no binary floating point on the way).</summary>
public sealed class DecimalJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value)
            ? value
            : throw new JsonException("Expected a number within the decimal range.");

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Money.Normalize(value));
}
