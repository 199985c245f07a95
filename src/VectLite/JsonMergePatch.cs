using System.Text.Json.Nodes;

namespace VectLite;

/// <summary>JSON merge patch (RFC 7386) on payload objects, as used by <see cref="Collection.UpdatePayload"/>.</summary>
internal static class JsonMergePatch
{
    /// <summary>Applies <paramref name="patch"/> to <paramref name="target"/> in place.</summary>
    public static void Apply(JsonObject target, JsonObject patch)
    {
        foreach ((string key, JsonNode? value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject patchObject)
            {
                if (target[key] is not JsonObject targetObject)
                {
                    targetObject = [];
                    target[key] = targetObject;
                }
                Apply(targetObject, patchObject);
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
    }
}
