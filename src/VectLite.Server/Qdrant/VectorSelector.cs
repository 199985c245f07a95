using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>Qdrant's <c>with_vector</c> (also spelled <c>with_vectors</c>): a boolean, or a list of vector names.</summary>
internal sealed class VectorSelector
{
    private readonly HashSet<string>? _names;

    private VectorSelector(bool enabled, HashSet<string>? names)
    {
        Enabled = enabled;
        _names = names;
    }

    /// <summary>True when the response carries vectors at all.</summary>
    public bool Enabled { get; }

    /// <summary>Reads the selector with Qdrant's default for the endpoint.</summary>
    public static VectorSelector Read(JsonElement request, bool fallback)
    {
        JsonElement? value = JsonFields.Get(request, "with_vector") ?? JsonFields.Get(request, "with_vectors");
        if (value is not { } v)
        {
            return new VectorSelector(fallback, null);
        }
        switch (v.ValueKind)
        {
            case JsonValueKind.True:
                return new VectorSelector(true, null);
            case JsonValueKind.False:
                return new VectorSelector(false, null);
            case JsonValueKind.Array:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (JsonElement name in v.EnumerateArray())
                {
                    names.Add(name.ValueKind == JsonValueKind.String ? name.GetString()! : throw QdrantException.BadRequest("`with_vector` names must be strings"));
                }
                return new VectorSelector(true, names);
            default:
                throw QdrantException.BadRequest($"`with_vector` must be a boolean or a list of vector names, got {v.GetRawText()}");
        }
    }

    /// <summary>True when the vector with this VectLite name is wanted.</summary>
    public bool Wants(string name, bool unnamed) =>
        _names is null || _names.Contains(name) || (unnamed && _names.Contains(""));
}
