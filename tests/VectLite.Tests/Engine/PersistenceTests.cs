using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>Reopening (from the log, and from a checkpoint) gives back exactly what was written.</summary>
public sealed class PersistenceTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Everything observable about a collection, as one comparable string.</summary>
    private static string Fingerprint(Collection c)
    {
        var lines = new List<string>();
        string? cursor = null;
        do
        {
            ScrollPage page = c.Scroll(new ScrollOptions { Limit = 1000, Cursor = cursor, IncludeVectors = true });
            foreach (Record r in page.Records)
            {
                string vectors = string.Join("|", r.Vectors.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key + ":" + string.Join(",", v.Value.ToArray())));
                lines.Add($"{r.Namespace}/{r.Id} exp={r.ExpiresAt?.UtcTicks} payload={TestData.Canonical(r.Payload)} {vectors}");
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        float[] query = new float[c.Schema.Vectors[0].Dimension];
        query[0] = 1;
        lines.Add("search: " + string.Join(",", c.Search(query, new SearchOptions { TopK = 20, Filter = Filter.Exists("color") }).Select(h => $"{h.Id}:{h.Score:0.00000}")));
        lines.Add("count-red: " + c.Count(Filter.Eq("color", "red")));
        lines.Add("indexes: " + string.Join(",", c.GetStats().PayloadIndexes));
        return string.Join("\n", lines);
    }

    public static TheoryData<string> Mutations => new()
    {
        "upsert", "upsert-many-overwrite", "delete", "delete-many", "delete-by-filter", "update-payload",
        "set-ttl", "clear-ttl", "namespace", "create-index", "drop-index",
    };

    private static void Mutate(Collection c, string mutation)
    {
        switch (mutation)
        {
            case "upsert": c.Upsert(new Record("new", new float[] { 9, 9, 9, 9 }, new JsonObject { ["color"] = "red" })); break;
            case "upsert-many-overwrite": c.UpsertMany(TestData.Records(10, 4, seed: 99)); break;
            case "delete": c.Delete(3); break;
            case "delete-many": c.DeleteMany([4, 5, 6]); break;
            case "delete-by-filter": c.DeleteByFilter(Filter.Eq("color", "blue")); break;
            case "update-payload": c.UpdatePayload(7, new JsonObject { ["color"] = "red", ["price"] = null }); break;
            case "set-ttl": c.SetTimeToLive(8, TimeSpan.FromHours(2)); break;
            case "clear-ttl": c.ClearExpiry(9); break;
            case "namespace": c.Upsert(new Record(1, new float[] { 1, 1, 1, 1 }) { Namespace = "other" }); break;
            case "create-index": c.CreatePayloadIndex("price", PayloadIndexKind.Numeric); break;
            case "drop-index": c.DropPayloadIndex("color"); break;
            default: throw new ArgumentException(mutation);
        }
    }

    private static void Seed(Collection c)
    {
        c.CreatePayloadIndex("color", PayloadIndexKind.Keyword);
        c.UpsertMany(TestData.Records(30, 4));
        c.SetTimeToLive(9, TimeSpan.FromHours(1));
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Every_mutation_survives_reopen_from_the_log(string mutation)
    {
        string expected;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            Seed(c);
            Mutate(c, mutation);
            expected = Fingerprint(c);
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(expected, Fingerprint(db.GetCollection("docs")));
        }
    }

    [Theory]
    [MemberData(nameof(Mutations))]
    public void Every_mutation_survives_compact_and_reopen(string mutation)
    {
        string expected;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            Seed(c);
            c.Compact();
            Mutate(c, mutation);
            expected = Fingerprint(c);
            c.Compact();
            Assert.Equal(expected, Fingerprint(c));
            Assert.Equal(0, c.GetStats().WalBatchesSinceCheckpoint);
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(expected, Fingerprint(c));
            Assert.Equal(0, c.GetStats().WalBatchesSinceCheckpoint);
        }
    }

    [Fact]
    public void Writes_after_a_checkpoint_replay_on_top_of_it()
    {
        string expected;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.Cosine));
            Seed(c);
            c.Compact();
            c.UpsertMany(TestData.Records(40, 4, seed: 2));
            c.Delete(1);
            expected = Fingerprint(c);
            Assert.Equal(2, c.GetStats().WalBatchesSinceCheckpoint);
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(expected, Fingerprint(c));
            Assert.Equal(1, c.GetStats().CheckpointGeneration);
        }
    }

    [Fact]
    public void Compact_reclaims_deleted_replaced_and_expired_rows()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
        c.UpsertMany(TestData.Records(100, 4));
        c.UpsertMany(TestData.Records(10, 4, seed: 5)); // replaces 0..9
        c.DeleteMany([20, 21]);
        c.Upsert(new Record(500, new float[] { 1, 2, 3, 4 }) { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
        CollectionStats before = c.GetStats();
        Assert.Equal(98, before.RecordCount);
        Assert.Equal(111, before.StoredRows);
        Assert.Equal(13, before.DeletedRows);

        c.Compact();
        CollectionStats after = c.GetStats();
        Assert.Equal(98, after.RecordCount);
        Assert.Equal(98, after.StoredRows);
        Assert.Equal(0, after.DeletedRows);
        Assert.Equal(32, after.WalBytes); // the log is back to its header
        Assert.Equal(1, after.CheckpointGeneration);
        Assert.Equal(["checkpoint.vlck", "g1.records.vlrec", "g1.vec0.vlvec", "wal.vlwal"],
            Directory.GetFiles(_temp.CollectionDirectory("docs")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Reads_during_compaction_keep_working()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(16, Metric.L2));
        c.UpsertMany(TestData.Records(3000, 16));
        using var stop = new CancellationTokenSource();
        using var started = new ManualResetEventSlim();
        int searchesSoFar = 0;
        var reader = Task.Run(() =>
        {
            int searches = 0;
            var random = new Random(4);
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal(10, c.Search(TestData.RandomVector(random, 16)).Count);
                Assert.Equal(3000, c.Count());
                searches++;
                Volatile.Write(ref searchesSoFar, searches);
                started.Set();
            }
            return searches;
        });
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "the reader never completed a search");
        for (int i = 0; i < 5; i++)
        {
            c.UpsertMany(TestData.Records(100, 16, seed: i));
            c.Compact();
            // No timing: before the next checkpoint, wait until the reader has searched the new generation (or died).
            int target = Volatile.Read(ref searchesSoFar) + 1;
            SpinWait.SpinUntil(() => Volatile.Read(ref searchesSoFar) >= target || reader.IsCompleted);
        }
        stop.Cancel();
        Assert.True(await reader >= 5);
    }
}
