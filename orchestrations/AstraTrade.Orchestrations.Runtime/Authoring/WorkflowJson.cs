using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AstraTrade.Orchestrations.Runtime;

/// <summary>
/// How workflow inputs, states, outputs, activity inputs and results, event payloads and custom statuses become
/// JSON. By default: <see cref="JsonSerializerDefaults.Web"/> (camelCase) with reflection-based metadata. For trimming
/// and AOT, pass the options of a source-generated <c>JsonSerializerContext</c> that lists your types
/// (<c>MyJsonContext.Default.Options</c>) to <see cref="Workflow{TInput,TState,TOutput}"/>,
/// <see cref="Activity{TInput,TOutput}"/> and <see cref="ExternalEvent{TPayload}"/>.
/// </summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefault();

    internal static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions? options)
    {
        var resolved = options ?? DefaultOptions;
        if (!resolved.IsReadOnly)
        {
            resolved.TypeInfoResolver ??= new DefaultJsonTypeInfoResolver();
            resolved.MakeReadOnly();
        }

        return (JsonTypeInfo<T>)resolved.GetTypeInfo(typeof(T));
    }

    internal static byte[] Write<T>(T value, JsonTypeInfo<T> info) => JsonSerializer.SerializeToUtf8Bytes(value, info);

    internal static T Read<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> info) => JsonSerializer.Deserialize(utf8, info)!;

    private static JsonSerializerOptions CreateDefault()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        options.MakeReadOnly();
        return options;
    }
}
