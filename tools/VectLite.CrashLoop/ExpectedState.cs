using System.Text;
using System.Text.Json.Nodes;

namespace VectLite.CrashLoop;

/// <summary>
/// What the database must hold after a given prefix of the journal: the model the verifier compares the reopened
/// database with. It implements each operation's meaning on its own (last write wins, delete, RFC 7386 merge patch),
/// sharing no code with the engine.
/// </summary>
public sealed class ExpectedState
{
    private readonly Dictionary<(string Namespace, ulong Id), (long Sequence, int Position, JsonObject Payload)> _records;

    /// <summary>An empty database.</summary>
    public ExpectedState() => _records = [];

    private ExpectedState(ExpectedState other)
    {
        _records = new(other._records.Count);
        foreach (var (key, value) in other._records)
        {
            _records[key] = (value.Sequence, value.Position, value.Payload.DeepClone().AsObject());
        }
    }

    /// <summary>Live records.</summary>
    public int Count => _records.Count;

    /// <summary>An independent copy.</summary>
    public ExpectedState Clone() => new(this);

    /// <summary>Applies <paramref name="operation"/> and returns what the engine call must have returned.</summary>
    public long Apply(JournalOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        switch (operation.Kind)
        {
            case JournalOperationKind.Upsert:
                for (int k = 0; k < operation.Ids.Length; k++)
                {
                    _records[(operation.Namespace, operation.Ids[k])] =
                        (operation.Sequence, k, new JsonObject { ["seq"] = operation.Sequence, ["k"] = k });
                }
                return operation.Ids.Length;
            case JournalOperationKind.Delete:
                long removed = 0;
                foreach (ulong id in operation.Ids)
                {
                    removed += _records.Remove((operation.Namespace, id)) ? 1 : 0;
                }
                return removed;
            case JournalOperationKind.Patch:
                var key = (operation.Namespace, operation.Ids[0]);
                if (!_records.TryGetValue(key, out var current))
                {
                    return 0;
                }
                _records[key] = current with { Payload = (JsonObject)MergePatch(current.Payload, operation.Patch!)! };
                return 1;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "unknown operation");
        }
    }

    /// <summary>
    /// Compares the collection's visible records with this state: the same keys, the same payloads, and vectors equal
    /// bit for bit to the ones written. Returns null when they agree, or the first differences found.
    /// </summary>
    public string? Difference(Collection collection)
    {
        ArgumentNullException.ThrowIfNull(collection);
        var differences = new StringBuilder();
        var seen = new HashSet<(string, ulong)>();
        string? cursor = null;
        do
        {
            ScrollPage page = collection.Scroll(new ScrollOptions { Limit = 10_000, Cursor = cursor, IncludeVectors = true, AllNamespaces = true });
            foreach (Record record in page.Records)
            {
                var key = (record.Namespace ?? "", record.Id.AsNumber);
                if (!seen.Add(key))
                {
                    Note(differences, $"{key} listed twice");
                }
                else if (!_records.TryGetValue(key, out var expected))
                {
                    Note(differences, $"{key} is present but must not be (payload {record.Payload?.ToJsonString()})");
                }
                else
                {
                    if (!JsonNode.DeepEquals(record.Payload, expected.Payload))
                    {
                        Note(differences, $"{key} has payload {record.Payload?.ToJsonString()}, expected {expected.Payload.ToJsonString()}");
                    }
                    float[] vector = GeneratedVectors.For(key.Item1, key.Item2, expected.Sequence, expected.Position);
                    if (record.Vector is not { } actual || !actual.Span.SequenceEqual(vector))
                    {
                        Note(differences, $"{key} has a vector other than the one written by operation {expected.Sequence}");
                    }
                }
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        foreach (var key in _records.Keys)
        {
            if (!seen.Contains(key))
            {
                Note(differences, $"{key} (written by operation {_records[key].Sequence}) is missing");
            }
        }
        return differences.Length == 0 ? null : differences.ToString();
    }

    private static void Note(StringBuilder differences, string text)
    {
        if (differences.Length < 2_000)
        {
            differences.Append(text).Append("; ");
        }
    }

    /// <summary>RFC 7386 section 2, as written there: a non-object patch replaces; an object patch merges key by key, null removing.</summary>
    private static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }
        JsonObject result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : [];
        foreach (var (name, value) in patchObject)
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
