using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Qdrant's payload field schemas and VectLite's <see cref="PayloadIndexKind"/>: <c>keyword</c> and <c>uuid</c> are
/// keyword indexes, <c>integer</c> and <c>float</c> numeric ones, <c>bool</c> a bool index. <c>text</c>,
/// <c>datetime</c> and <c>geo</c> indexes are refused: VectLite has no counterpart yet.
/// </summary>
internal static class PayloadIndexes
{
    /// <summary>The kind for a <c>field_schema</c> (a name, or an object with <c>type</c>).</summary>
    public static PayloadIndexKind Parse(JsonElement? fieldSchema)
    {
        string? type = fieldSchema switch
        {
            null => null,
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Object } o => JsonFields.String(o, "type"),
            _ => throw QdrantException.BadRequest("`field_schema` must be a type name or an object with `type`"),
        };
        return Parse(type);
    }

    /// <summary>The kind for a Qdrant field type name (<c>keyword</c>, <c>integer</c>, ...); null is "missing".</summary>
    public static PayloadIndexKind Parse(string? type)
    {
        return type switch
        {
            "keyword" or "uuid" => PayloadIndexKind.Keyword,
            "integer" or "float" => PayloadIndexKind.Numeric,
            "bool" => PayloadIndexKind.Bool,
            "text" or "datetime" or "geo" => throw QdrantException.Unsupported($"a `{type}` payload index"),
            null => throw QdrantException.BadRequest("`field_schema` is required (keyword, integer, float, bool or uuid)"),
            _ => throw QdrantException.BadRequest($"unknown payload field schema `{type}`"),
        };
    }

    /// <summary>The Qdrant data type reported for a VectLite index kind (numeric indexes hold floats and integers alike).</summary>
    public static string Name(PayloadIndexKind kind) => kind switch
    {
        PayloadIndexKind.Keyword => "keyword",
        PayloadIndexKind.Numeric => "float",
        PayloadIndexKind.Bool => "bool",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
