using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Reads optional fields of a Qdrant request object, with 400 errors that name the field and what it should be. A field
/// set to JSON null counts as absent, as in Qdrant's OpenAPI (every optional field is nullable).
/// </summary>
internal static class JsonFields
{
    /// <summary>The field's value, or null when it is missing or JSON null.</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    /// <summary>An integer field within [<paramref name="min"/>, <paramref name="max"/>], or <paramref name="fallback"/>.</summary>
    public static int Int(JsonElement obj, string name, int fallback, int min, int max)
    {
        if (Get(obj, name) is not { } value)
        {
            return fallback;
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            throw QdrantException.BadRequest($"`{name}` must be an integer, got {value.GetRawText()}");
        }
        if (number < min || number > max)
        {
            throw QdrantException.BadRequest($"`{name}` must be between {min} and {max}, got {number}");
        }
        return (int)number;
    }

    /// <summary>A boolean field, or <paramref name="fallback"/>.</summary>
    public static bool Bool(JsonElement obj, string name, bool fallback)
    {
        if (Get(obj, name) is not { } value)
        {
            return fallback;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw QdrantException.BadRequest($"`{name}` must be true or false, got {value.GetRawText()}"),
        };
    }

    /// <summary>A number field, or null.</summary>
    public static double? Number(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw QdrantException.BadRequest($"`{name}` must be a number, got {value.GetRawText()}");
    }

    /// <summary>A string field, or null.</summary>
    public static string? String(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw QdrantException.BadRequest($"`{name}` must be a string, got {value.GetRawText()}");
    }

    /// <summary>An array field (its elements), or null.</summary>
    public static JsonElement.ArrayEnumerator? Array(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw QdrantException.BadRequest($"`{name}` must be an array, got {value.ValueKind}");
    }

    /// <summary>Refuses a Qdrant field VectLite cannot honour, when the request sets it.</summary>
    public static void RejectIfSet(JsonElement obj, string name, string feature)
    {
        if (Get(obj, name) is not null)
        {
            throw QdrantException.Unsupported(feature);
        }
    }
}
