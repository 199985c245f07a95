using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.Tests.Model;

/// <summary>
/// The filters the model-based tests use, each twice: as the engine's <see cref="Filter"/> and as a predicate written
/// here from docs/filters.md alone (a value at the path equals; <c>$contains</c> looks in arrays and inside strings; missing fields match <c>$ne</c>/<c>$nin</c>; ranges
/// compare numbers only; <c>$exists</c> counts any value), sharing no code with the engine's evaluator.
/// </summary>
internal static class ModelFilters
{
    public static readonly IReadOnlyList<(string Name, Filter Filter, Func<JsonObject?, bool> Matches)> All =
    [
        ("g == 1", Filter.Eq("g", 1), p => Numbers(p, "g").Contains(1)),
        ("g >= 2", Filter.Gte("g", 2), p => Numbers(p, "g").Any(v => v >= 2)),
        ("g < 1", Filter.Lt("g", 1), p => Numbers(p, "g").Any(v => v < 1)),
        ("g in (0, 3)", Filter.In("g", 0, 3), p => Numbers(p, "g").Any(v => v is 0 or 3)),
        ("tag == x", Filter.Eq("tag", "x"), p => Strings(p, "tag").Contains("x")),
        ("tag != x", Filter.Ne("tag", "x"), p => !Strings(p, "tag").Contains("x")),
        ("tag exists", Filter.Exists("tag"), p => Values(p, "tag").Count > 0),
        ("n.a == 1", Filter.Eq("n.a", 1), p => Numbers(p, "n.a").Contains(1)),
        ("tags contains y", Filter.Contains("tags", "y"), p => Values(p, "tags").Any(v => v switch
        {
            JsonArray a => a.Any(e => e is JsonValue s && s.GetValueKind() == JsonValueKind.String && s.GetValue<string>() == "y"),
            JsonValue s => s.GetValueKind() == JsonValueKind.String && s.GetValue<string>().Contains('y', StringComparison.Ordinal),
            _ => false,
        })),
        ("not g == 2", Filter.Not(Filter.Eq("g", 2)), p => !Numbers(p, "g").Contains(2)),
        ("g >= 1 and tag exists", Filter.And(Filter.Gte("g", 1), Filter.Exists("tag")), p => Numbers(p, "g").Any(v => v >= 1) && Values(p, "tag").Count > 0),
        ("tag == y or g < 1", Filter.Or(Filter.Eq("tag", "y"), Filter.Lt("g", 1)), p => Strings(p, "tag").Contains("y") || Numbers(p, "g").Any(v => v < 1)),
        ("n.a > 0", Filter.Gt("n.a", 0), p => Numbers(p, "n.a").Any(v => v > 0)),
        ("g nin (1, 2)", Filter.Nin("g", 1, 2), p => !Numbers(p, "g").Any(v => v is 1 or 2)),
    ];

    /// <summary>The payload index definitions the tests create and drop, by position.</summary>
    public static readonly IReadOnlyList<(string Field, PayloadIndexKind Kind)> Indexes =
    [
        ("g", PayloadIndexKind.Numeric),
        ("tag", PayloadIndexKind.Keyword),
        ("tags", PayloadIndexKind.Keyword),
        ("n.a", PayloadIndexKind.Numeric),
    ];

    /// <summary>The values at a dot path: the node itself, or each element when it is an array (one level, as MongoDB does).</summary>
    private static List<JsonNode?> Values(JsonObject? payload, string path)
    {
        JsonNode? node = payload;
        foreach (string segment in path.Split('.'))
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(segment, out JsonNode? child))
            {
                return [];
            }
            node = child;
        }
        return [node];
    }

    private static List<double> Numbers(JsonObject? payload, string path)
    {
        var numbers = new List<double>();
        foreach (JsonNode? value in Values(payload, path))
        {
            foreach (JsonNode? item in value is JsonArray a ? a.ToList() : [value])
            {
                if (item is JsonValue v && v.GetValueKind() == JsonValueKind.Number)
                {
                    numbers.Add(double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture));
                }
            }
        }
        return numbers;
    }

    private static List<string> Strings(JsonObject? payload, string path)
    {
        var strings = new List<string>();
        foreach (JsonNode? value in Values(payload, path))
        {
            foreach (JsonNode? item in value is JsonArray a ? a.ToList() : [value])
            {
                if (item is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                {
                    strings.Add(v.GetValue<string>());
                }
            }
        }
        return strings;
    }
}
