using System.Text.Json;
using System.Text.Json.Serialization;
using AstraTrade.Domain.Tournaments;

namespace AstraTrade.Orchestrations.Tournaments;

/// <summary>
/// The tournament workflow's JSON, source-generated (no reflection). Statuses are written as the API writes them
/// ("registration", "live"), so the management API's custom status and output read like the tournament API. Inputs are
/// read strictly: an input without a tournament id, or with unknown members, is refused when an instance is started.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(TournamentStatusJsonConverter)])]
[JsonSerializable(typeof(TournamentWorkflowInput))]
[JsonSerializable(typeof(TournamentWorkflow.State))]
[JsonSerializable(typeof(TournamentOutcome))]
[JsonSerializable(typeof(TournamentProgress))]
[JsonSerializable(typeof(TournamentWorkflowStatus))]
[JsonSerializable(typeof(string))]
internal sealed partial class TournamentWorkflowJson : JsonSerializerContext;

/// <summary>Tournament statuses in camelCase, names only (a number is not a status).</summary>
internal sealed class TournamentStatusJsonConverter() : JsonStringEnumConverter<TournamentStatus>(JsonNamingPolicy.CamelCase, allowIntegerValues: false);
