using System.Text.Json.Nodes;

namespace VectLite.Tests.Model;

/// <summary>
/// What a collection must hold, kept the simplest way: a dictionary keyed by (namespace, id) of the visible records.
/// A record written or set to expire in the past is simply not in it. Every operation's meaning is written here from
/// the public documentation (last write in a batch wins, deletes count visible records, RFC 7386 merge patch),
/// sharing no code with the engine.
/// </summary>
internal sealed class CollectionModel
{
    public Dictionary<(string Namespace, RecordId Id), ModelRecordSpec> Records { get; } = [];

    public HashSet<(string Field, PayloadIndexKind Kind)> Indexes { get; } = [];

    /// <summary>Applies <paramref name="operation"/> and returns what the engine call must return (null for none).</summary>
    public object? Apply(ModelOperation operation)
    {
        switch (operation.Kind)
        {
            case ModelOperationKind.Upsert:
            case ModelOperationKind.UpsertMany:
                foreach (ModelRecordSpec record in operation.Records)
                {
                    var key = (Normalize(record.Namespace), record.Id);
                    if (record.Expiry.IsLive())
                    {
                        Records[key] = record;
                    }
                    else
                    {
                        Records.Remove(key);
                    }
                }
                return operation.Kind == ModelOperationKind.UpsertMany ? operation.Records.Length : null;
            case ModelOperationKind.Delete:
                return Records.Remove((Normalize(operation.Namespace), operation.Ids[0]));
            case ModelOperationKind.DeleteMany:
                return operation.Ids.Distinct().Count(id => Records.Remove((Normalize(operation.Namespace), id)));
            case ModelOperationKind.DeleteByFilter or ModelOperationKind.DeleteByFilterInAllNamespaces:
                var doomed = (operation.Kind == ModelOperationKind.DeleteByFilter ? Matching(operation.Namespace, operation.Filter) : MatchingInAllNamespaces(operation.Filter))
                    .Select(r => (Normalize(r.Namespace), r.Id)).ToList();
                foreach (var key in doomed)
                {
                    Records.Remove(key);
                }
                return doomed.Count;
            case ModelOperationKind.UpdatePayload:
                return Update(operation, r => r with { Payload = MergePatch(r.Payload is null ? null : JsonNode.Parse(r.Payload), JsonNode.Parse(operation.Patch!))!.ToJsonString() });
            case ModelOperationKind.SetExpiry:
                return Update(operation, r => r with { Expiry = operation.Expiry });
            case ModelOperationKind.ClearExpiry:
                return Update(operation, r => r with { Expiry = ModelExpiry.None });
            case ModelOperationKind.CreatePayloadIndex:
                Indexes.Add(ModelFilters.Indexes[operation.Field]);
                return null;
            case ModelOperationKind.DropPayloadIndex:
                return Indexes.Remove(ModelFilters.Indexes[operation.Field]);
            default:
                return null; // compact, flush and reopening change nothing a reader can see
        }
    }

    /// <summary>Visible records in one namespace (null and "" are the default one) that match filter number <paramref name="filter"/> (-1: all).</summary>
    public IEnumerable<ModelRecordSpec> Matching(string? @namespace, int filter) =>
        MatchingInAllNamespaces(filter).Where(r => Normalize(r.Namespace) == Normalize(@namespace));

    /// <summary>Visible records in every namespace that match filter number <paramref name="filter"/> (-1: all).</summary>
    public IEnumerable<ModelRecordSpec> MatchingInAllNamespaces(int filter) =>
        Records.Values.Where(r => filter < 0 || ModelFilters.All[filter].Matches(r.Payload is null ? null : JsonNode.Parse(r.Payload)!.AsObject()));

    /// <summary>Null and "" both name the default namespace.</summary>
    public static string Normalize(string? @namespace) => @namespace ?? "";

    private bool Update(ModelOperation operation, Func<ModelRecordSpec, ModelRecordSpec> change)
    {
        var key = (Normalize(operation.Namespace), operation.Ids[0]);
        if (!Records.TryGetValue(key, out ModelRecordSpec? record))
        {
            return false;
        }
        ModelRecordSpec changed = change(record);
        if (changed.Expiry.IsLive())
        {
            Records[key] = changed;
        }
        else
        {
            Records.Remove(key);
        }
        return true;
    }

    /// <summary>RFC 7386 section 2, transcribed: a non-object patch replaces the target; an object patch merges member by member, null removing.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        JsonObject result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach ((string name, JsonNode? value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = MergePatch(result[name], value);
            }
        }
        return result;
    }
}
