using System.Text;
using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Translates a Qdrant filter (<c>{must, should, must_not}</c> of conditions) into VectLite's <see cref="Filter"/>.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="bullet">
/// <item><c>must</c> is an AND of its conditions, <c>should</c> an OR (at least one), <c>must_not</c> the negation of
/// an OR (none); the three clauses are ANDed. Empty clauses impose nothing, as in Qdrant.</item>
/// <item>Field conditions: <c>match.value</c> is <c>$eq</c>, <c>match.any</c> <c>$in</c>, <c>match.except</c>
/// "the field exists and <c>$nin</c>", <c>match.text</c> <c>$contains</c> (substring, as Qdrant without a full-text
/// index), <c>range</c> <c>$gt/$gte/$lt/$lte</c> on numbers; <c>is_empty</c> and <c>is_null</c>. Both engines match an
/// array field when any element matches.</item>
/// <item>Paths: <c>a.b</c> is the same in both, <c>a[].b</c> becomes <c>a.b</c> (VectLite fans out through arrays),
/// <c>a[0]</c> becomes <c>a.0</c>.</item>
/// <item>Refused (400, named): <c>has_id</c>, <c>nested</c>, <c>has_vector</c>, <c>values_count</c>, <c>min_should</c>,
/// geo conditions, datetime ranges, <c>text_any</c>/<c>phrase</c>.</item>
/// </list>
/// A null result means "no restriction".
/// </remarks>
internal static class FilterTranslator
{
    /// <summary>Translates the <c>filter</c> field of a request, or returns null when it is absent or imposes nothing.</summary>
    public static Filter? Translate(JsonElement? filter) => filter is { } f ? TranslateFilter(f) : null;

    private static Filter? TranslateFilter(JsonElement filter)
    {
        if (filter.ValueKind != JsonValueKind.Object)
        {
            throw QdrantException.BadRequest($"a filter must be an object with must, should and must_not, got {filter.ValueKind}");
        }
        var parts = new List<Filter>();
        foreach (JsonProperty clause in filter.EnumerateObject())
        {
            if (clause.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (clause.Name == "min_should")
            {
                throw QdrantException.Unsupported("the `min_should` filter clause");
            }
            List<Filter> conditions = Conditions(clause.Value, clause.Name);
            switch (clause.Name)
            {
                case "must":
                    parts.AddRange(conditions);
                    break;
                case "should":
                    if (conditions.Count > 0)
                    {
                        parts.Add(conditions.Count == 1 ? conditions[0] : Filter.Or([.. conditions]));
                    }
                    break;
                case "must_not":
                    if (conditions.Count > 0)
                    {
                        parts.Add(Filter.Not(conditions.Count == 1 ? conditions[0] : Filter.Or([.. conditions])));
                    }
                    break;
                default:
                    throw QdrantException.BadRequest($"unknown filter clause `{clause.Name}`: expected must, should or must_not");
            }
        }
        return parts.Count switch
        {
            0 => null,
            1 => parts[0],
            _ => Filter.And([.. parts]),
        };
    }

    /// <summary>A clause holds one condition or an array of them; conditions that impose nothing are dropped.</summary>
    private static List<Filter> Conditions(JsonElement clause, string name)
    {
        var result = new List<Filter>();
        if (clause.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement condition in clause.EnumerateArray())
            {
                if (Condition(condition, name) is { } f)
                {
                    result.Add(f);
                }
            }
        }
        else if (Condition(clause, name) is { } single)
        {
            result.Add(single);
        }
        return result;
    }

    private static Filter? Condition(JsonElement condition, string clause)
    {
        if (condition.ValueKind != JsonValueKind.Object)
        {
            throw QdrantException.BadRequest($"a `{clause}` condition must be an object, got {condition.GetRawText()}");
        }
        if (JsonFields.Get(condition, "key") is not null)
        {
            return FieldCondition(condition);
        }
        if (JsonFields.Get(condition, "is_empty") is { } isEmpty)
        {
            return IsEmpty(Path(KeyOf(isEmpty, "is_empty")));
        }
        if (JsonFields.Get(condition, "is_null") is { } isNull)
        {
            string path = Path(KeyOf(isNull, "is_null"));
            return Filter.Exists(path) & Filter.Eq(path, FilterValue.Null);
        }
        if (JsonFields.Get(condition, "has_id") is not null)
        {
            throw QdrantException.Unsupported("the `has_id` condition");
        }
        if (JsonFields.Get(condition, "nested") is not null)
        {
            throw QdrantException.Unsupported("the `nested` condition");
        }
        if (JsonFields.Get(condition, "has_vector") is not null)
        {
            throw QdrantException.Unsupported("the `has_vector` condition");
        }
        foreach (string clauseName in (ReadOnlySpan<string>)["must", "should", "must_not", "min_should"])
        {
            if (condition.TryGetProperty(clauseName, out _))
            {
                Filter? nested = TranslateFilter(condition);
                if (nested is null && clause == "must_not")
                {
                    throw QdrantException.BadRequest("a `must_not` condition that imposes nothing would exclude every point");
                }
                return nested;
            }
        }
        throw QdrantException.BadRequest($"unknown filter condition {condition.GetRawText()}");
    }

    /// <summary>
    /// Qdrant's is_empty: the field is missing, null, or an empty array. VectLite's "a missing field matches null" rule
    /// covers the first two; for the third, an empty array is a field that exists but holds no number, string or
    /// boolean (a number is &gt;= the lowest double, a string &gt;= "", a boolean one of true/false). A field holding
    /// only objects therefore counts as empty too (VectLite filters compare no whole objects; see docs/server.md).
    /// </summary>
    private static Filter IsEmpty(string path) =>
        Filter.Eq(path, FilterValue.Null)
        | (Filter.Exists(path) & Filter.Not(Filter.Gte(path, double.MinValue) | Filter.Gte(path, "") | Filter.In(path, true, false)));

