using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.Contracts.Events;

/// <summary>
/// The JSON of every integration event's <c>data</c> (camelCase, source-generated): the publisher writes with it, and a
/// consumer reads with it, e.g. <c>JsonSerializer.Deserialize(e.Data, IntegrationEventJson.Default.AchievementUnlockedV1)</c>.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AchievementUnlockedV1))]
[JsonSerializable(typeof(LevelReachedV1))]
[JsonSerializable(typeof(PositionClosedV1))]
[JsonSerializable(typeof(TournamentCompletedV1))]
[JsonSerializable(typeof(TournamentCancelledV1))]
public sealed partial class IntegrationEventJson : JsonSerializerContext;
