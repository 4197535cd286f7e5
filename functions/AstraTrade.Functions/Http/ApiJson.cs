using System.Text.Json;
using System.Text.Json.Serialization;

namespace AstraTrade.Functions.Http;

/// <summary>
/// The API's JSON rules. Requests are read strictly: unknown members, repeated members, missing required members, nulls
/// where a value is required, numbers as strings and enum values as numbers are all errors, so a typo never silently
/// becomes a default. (Validation error keys are written as given: they name fields and headers exactly.)
/// </summary>
public static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new DecimalJsonConverter());
    }
}
