using System.Globalization;
using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// Every mutation, checked against a plain in-memory model (dictionaries and LINQ, no VectLite code) on the open
/// handle, after a reopen from the log, and after a checkpoint and a reopen. Unlike <see cref="PersistenceTests"/>,
/// which compares the collection with itself before and after, the expected state here never comes from the engine.
/// </summary>
public sealed class PersistenceModelTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A record as the model keeps it.</summary>
    private sealed record Entry(float[] Vector, JsonObject? Payload, bool Expires);

    /// <summary>The model: records by (namespace, id) and the payload index definitions.</summary>
    private sealed class Model
    {
        public Dictionary<(string Ns, RecordId Id), Entry> Records { get; } = [];

        public List<string> Indexes { get; } = [];

        public void Put(Record r, bool expires = false) =>
            Records[(r.Namespace ?? "", r.Id)] = new Entry(r.Vector!.Value.ToArray(), r.Payload?.DeepClone().AsObject(), expires);

        /// <summary>Listing order: namespace (ordinal), then numbers ascending, then strings (ordinal).</summary>
        public IEnumerable<string> Listing() => Records
            .OrderBy(kv => kv.Key.Ns, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Id.IsString ? 1 : 0)
            .ThenBy(kv => kv.Key.Id.IsString ? 0 : kv.Key.Id.AsNumber)
            .ThenBy(kv => kv.Key.Id.IsString ? kv.Key.Id.AsString : "", StringComparer.Ordinal)
            .Select(kv => Line(kv.Key.Ns, kv.Key.Id.ToString(), kv.Value.Expires, kv.Value.Payload, kv.Value.Vector));

        /// <summary>The ids of the 20 records with a colour nearest (L2) to (1, 0, 0, 0), by a plain loop.</summary>
        public IEnumerable<string> Nearest() => Records
            .Where(kv => kv.Value.Payload?["color"] is not null)
            .Select(kv => (Key: kv.Key, Distance: kv.Value.Vector.Select((x, i) => (double)(x - (i == 0 ? 1 : 0)) * (x - (i == 0 ? 1 : 0))).Sum()))
            .OrderBy(x => x.Distance)
            .Take(20)
            .Select(x => $"{x.Key.Ns}/{x.Key.Id}");
    }

    private static string Line(string ns, string id, bool expires, JsonObject? payload, float[] vector) =>
        $"{ns}/{id} expires={expires} payload={TestData.Canonical(payload)} vector={string.Join(",", vector.Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}";

    private static void AssertMatches(Model model, Collection c)
    {
        var listing = new List<string>();
        string? cursor = null;
        do
        {
            ScrollPage page = c.Scroll(new ScrollOptions { Limit = 7, Cursor = cursor, IncludeVectors = true, AllNamespaces = true });
            listing.AddRange(page.Records.Select(r => Line(r.Namespace!, r.Id.ToString(), r.ExpiresAt is not null, r.Payload, r.Vector!.Value.ToArray())));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(model.Listing(), listing);

        Assert.Equal(model.Nearest(), c.Search(new float[] { 1, 0, 0, 0 }, new SearchOptions { TopK = 20, Filter = Filter.Exists("color"), AllNamespaces = true }).Select(h => $"{h.Namespace}/{h.Id}"));
        Assert.Equal(model.Records.Values.Count(e => (string?)e.Payload?["color"] == "red"), c.CountAllNamespaces(Filter.Eq("color", "red")));
        Assert.Equal(model.Indexes, c.GetStats().PayloadIndexes.Select(i => $"{i.Field}:{i.Kind}"));
    }

    private static void Seed(Collection c, Model model)
    {
        c.CreatePayloadIndex("color", PayloadIndexKind.Keyword);
        model.Indexes.Add("color:Keyword");
        List<Record> records = TestData.Records(30, 4);
        c.UpsertMany(records);
        records.ForEach(r => model.Put(r));
        c.SetTimeToLive(9, TimeSpan.FromHours(1));
        model.Records[("", 9)] = model.Records[("", 9)] with { Expires = true };
    }

    private static void Mutate(Collection c, Model model, string mutation)
    {
        switch (mutation)
        {
            case "upsert":
                var added = new Record("new", new float[] { 9, 9, 9, 9 }, new JsonObject { ["color"] = "red" });
                c.Upsert(added);
                model.Put(added);
                break;
            case "upsert-many-overwrite":
                List<Record> replacements = TestData.Records(10, 4, seed: 99);
                c.UpsertMany(replacements);
                replacements.ForEach(r => model.Put(r)); // a replaced record loses its expiry too
                break;
            case "delete":
                c.Delete(3);
                model.Records.Remove(("", 3));
                break;
            case "delete-many":
                c.DeleteMany([4, 5, 6]);
                model.Records.Remove(("", 4));
                model.Records.Remove(("", 5));
                model.Records.Remove(("", 6));
                break;
            case "delete-by-filter":
                c.DeleteByFilter(Filter.Eq("color", "blue"));
                foreach (var key in model.Records.Where(kv => (string?)kv.Value.Payload?["color"] == "blue").Select(kv => kv.Key).ToList())
                {
                    model.Records.Remove(key);
                }
                break;
            case "update-payload":
                c.UpdatePayload(7, new JsonObject { ["color"] = "red", ["price"] = null });
                JsonObject patched = model.Records[("", 7)].Payload!.DeepClone().AsObject();
                patched["color"] = "red";
                patched.Remove("price");
                model.Records[("", 7)] = model.Records[("", 7)] with { Payload = patched };
                break;
            case "set-ttl":
                c.SetTimeToLive(8, TimeSpan.FromHours(2));
                model.Records[("", 8)] = model.Records[("", 8)] with { Expires = true };
                break;
            case "clear-ttl":
                c.ClearExpiry(9);
                model.Records[("", 9)] = model.Records[("", 9)] with { Expires = false };
                break;
            case "namespace":
                var other = new Record(1, new float[] { 1, 1, 1, 1 }) { Namespace = "other" };
                c.Upsert(other);
                model.Put(other);
                break;
            case "create-index":
                c.CreatePayloadIndex("price", PayloadIndexKind.Numeric);
                model.Indexes.Add("price:Numeric");
                break;
            case "drop-index":
                c.DropPayloadIndex("color");
                model.Indexes.Remove("color:Keyword");
                break;
            default:
                throw new ArgumentException(mutation);
        }
    }

    [Theory]
    [MemberData(nameof(PersistenceTests.Mutations), MemberType = typeof(PersistenceTests))]
    public void Every_mutation_matches_the_model_live_after_reopen_and_after_a_checkpoint(string mutation)
    {
        var model = new Model();
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            Seed(c, model);
            Mutate(c, model, mutation);
            AssertMatches(model, c);
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            AssertMatches(model, c); // replayed from the log
            c.Compact();
            AssertMatches(model, c);
        }
        using (Database db = _temp.Open())
        {
            AssertMatches(model, db.GetCollection("docs")); // loaded from the checkpoint
        }
    }
}
