using System.Reflection;
using VectLite.Storage;
using VectLite.Tests.Storage;
using VectLite.Tests.Support;

namespace VectLite.Tests.Engine;

/// <summary>
/// Structural schema settings (vectors, M, ef_construction) are fixed and checked by GetOrCreateCollection, which names
/// each difference; runtime HNSW settings (EfSearch and the others) are not schema: a program that changes them in
/// code still opens its collection, and <see cref="Collection.UpdateOptions"/> changes them durably. Schemas are
/// immutable. Expected values are literals.
/// </summary>
public sealed class SchemaOptionsTests : IDisposable
{
    private const int Dimension = 16;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<Record> Records(int from, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(from, count).Select(i => new Record(i, TestData.RandomVector(random, Dimension)))];
    }

    /// <summary>Every runtime setting at a value other than its default (a setting ignored behaves as its default).</summary>
    private static readonly HnswOptions Runtime = new()
    {
        EfSearch = 77,
        MinIndexedVectors = 9,
        ParallelInsertThreshold = 33,
        MaxInsertThreads = 3,
        TombstoneRebuildPercent = 55,
    };

    // ---- GetOrCreateCollection ----

    [Fact]
    public void Changing_runtime_settings_in_code_still_opens_the_collection_with_its_stored_settings()
    {
        var created = CollectionSchema.SingleVector(8).WithHnsw(new HnswOptions { EfSearch = 40 });
        using (Database db = _temp.Open())
        {
            db.CreateCollection("notes", created).Upsert(new Record(1, new float[] { 1, 0, 0, 0, 0, 0, 0, 0 }));
            // The same handle: the collection is open already.
            Collection same = db.GetOrCreateCollection("notes", CollectionSchema.SingleVector(8).WithHnsw(Runtime));
            Assert.Equal(40, same.Schema.Hnsw.EfSearch);
        }
        var log = new ListLogger();
        using (Database db = _temp.Open(new DatabaseOptions { Logger = log }))
        {
            Collection notes = db.GetOrCreateCollection("notes", CollectionSchema.SingleVector(8).WithHnsw(Runtime));
            Assert.NotNull(notes.Get(1));
            Assert.Equal(new HnswOptions { EfSearch = 40 }, notes.Schema.Hnsw); // stored, not requested
            string message = Assert.Single(log.Entries, e => e.EventId == 21).Message;
            Assert.Contains("hnsw.EfSearch 40 (stored) vs 77 (requested)", message, StringComparison.Ordinal);
            Assert.Contains("hnsw.TombstoneRebuildPercent 30 (stored) vs 55 (requested)", message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_real_mismatch_names_each_difference()
    {
        using Database db = _temp.Open();
        db.CreateCollection("notes", CollectionSchema.SingleVector(8));
        var requested = CollectionSchema.SingleVector(16).WithHnsw(new HnswOptions { M = 32, EfConstruction = 300, EfSearch = 50 });
        var error = Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("notes", requested));
        Assert.Equal(
            "Collection \"notes\" exists with a different schema: vector \"default\" dimension 8 (stored) vs 16 (requested); " +
            "hnsw.M 16 (stored) vs 32 (requested); hnsw.EfConstruction 200 (stored) vs 300 (requested).",
            error.Message);
    }

    [Fact]
    public void A_mismatch_in_metric_or_in_the_set_of_vectors_is_named()
    {
        using Database db = _temp.Open();
        db.CreateCollection("multi", new CollectionSchema().AddVector("text", 8, Metric.Cosine).AddVector("image", 4, Metric.Dot));
        var error = Assert.Throws<SchemaException>(() =>
            db.GetOrCreateCollection("multi", new CollectionSchema().AddVector("text", 8, Metric.L2).AddVector("audio", 2, Metric.L1)));
        Assert.Contains("vector \"text\" metric Cosine (stored) vs L2 (requested)", error.Message, StringComparison.Ordinal);
        Assert.Contains("vector \"image\" (4-d Dot) is stored but not requested", error.Message, StringComparison.Ordinal);
        Assert.Contains("vector \"audio\" (2-d L1) is requested but not stored", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hnsw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vectors_declared_in_another_order_describe_the_same_collection()
    {
        using Database db = _temp.Open();
        Collection created = db.CreateCollection("multi", new CollectionSchema().AddVector("text", 8).AddVector("image", 4, Metric.Dot));
        Assert.Same(created, db.GetOrCreateCollection("multi", new CollectionSchema().AddVector("image", 4, Metric.Dot).AddVector("text", 8)));
    }

    // ---- UpdateOptions ----

    [Fact]
    public void UpdateOptions_persists_across_reopen_checkpoint_and_read_only_open()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(Records(0, 20, seed: 1));
            c.UpdateOptions(Runtime);
            Assert.Equal(Runtime, c.Schema.Hnsw);
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(Runtime, c.Schema.Hnsw);
            Assert.Equal(20, c.Count());
            c.Compact(); // writes a new manifest: the settings go with it
        }
        using (Database db = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            Assert.Equal(Runtime, db.GetCollection("docs").Schema.Hnsw);
        }
    }

    [Fact]
    public void UpdateOptions_EfSearch_takes_effect_for_the_next_search_and_after_reopen()
    {
        // A deliberately weak graph, as in SearchEfTests: ef 10 misses neighbours, ef 2000 finds nearly all.
        var random = new Random(11);
        var vectors = Enumerable.Range(0, 2000).Select(_ => TestData.RandomVector(random, Dimension)).ToList();
        var queries = Enumerable.Range(0, 30).Select(_ => TestData.RandomVector(random, Dimension)).ToList();
        double Recall(Collection c)
        {
            int found = 0;
            foreach (float[] q in queries)
            {
                var truth = Enumerable.Range(0, vectors.Count)
                    .Select(i => (Id: (ulong)i, Distance: q.Zip(vectors[i], (a, b) => (double)(a - b) * (a - b)).Sum()))
                    .OrderBy(x => x.Distance).Take(10).Select(x => x.Id).ToHashSet();
                found += c.Search(q, new SearchOptions { TopK = 10, IncludePayload = false }).Count(h => truth.Contains(h.Id.AsNumber));
            }
            return (double)found / (queries.Count * 10);
        }

        var weak = new HnswOptions { M = 4, EfConstruction = 8, EfSearch = 10, MinIndexedVectors = 1, MaxInsertThreads = 1 };
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(weak));
            c.UpsertMany(vectors.Select((v, i) => new Record(i, v)));
            double narrow = Recall(c);
            Assert.True(narrow < 0.7, $"ef_search 10 should miss neighbours here (recall {narrow:0.000})");
            c.UpdateOptions(c.Schema.Hnsw with { EfSearch = 2000 });
            double wide = Recall(c);
            Assert.True(wide >= 0.98, $"ef_search 2000 should find nearly every neighbour (recall {wide:0.000}, before {narrow:0.000})");
        }
        using (Database db = _temp.Open())
        {
            // Code still asks for the weak setting; the stored one stays.
            Collection c = db.GetOrCreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(weak));
            double wide = Recall(c);
            Assert.True(wide >= 0.98, $"after reopen the stored ef_search 2000 should apply (recall {wide:0.000})");
        }
    }

    [Fact]
    public void UpdateOptions_lowering_MinIndexedVectors_builds_the_graph_at_once()
    {
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(Records(0, 50, seed: 2)); // below the default of 128: no graph
            Assert.False(c.GetStats().VectorIndexes[0].Indexed);
            c.UpdateOptions(c.Schema.Hnsw with { MinIndexedVectors = 40 });
            VectorIndexStats index = c.GetStats().VectorIndexes[0];
            Assert.Equal((true, "built", 50), (index.Indexed, index.Origin, index.Nodes));
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal((true, 50), (db.GetCollection("docs").GetStats().VectorIndexes[0].Indexed, db.GetCollection("docs").GetStats().VectorIndexes[0].Nodes));
        }
    }

    [Fact]
    public void UpdateOptions_insert_settings_apply_to_the_next_write()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, ParallelInsertThreshold = 10_000, MaxInsertThreads = 2 }));
        c.UpsertMany(Records(0, 100, seed: 3));
        Assert.Equal(1, c.GetStats().VectorIndexes[0].LastInsertThreads); // 100 is below the threshold: one by one
        c.UpdateOptions(c.Schema.Hnsw with { ParallelInsertThreshold = 50 });
        c.UpsertMany(Records(100, 60, seed: 4));
        Assert.Equal(2, c.GetStats().VectorIndexes[0].LastInsertThreads);
        c.UpdateOptions(c.Schema.Hnsw with { MaxInsertThreads = 3 });
        c.UpsertMany(Records(160, 60, seed: 5));
        Assert.Equal(3, c.GetStats().VectorIndexes[0].LastInsertThreads);
    }

    [Fact]
    public void UpdateOptions_TombstoneRebuildPercent_applies_to_the_next_checkpoint()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(new HnswOptions { TombstoneRebuildPercent = 100 }));
        c.UpsertMany(Records(0, 500, seed: 6));
        c.DeleteMany(Enumerable.Range(0, 50).Select(i => (RecordId)i)); // 10% dead: 100 keeps the graph, 5 rebuilds it
        c.UpdateOptions(c.Schema.Hnsw with { TombstoneRebuildPercent = 5 });
        c.Compact();
        VectorIndexStats index = c.GetStats().VectorIndexes[0];
        Assert.Equal(("built", 450, 0), (index.Origin, index.Nodes, index.DeadNodes));
    }

    [Fact]
    public void UpdateOptions_refuses_a_structural_change_and_changes_nothing()
    {
        string manifest = Path.Combine(_temp.CollectionDirectory("docs"), CheckpointManifest.FileName);
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            byte[] before = File.ReadAllBytes(manifest);
            var error = Assert.Throws<SchemaException>(() => c.UpdateOptions(new HnswOptions { M = 32, EfSearch = 100 }));
            Assert.Contains("hnsw.M 16 (stored) vs 32 (requested)", error.Message, StringComparison.Ordinal);
            Assert.Equal(HnswOptions.Default, c.Schema.Hnsw);
            Assert.Equal(before, File.ReadAllBytes(manifest));
            Assert.Throws<ArgumentOutOfRangeException>(() => c.UpdateOptions(new HnswOptions { EfSearch = -1 }));
            Assert.Throws<ArgumentNullException>(() => c.UpdateOptions(null!));

            // The same options again: nothing to write.
            c.UpdateOptions(HnswOptions.Default);
            Assert.Equal(before, File.ReadAllBytes(manifest));
        }
        using (Database db = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            Assert.Throws<ReadOnlyDatabaseException>(() => db.GetCollection("docs").UpdateOptions(Runtime));
        }
    }

    [Fact]
    public void UpdateOptions_that_cannot_write_the_manifest_keeps_the_previous_settings()
    {
        var device = new FaultInjectingStorage(FileSystemStorage.Instance);
        using (Database db = _temp.Open(new DatabaseOptions { Storage = device }))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            device.FailAt = device.OperationCount + 1; // the manifest's temporary file
            Assert.Throws<StorageException>(() => c.UpdateOptions(Runtime));
            Assert.Equal(HnswOptions.Default, c.Schema.Hnsw);
            device.FailAt = 0;
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(HnswOptions.Default, db.GetCollection("docs").Schema.Hnsw);
        }
    }

    /// <summary>
    /// A checkpoint fixes its image (schema included) under the writer lock, then writes its files and replaces the
    /// manifest outside it. UpdateOptions beside it must wait: otherwise it rewrites the old generation's manifest (the
    /// checkpoint's commit undone, or its settings overwritten by the checkpoint's older schema).
    /// </summary>
    [Fact]
    public async Task UpdateOptions_beside_a_running_checkpoint_waits_for_it_and_both_survive_reopen()
    {
        var options = new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled };
        using (Database db = _temp.Open(options))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
            c.UpsertMany(Records(0, 50, seed: 7));
            c.Delete(0);
            Task? update = null;
            bool finishedDuringCheckpoint = true;
            c.CheckpointWritingForTests = () =>
            {
                // On the checkpointing thread, the image fixed and the writer lock released. A bounded wait: in the
                // correct code it always runs out (the update cannot finish before the checkpoint does); it only
                // bounds how long a broken update gets to show itself.
                update = Task.Run(() => c.UpdateOptions(Runtime));
                finishedDuringCheckpoint = update.Wait(TimeSpan.FromSeconds(5));
            };
            c.Compact();
            c.CheckpointWritingForTests = null;
            await update!;
            Assert.False(finishedDuringCheckpoint, "UpdateOptions completed while a checkpoint was writing its files");
            Assert.Equal((1L, 49L), (c.GetStats().CheckpointGeneration, c.Count()));
            Assert.Equal(Runtime, c.Schema.Hnsw);
        }
        using (Database db = _temp.Open(options))
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(Runtime, c.Schema.Hnsw);
            Assert.Equal((1L, 49L), (c.GetStats().CheckpointGeneration, c.Count()));
        }
    }

    [Fact]
    public void UpdateOptions_is_logged()
    {
        var log = new ListLogger();
        using Database db = _temp.Open(new DatabaseOptions { Logger = log });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2));
        c.UpdateOptions(HnswOptions.Default with { EfSearch = 64 });
        string message = Assert.Single(log.Entries, e => e.EventId == 20).Message;
        Assert.Contains("hnsw.EfSearch 0 (stored) vs 64 (requested)", message, StringComparison.Ordinal);
    }

    // ---- The split and immutability ----

    /// <summary>
    /// Every public setting of <see cref="HnswOptions"/> is classified exactly once, structural or runtime: a new setting
    /// nobody classified would be silently ignored by GetOrCreateCollection and by UpdateOptions.
    /// </summary>
    [Fact]
    public void Every_hnsw_setting_is_either_structural_or_runtime()
    {
        string[] structural = ["M", "EfConstruction"];
        string[] runtime = ["EfSearch", "MinIndexedVectors", "ParallelInsertThreshold", "MaxInsertThreads", "TombstoneRebuildPercent",
            "Indexing", "DeferredBatchSize", "DeferredMaxLag", "BuildOnCodes", "ValueGraphs"];
        var settings = typeof(HnswOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name).Order().ToList();
        Assert.Equal(structural.Concat(runtime).Order(), settings);

        var schema = CollectionSchema.SingleVector(4);
        foreach (string name in settings)
        {
            // Each setting moved alone to another valid value is reported exactly where it belongs.
            HnswOptions changed = name switch
            {
                "M" => HnswOptions.Default with { M = 17 },
                "EfConstruction" => HnswOptions.Default with { EfConstruction = 201 },
                "EfSearch" => HnswOptions.Default with { EfSearch = 1 },
                "MinIndexedVectors" => HnswOptions.Default with { MinIndexedVectors = 1 },
                "ParallelInsertThreshold" => HnswOptions.Default with { ParallelInsertThreshold = 1 },
                "MaxInsertThreads" => HnswOptions.Default with { MaxInsertThreads = 1 },
                "TombstoneRebuildPercent" => HnswOptions.Default with { TombstoneRebuildPercent = 1 },
                "Indexing" => HnswOptions.Default with { Indexing = IndexingMode.Deferred },
                "DeferredBatchSize" => HnswOptions.Default with { DeferredBatchSize = 2 },
                "DeferredMaxLag" => HnswOptions.Default with { DeferredMaxLag = 5_000 },
                "BuildOnCodes" => HnswOptions.Default with { BuildOnCodes = true },
                "ValueGraphs" => HnswOptions.Default with { ValueGraphs = false },
                _ => throw new InvalidOperationException(name),
            };
            var s = SchemaDifferences.Structural(schema, schema.WithHnsw(changed));
            var r = SchemaDifferences.RuntimeHnsw(HnswOptions.Default, changed);
            bool isStructural = structural.Contains(name);
            Assert.Equal(isStructural ? 1 : 0, s.Count);
            Assert.Equal(isStructural ? 0 : 1, r.Count);
            Assert.StartsWith($"hnsw.{name} ", (isStructural ? s : r)[0], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WithHnsw_and_AddVector_return_a_new_schema_and_leave_the_original_unchanged()
    {
        CollectionSchema original = CollectionSchema.SingleVector(8, Metric.L2);
        CollectionSchema tuned = original.WithHnsw(HnswOptions.HighRecall);
        CollectionSchema wider = original.AddVector("image", 4, Metric.Dot);

        Assert.Equal(HnswOptions.Default, original.Hnsw);
        Assert.Equal(["default"], original.Vectors.Select(v => v.Name));
        Assert.Equal("default: 8-d L2", original.ToString());

        Assert.Equal(HnswOptions.HighRecall, tuned.Hnsw);
        Assert.Equal(["default"], tuned.Vectors.Select(v => v.Name));
        Assert.Equal(["default", "image"], wider.Vectors.Select(v => v.Name));
        Assert.Equal(HnswOptions.Default, wider.Hnsw);
        Assert.Equal(HnswOptions.HighRecall, tuned.AddVector("image", 4).Hnsw); // the options travel with the vectors

        // A schema shared by two collections stays as it was for the second.
        using Database db = _temp.Open();
        db.CreateCollection("a", original.WithHnsw(HnswOptions.Fast));
        Collection b = db.CreateCollection("b", original);
        Assert.Equal(HnswOptions.Default, b.Schema.Hnsw);
    }
}
