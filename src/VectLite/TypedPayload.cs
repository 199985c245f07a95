using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VectLite;

/// <summary>
/// Converts between a typed payload (a POCO) and the <see cref="JsonObject"/> a record stores, through System.Text.Json.
/// The <see cref="JsonTypeInfo{T}"/> forms use source-generated metadata and are trimming- and AOT-safe; the
/// <see cref="JsonSerializerOptions"/> forms use reflection and say so.
/// </summary>
internal static class TypedPayload
{
    /// <summary>Serializes <paramref name="value"/>; it must serialize to a JSON object (or null, for no payload).</summary>
    /// <exception cref="InvalidRecordException">The value serializes to something other than an object.</exception>
    public static JsonObject? ToObject<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return AsObject(JsonSerializer.SerializeToNode(value, typeInfo), typeof(T));
    }

    /// <inheritdoc cref="ToObject{T}(T, JsonTypeInfo{T})"/>
    [RequiresUnreferencedCode("Reflection-based serialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    [RequiresDynamicCode("Reflection-based serialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    public static JsonObject? ToObject<T>(T value, JsonSerializerOptions? options) =>
        AsObject(JsonSerializer.SerializeToNode(value, options), typeof(T));

    /// <summary>Deserializes <paramref name="payload"/>; null (no payload) gives <c>default</c>.</summary>
    public static T? FromObject<T>(JsonObject? payload, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return payload is null ? default : payload.Deserialize(typeInfo);
    }

    /// <inheritdoc cref="FromObject{T}(JsonObject?, JsonTypeInfo{T})"/>
    [RequiresUnreferencedCode("Reflection-based deserialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    [RequiresDynamicCode("Reflection-based deserialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    public static T? FromObject<T>(JsonObject? payload, JsonSerializerOptions? options) =>
        payload is null ? default : payload.Deserialize<T>(options);

    private static JsonObject? AsObject(JsonNode? node, Type type) => node switch
    {
        null => null,
        JsonObject obj => obj,
        _ => throw new InvalidRecordException($"A payload must be a JSON object, but a {type.Name} serializes to a JSON {node.GetValueKind().ToString().ToLowerInvariant()}."),
    };
}
