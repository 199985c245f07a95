using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// <see cref="Database.OpenInMemory"/>: the same API as a database on disk, with no directory and no file; each
/// call a separate database that ends with its handle.
/// </summary>
public sealed class InMemoryDatabaseTests
{
    private static readonly CollectionSchema Schema = CollectionSchema.SingleVector(2, Metric.L2);

    [Fact]
    public void It_writes_reads_filters_and_searches_as_a_database_on_disk_does()
    {
        string[] before = Directory.GetFileSystemEntries(Environment.CurrentDirectory);
        using Database db = Database.OpenInMemory();
        Assert.True(db.IsInMemory);
        Assert.Equal(Database.InMemoryPath, db.Path);
        Assert.False(db.IsReadOnly);

        Collection docs = db.CreateCollection("docs", Schema);
        docs.CreatePayloadIndex("color", PayloadIndexKind.Keyword);
        Assert.Equal(3, docs.UpsertMany([
            new Record(1, new float[] { 0, 0 }, new JsonObject { ["color"] = "red" }),
            new Record(2, new float[] { 1, 0 }, new JsonObject { ["color"] = "blue" }),
            new Record("three", new float[] { 5, 5 }, new JsonObject { ["color"] = "red" }) { Namespace = "t" },
        ]));
        Assert.Equal([1UL, 2], docs.Search(new float[] { 0.1f, 0 }, new SearchOptions { TopK = 5, Namespace = "" }).Select(h => h.Id.AsNumber));
        Assert.Equal(1, docs.Count(Filter.Eq("color", "red"), @namespace: ""));
        Assert.Equal("red", (string?)docs.Get("three", "t")!.Payload!["color"]);
        Assert.True(docs.UpdatePayload(2, new JsonObject { ["color"] = "red" }));
        Assert.Equal(2, docs.Count(Filter.Eq("color", "red"), @namespace: ""));
        Assert.True(docs.SetExpiry(1, DateTimeOffset.UtcNow.AddHours(-1)));
        Assert.Null(docs.Get(1)); // expired
        Assert.True(docs.Delete(2));
        Assert.Equal(0, docs.Count(@namespace: ""));
        Assert.Equal(1, docs.Count(@namespace: "t"));
        Assert.Equal(["three"], docs.Scroll(new ScrollOptions { Namespace = "t" }).Records.Select(r => r.Id.AsString));

        // The same validation and errors.
        Assert.Throws<DimensionMismatchException>(() => docs.Upsert(new Record(9, new float[] { 1, 2, 3 })));
        Assert.Throws<InvalidVectorException>(() => docs.Upsert(new Record(9, new float[] { float.NaN, 0 })));
        Assert.Throws<CollectionExistsException>(() => db.CreateCollection("DOCS", Schema));
        Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("docs", CollectionSchema.SingleVector(3)));
        Assert.Null(docs.Get(9));

        Assert.Same(docs, db.GetOrCreateCollection("docs", Schema));
        db.CreateCollection("other", CollectionSchema.MetadataOnly());
        Assert.Equal(["docs", "other"], db.ListCollections());
        Assert.True(db.CollectionExists("other"));
        Assert.True(db.DropCollection("other"));
        Assert.False(db.DropCollection("other"));
        Assert.False(db.TryGetCollection("other", out _));

        CollectionStats stats = docs.GetStats();
        Assert.Equal((0L, 0L, 0L), (stats.BytesOnDisk, stats.WalBytes, stats.WalBatchesSinceCheckpoint));
        Assert.True(db.Verify().IsIntact);
        Assert.Empty(db.Verify().Files);
        Assert.False(Directory.Exists(Database.InMemoryPath)); // no directory named after it, here or anywhere
        Assert.Equal(before, Directory.GetFileSystemEntries(Environment.CurrentDirectory));
    }

    [Fact]
    public void Flush_does_nothing_and_Compact_reclaims_the_memory_of_dead_rows()
    {
        using Database db = Database.OpenInMemory(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled });
        Collection docs = db.CreateCollection("docs", Schema);
        docs.UpsertMany(Enumerable.Range(0, 200).Select(i => new Record((ulong)i, new float[] { i, 1 })));
        docs.DeleteMany(Enumerable.Range(0, 150).Select(i => (RecordId)(ulong)i));
        docs.Flush();
        db.Flush();
        Assert.Equal((200, 150L), (docs.GetStats().StoredRows, docs.GetStats().DeletedRows));

        docs.Compact();

        CollectionStats stats = docs.GetStats();
        Assert.Equal((50, 0L, 50L), (stats.StoredRows, stats.DeletedRows, stats.RecordCount));
        Assert.Equal((0L, 1L), (stats.CheckpointGeneration, stats.CheckpointsWritten));
        Assert.Equal(Enumerable.Range(150, 50).Select(i => (ulong)i), docs.Scroll(new ScrollOptions { Limit = 100 }).Records.Select(r => r.Id.AsNumber));
        Assert.Equal(150UL, docs.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 1 }).Single().Id.AsNumber);

        docs.UpdateOptions(docs.Schema.Hnsw with { EfSearch = 77 }); // no manifest to rewrite: memory only
        Assert.Equal(77, docs.Schema.Hnsw.EfSearch);
    }

    [Fact]
    public async Task Each_open_is_a_separate_database_that_ends_with_its_handle()
    {
        Database first = Database.OpenInMemory();
        using Database second = Database.OpenInMemory();
        Assert.NotSame(first.Engine, second.Engine);
        Collection docs = first.CreateCollection("docs", Schema);
        docs.Upsert(new Record(1, new float[] { 1, 1 }));
        Assert.False(second.CollectionExists("docs"));

        await docs.UpsertManyAsync([new Record(2, new float[] { 2, 2 })]);
        Assert.Equal(2, (await docs.SearchAsync(new float[] { 2, 2 })).Count);

        first.Dispose();
        Assert.True(first.Engine.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => docs.Count());
        Assert.Throws<ArgumentException>(() => Database.OpenInMemory(new DatabaseOptions { ReadOnly = true }));
    }
}
