using System.Text.Json.Nodes;

namespace VectLite.Tests.Storage;

/// <summary>
/// The scripted workload the fault-injection tests run: open, create collections, upserts, deletes, payload updates,
/// a payload index, checkpoints, a drop, close. Each step changes the database and, once it returned, the model.
/// </summary>
internal static class FaultWorkload
{
    /// <summary>
    /// One call into the engine and what it does to the model once acknowledged. <paramref name="Structural"/>: later
    /// steps depend on it (open, create, drop, close), so a test retries it after a fault instead of skipping it.
    /// </summary>
    internal sealed record Step(string Name, Action<Holder> Run, Action<ExpectedDatabase> Apply, bool Structural = false);

    /// <summary>The open database a step works on (the "open" step sets it, "close" disposes it).</summary>
    internal sealed class Holder(string path, DatabaseOptions options)
    {
        public string Path => path;

        public DatabaseOptions Options => options;

        public Database? Db { get; set; }

        public Database Open => Db ?? throw new InvalidOperationException("the database is not open");
    }

    public static IReadOnlyList<Step> Steps { get; } = Build();

    private static float[] V(ulong id) => [id, 1, id % 3, 2];

    private static JsonObject P(ulong id) => new() { ["n"] = (long)id, ["color"] = id % 2 == 0 ? "red" : "blue" };

    private static Step Upsert(string collection, params ulong[] ids) => new(
        $"upsert {collection} [{string.Join(",", ids)}]",
        h => h.Open.GetCollection(collection).UpsertMany(ids.Select(id => new Record(id, V(id), P(id)))),
        m =>
        {
            foreach (ulong id in ids)
            {
                m.Upsert(collection, id, V(id), P(id));
            }
        });

    private static Step Create(string collection) => new(
        $"create {collection}",
        h => h.Open.GetOrCreateCollection(collection, CollectionSchema.SingleVector(4, Metric.L2)), // idempotent: a retry after a failure that created it succeeds
        m => m.Create(collection),
        Structural: true);

    private static Step Compact(string collection) => new($"compact {collection}", h => h.Open.GetCollection(collection).Compact(), _ => { });

    private static List<Step> Build() =>
    [
        new("open", h => h.Db ??= Database.Open(h.Path, h.Options), _ => { }, Structural: true),
        Create("a"),
        Upsert("a", 1, 2, 3),
        Upsert("a", 4),
        new("update-payload a 2", h => h.Open.GetCollection("a").UpdatePayload(2, new JsonObject { ["n"] = 20L }), m => m.Patch("a", 2, new JsonObject { ["n"] = 20L })),
        new("delete a 3", h => h.Open.GetCollection("a").Delete(3), m => m.Delete("a", 3)),
        new("create-index a color", h => h.Open.GetCollection("a").CreatePayloadIndex("color", PayloadIndexKind.Keyword), _ => { }),
        Compact("a"),
        Upsert("a", 5, 6, 1),
        Create("b"),
        Upsert("b", 10, 11),
        new("drop b", h => h.Open.DropCollection("b"), m => m.Drop("b"), Structural: true), // a failure after the rename leaves it dropped
        Upsert("a", 7),
        Compact("a"),
        new("delete a [4,5]", h => h.Open.GetCollection("a").DeleteMany([4UL, 5UL]), m =>
        {
            m.Delete("a", 4);
            m.Delete("a", 5);
        }),
        new("close", h =>
        {
            h.Db?.Dispose();
            h.Db = null;
        }, _ => { }, Structural: true),
    ];
}