    private static string KeyOf(JsonElement holder, string condition) =>
        JsonFields.String(holder, "key") ?? throw QdrantException.BadRequest($"`{condition}` needs a `key`");

    private static Filter FieldCondition(JsonElement condition)
    {
        string path = Path(JsonFields.String(condition, "key")!);
        var parts = new List<Filter>();
        foreach (JsonProperty property in condition.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null || property.Name == "key")
            {
                continue;
            }
            switch (property.Name)
            {
                case "match":
                    parts.Add(Match(path, property.Value));
                    break;
                case "range":
                    parts.Add(Range(path, property.Value));
                    break;
                case "values_count":
                    throw QdrantException.Unsupported("the `values_count` condition");
                case "geo_bounding_box" or "geo_radius" or "geo_polygon":
                    throw QdrantException.Unsupported($"the `{property.Name}` condition");
                case "is_empty" or "is_null":
                    // Qdrant's FieldCondition also carries these as booleans.
                    bool wanted = property.Value.ValueKind == JsonValueKind.True;
                    Filter test = property.Name == "is_null"
                        ? Filter.Exists(path) & Filter.Eq(path, FilterValue.Null)
                        : IsEmpty(path);
                    parts.Add(wanted ? test : Filter.Not(test));
                    break;
                default:
                    throw QdrantException.BadRequest($"unknown field condition `{property.Name}` on key `{JsonFields.String(condition, "key")}`");
            }
        }
        return parts.Count switch
        {
            0 => throw QdrantException.BadRequest($"the condition on key `{JsonFields.String(condition, "key")}` has no match or range"),
            1 => parts[0],
            _ => Filter.And([.. parts]),
        };
    }

    private static Filter Match(string path, JsonElement match)
    {
        if (JsonFields.Get(match, "value") is { } value)
        {
            return Filter.Eq(path, Value(value));
        }
        if (JsonFields.Get(match, "any") is { } any)
        {
            return Filter.In(path, Values(any, "match.any"));
        }
        if (JsonFields.Get(match, "except") is { } except)
        {
            // Qdrant's `except` needs a value to compare: a missing field does not match it.
            return Filter.Exists(path) & Filter.Nin(path, Values(except, "match.except"));
        }
        if (JsonFields.Get(match, "text") is { } text)
        {
            return text.ValueKind == JsonValueKind.String
                ? Filter.Contains(path, text.GetString())
                : throw QdrantException.BadRequest("`match.text` must be a string");
        }
        if (JsonFields.Get(match, "text_any") is not null || JsonFields.Get(match, "phrase") is not null)
        {
            throw QdrantException.Unsupported("full-text matching (`text_any`, `phrase`)");
        }
        throw QdrantException.BadRequest($"`match` needs one of value, any, except or text, got {match.GetRawText()}");
    }

    private static Filter Range(string path, JsonElement range)
    {
        if (range.ValueKind != JsonValueKind.Object)
        {
            throw QdrantException.BadRequest("`range` must be an object with gt, gte, lt or lte");
        }
        var parts = new List<Filter>();
        foreach (JsonProperty bound in range.EnumerateObject())
        {
            if (bound.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (bound.Value.ValueKind != JsonValueKind.Number)
            {
                throw bound.Value.ValueKind == JsonValueKind.String
                    ? QdrantException.Unsupported("a datetime range")
                    : QdrantException.BadRequest($"`range.{bound.Name}` must be a number");
            }
            FilterValue v = bound.Value.GetDouble();
            parts.Add(bound.Name switch
            {
                "gt" => Filter.Gt(path, v),
                "gte" => Filter.Gte(path, v),
                "lt" => Filter.Lt(path, v),
                "lte" => Filter.Lte(path, v),
                _ => throw QdrantException.BadRequest($"unknown range bound `{bound.Name}`: expected gt, gte, lt or lte"),
            });
        }
        return parts.Count switch
        {
            0 => throw QdrantException.BadRequest("`range` needs at least one of gt, gte, lt, lte"),
            1 => parts[0],
            _ => Filter.And([.. parts]),
        };
    }

    private static FilterValue[] Values(JsonElement array, string field)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw QdrantException.BadRequest($"`{field}` must be an array");
        }
        var values = new FilterValue[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement value in array.EnumerateArray())
        {
            values[i++] = Value(value);
        }
        return values;
    }

    /// <summary>A match value: a string (keyword or UUID), an integer or a boolean, as Qdrant's match accepts.</summary>
    private static FilterValue Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out long integer) => integer,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw QdrantException.BadRequest($"a match value must be a string, an integer or a boolean, got {value.GetRawText()}"),
    };

    /// <summary>Qdrant's payload key syntax to VectLite's dot path: <c>a[].b</c> to <c>a.b</c>, <c>a[2]</c> to <c>a.2</c>.</summary>
    internal static string Path(string key)
    {
        if (key.Length == 0)
        {
            throw QdrantException.BadRequest("a filter key must not be empty");
        }
        if (key.Contains('"', StringComparison.Ordinal))
        {
            throw QdrantException.Unsupported("a quoted payload key");
        }
        var path = new StringBuilder(key.Length);
        for (int i = 0; i < key.Length; i++)
        {
            char c = key[i];
            if (c == '[')
            {
                int close = key.IndexOf(']', i);
                if (close < 0)
                {
                    throw QdrantException.BadRequest($"unclosed '[' in key `{key}`");
                }
                string index = key[(i + 1)..close];
                if (index.Length > 0)
                {
                    path.Append('.').Append(index);
                }
                i = close;
                continue;
            }
            path.Append(c);
        }
        return path.ToString();
    }
}
