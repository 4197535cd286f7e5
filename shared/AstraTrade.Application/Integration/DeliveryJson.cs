using System.Text.Json.Serialization;

namespace AstraTrade.Application.Integration;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IntegrationDeliveryLog.Delivery))]
internal sealed partial class DeliveryJson : JsonSerializerContext;
