using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Qdrant's <c>with_payload</c>: <c>true</c>/<c>false</c>, a list of keys to include, or <c>{"include": [...]}</c> /
/// <c>{"exclude": [...]}</c>. Keys name top-level payload fields (or dot paths, whose first segment is kept).
/// </summary>
internal sealed class PayloadSelector
{
    private readonly HashSet<string>? _include;
    private readonly HashSet<string>? _exclude;

    private PayloadSelector(bool enabled, HashSet<string>? include, HashSet<string>? exclude)
    {
        Enabled = enabled;
        _include = include;
        _exclude = exclude;
    }

    /// <summary>True when the response carries payloads at all.</summary>
    public bool Enabled { get; }

    /// <summary>Reads <c>with_payload</c> from a request, with Qdrant's default for that endpoint.</summary>
    public static PayloadSelector Read(JsonElement request, bool fallback)
    {
        if (JsonFields.Get(request, "with_payload") is not { } value)
        {
            return new PayloadSelector(fallback, null, null);
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return new PayloadSelector(true, null, null);
            case JsonValueKind.False:
                return new PayloadSelector(false, null, null);
            case JsonValueKind.Array:
                return new PayloadSelector(true, Keys(value), null);
            case JsonValueKind.Object when JsonFields.Get(value, "include") is { } include:
                return new PayloadSelector(true, Keys(include), null);
            case JsonValueKind.Object when JsonFields.Get(value, "exclude") is { } exclude:
                return new PayloadSelector(true, null, Keys(exclude));
            default:
                throw QdrantException.BadRequest($"`with_payload` must be a boolean, a list of keys, or {{include}}/{{exclude}}, got {value.GetRawText()}");
        }
    }

    /// <summary>The payload as the client asked for it (an empty object for a point without one, as Qdrant).</summary>
    public JsonObject Select(JsonObject? payload)
    {
        payload ??= [];
        if (_include is null && _exclude is null)
        {
            return payload;
        }
        var selected = new JsonObject();
        foreach ((string key, JsonNode? value) in payload)
        {
            bool keep = _include is not null ? _include.Contains(key) : !_exclude!.Contains(key);
            if (keep)
            {
                selected[key] = value?.DeepClone();
            }
        }
        return selected;
    }

    private static HashSet<string> Keys(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw QdrantException.BadRequest("payload key lists must be arrays of strings");
        }
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement key in array.EnumerateArray())
        {
            string text = key.ValueKind == JsonValueKind.String ? key.GetString()! : throw QdrantException.BadRequest("payload keys must be strings");
            int dot = text.IndexOf('.', StringComparison.Ordinal);
            keys.Add(dot < 0 ? text : text[..dot]);
        }
        return keys;
    }
}
