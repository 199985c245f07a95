using System.Globalization;
using System.Text.Json.Nodes;

namespace VectLite.Tests.Storage;

/// <summary>
/// An in-memory model of what a database must hold: collections of records (vector and flat payload), kept by the
/// test alongside the engine, and rendered in the same text form as <see cref="Read"/> renders a real database.
/// </summary>
internal sealed class ExpectedDatabase
{
    private readonly SortedDictionary<string, SortedDictionary<ulong, (float[] Vector, SortedDictionary<string, string> Payload)>> _collections = new(StringComparer.Ordinal);

    public ExpectedDatabase Clone()
    {
        var copy = new ExpectedDatabase();
        foreach (var (name, records) in _collections)
        {
            var target = new SortedDictionary<ulong, (float[], SortedDictionary<string, string>)>();
            foreach (var (id, record) in records)
            {
                target[id] = (record.Vector, new SortedDictionary<string, string>(record.Payload, StringComparer.Ordinal));
            }
            copy._collections[name] = target;
        }
        return copy;
    }

    public void Create(string collection) => _collections.TryAdd(collection, []);

    public void Drop(string collection) => _collections.Remove(collection);

    public void Upsert(string collection, ulong id, float[] vector, JsonObject payload)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in payload)
        {
            fields[key] = value!.ToJsonString();
        }
        _collections[collection][id] = (vector, fields);
    }

    public void Delete(string collection, ulong id) => _collections[collection].Remove(id);

    /// <summary>Whether the record exists (an update or delete of a missing record writes nothing).</summary>

    /// <summary>A merge patch whose values are all non-null: each key is set.</summary>
    public void Patch(string collection, ulong id, JsonObject patch)
    {
        if (!_collections[collection].TryGetValue(id, out var record))
        {
            return; // UpdatePayload of a missing record is a no-op
        }
        foreach (var (key, value) in patch)
        {
            record.Payload[key] = value!.ToJsonString();
        }
    }

    public bool Contains(string collection, ulong id) => _collections.TryGetValue(collection, out var records) && records.ContainsKey(id);

    public string Render()
    {
        var lines = new List<string>();
        foreach (var (name, records) in _collections)
        {
            lines.Add($"[{name}] {records.Count}");
            foreach (var (id, record) in records)
            {
                lines.Add(Line(id, record.Vector, record.Payload));
            }
        }
        return string.Join("\n", lines);
    }

    /// <summary>Renders everything a database holds (collections with numeric ids and flat payloads) like <see cref="Render"/>.</summary>
    public static string Read(Database db)
    {
        var lines = new List<string>();
        foreach (string name in db.ListCollections())
        {
            Collection c = db.GetCollection(name);
            var records = new List<Record>();
            string? cursor = null;
            do
            {
                ScrollPage page = c.Scroll(new ScrollOptions { Limit = 1000, Cursor = cursor, IncludeVectors = true });
                records.AddRange(page.Records);
                cursor = page.NextCursor;
            }
            while (cursor is not null);
            lines.Add($"[{name}] {c.Count()}");
            foreach (Record r in records.OrderBy(r => r.Id.AsNumber))
            {
                var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in r.Payload ?? [])
                {
                    fields[key] = value!.ToJsonString();
                }
                lines.Add(Line(r.Id.AsNumber, r.Vectors[CollectionSchema.DefaultVectorName].ToArray(), fields));
            }
        }
        return string.Join("\n", lines);
    }

    private static string Line(ulong id, float[] vector, SortedDictionary<string, string> payload) =>
        $"{id} v={string.Join(",", vector.Select(f => f.ToString("R", CultureInfo.InvariantCulture)))} p={string.Join(";", payload.Select(p => p.Key + "=" + p.Value))}";
}
