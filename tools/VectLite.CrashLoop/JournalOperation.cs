using System.Text.Json.Nodes;

namespace VectLite.CrashLoop;

/// <summary>
/// One write the child performs, as its journal records it. Records written by an upsert carry the payload
/// <c>{"seq": Sequence, "k": position}</c> and the vector <see cref="GeneratedVectors.For"/>; nothing else is needed to
/// know what the database must hold.
/// </summary>
/// <param name="Sequence">Unique across the whole run.</param>
/// <param name="Kind">What the operation does.</param>
/// <param name="Namespace">The namespace every record of the operation lives in ("" is the default one).</param>
/// <param name="Ids">The ids written or deleted, in call order (an upsert may repeat an id: the last one wins).</param>
/// <param name="Patch">The merge patch of a <see cref="JournalOperationKind.Patch"/>.</param>
public sealed record JournalOperation(long Sequence, JournalOperationKind Kind, string Namespace, ulong[] Ids, JsonObject? Patch)
{
    /// <summary>The journal's one-line JSON form.</summary>
    public string ToJson()
    {
        var ids = new JsonArray();
        foreach (ulong id in Ids)
        {
            ids.Add(id);
        }
        var json = new JsonObject
        {
            ["seq"] = Sequence,
            ["kind"] = Kind.ToString(),
            ["ns"] = Namespace,
            ["ids"] = ids,
        };
        if (Patch is not null)
        {
            json["patch"] = Patch.DeepClone();
        }
        return json.ToJsonString();
    }

    /// <summary>Parses <see cref="ToJson"/>'s output.</summary>
    /// <exception cref="FormatException">The line is not an operation.</exception>
    public static JournalOperation Parse(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject o
            || o["seq"] is not JsonValue seq
            || o["kind"] is not JsonValue kind
            || o["ns"] is not JsonValue ns
            || o["ids"] is not JsonArray ids
            || !Enum.TryParse(kind.GetValue<string>(), out JournalOperationKind parsedKind))
        {
            throw new FormatException($"not a journal operation: {json}");
        }
        return new JournalOperation(
            seq.GetValue<long>(),
            parsedKind,
            ns.GetValue<string>(),
            [.. ids.Select(i => i!.GetValue<ulong>())],
            o["patch"] as JsonObject is { } patch ? patch.DeepClone().AsObject() : null);
    }
}
