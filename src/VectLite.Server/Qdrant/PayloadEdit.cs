using System.Text.Json.Nodes;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Applies Qdrant's payload semantics through the engine. Qdrant's set_payload replaces top-level keys (it does not
/// merge nested objects) and stores JSON null as a value, while <see cref="Collection.UpdatePayload"/> takes a JSON
/// merge patch (nested objects merge, null removes). So the new payload is computed here, and reached by the merge
/// patch that turns the stored payload into exactly it (keys removed become null, changed keys their new value,
/// nested objects a nested patch); a payload that holds a JSON null cannot be reached by a merge patch, so then the
/// record is written again whole with its vectors and expiry. The caller holds the collection's write gate.
/// </summary>
internal static class PayloadEdit
{
    /// <summary>Makes the stored payload of <paramref name="record"/> equal <paramref name="desired"/>.</summary>
    public static void Apply(Collection collection, Record record, JsonObject desired)
    {
        JsonObject current = record.Payload ?? [];
        if (ContainsNull(desired))
        {
            var replacement = new Record(record.Id) { Payload = desired, ExpiresAt = record.ExpiresAt };
            foreach ((string name, ReadOnlyMemory<float> vector) in record.Vectors)
            {
                replacement.Vectors[name] = vector;
            }
            collection.Upsert(replacement);
            return;
        }
        JsonObject patch = Diff(current, desired);
        if (patch.Count > 0)
        {
            collection.UpdatePayload(record.Id, patch);
        }
    }

    /// <summary>Qdrant's set_payload: the keys of <paramref name="values"/> replace those at <paramref name="key"/> (a dot path; null for the top level).</summary>
    public static JsonObject Set(JsonObject? current, JsonObject values, string? key)
    {
        JsonObject result = current?.DeepClone().AsObject() ?? [];
        JsonObject target = result;
        if (!string.IsNullOrEmpty(key))
        {
            foreach (string segment in key.Split('.'))
            {
                if (target[segment] is not JsonObject child)
                {
                    child = [];
                    target[segment] = child;
                }
                target = child;
            }
        }
        foreach ((string name, JsonNode? value) in values)
        {
            target[name] = value?.DeepClone();
        }
        return result;
    }

    /// <summary>Qdrant's delete_payload: removes each key (a dot path reaches into nested objects).</summary>
    public static JsonObject DeleteKeys(JsonObject? current, IEnumerable<string> keys)
    {
        JsonObject result = current?.DeepClone().AsObject() ?? [];
        foreach (string key in keys)
        {
            string[] segments = key.Split('.');
            JsonObject? target = result;
            for (int i = 0; i < segments.Length - 1 && target is not null; i++)
            {
                target = target[segments[i]] as JsonObject;
            }
            target?.Remove(segments[^1]);
        }
        return result;
    }

    /// <summary>The merge patch that turns <paramref name="current"/> into <paramref name="desired"/> (which holds no null).</summary>
    internal static JsonObject Diff(JsonObject current, JsonObject desired)
    {
        var patch = new JsonObject();
        foreach ((string key, _) in current)
        {
            if (!desired.ContainsKey(key))
            {
                patch[key] = null;
            }
        }
        foreach ((string key, JsonNode? value) in desired)
        {
            JsonNode? old = current[key];
            if (old is JsonObject oldObject && value is JsonObject newObject)
            {
                JsonObject nested = Diff(oldObject, newObject);
                if (nested.Count > 0)
                {
                    patch[key] = nested;
                }
            }
            else if (!current.ContainsKey(key) || !JsonNode.DeepEquals(old, value))
            {
                patch[key] = value?.DeepClone();
            }
        }
        return patch;
    }

    private static bool ContainsNull(JsonNode? node) => node switch
    {
        null => true,
        JsonObject obj => obj.Any(kv => ContainsNull(kv.Value)),
        JsonArray array => array.Any(ContainsNull),
        _ => false,
    };
}
